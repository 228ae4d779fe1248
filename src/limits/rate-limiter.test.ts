// GCRA rate limits in memory and on Redis (set SIGNALBOX_TEST_REDIS_URL, e.g.
// redis://127.0.0.1:6379/11): the same suite against both, and two limiters on one Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, gcra, type RateLimiter } from './rate-limiter.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null)
  console.warn(
    'rate-limiter.test.ts: SIGNALBOX_TEST_REDIS_URL is not set: Redis limiter NOT tested.',
  );

const runPrefix = `signalbox-test:${randomUUID()}`;
const clients: Redis[] = [];
afterAll(async () => {
  if (redisUrl === null) return;
  const admin = new Redis(redisUrl);
  const keys = await admin.keys(`${runPrefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
  await Promise.all(clients.map((client) => client.quit()));
});

function redisLimiter(prefix = `${runPrefix}:${randomUUID()}`): RateLimiter {
  const client = new Redis(redisUrl ?? '');
  clients.push(client);
  return createRedisRateLimiter({ client, keyPrefix: prefix });
}

describe('gcra', () => {
  it('allows a burst of the limit, then one unit every 60 000 / limit ms', () => {
    let tat = 0;
    const take = { key: 'k', limit: 3, cost: 1 };
    for (let index = 0; index < 3; index += 1) {
      const result = gcra(tat, 1_000, take);
      expect(result.allowed).toBe(true);
      expect(result.state.remaining).toBe(2 - index);
      tat = result.newTat;
    }
    const refused = gcra(tat, 1_000, take);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(20_000);
    expect(gcra(tat, 21_000, take).allowed).toBe(true);
  });

  it('refuses for good a take larger than the whole limit', () => {
    expect(gcra(0, 0, { key: 'k', limit: 10, cost: 11 }).retryAfterMs).toBe(Infinity);
  });
});

function suite(name: string, factory: () => RateLimiter): void {
  describe(name, () => {
    it('takes every limit or none', async () => {
      const limiter = factory();
      const rpm = { key: 'rpm', limit: 5, cost: 1 };
      const tpm = { key: 'tpm', limit: 100, cost: 60 };
      expect((await limiter.take([rpm, tpm])).allowed).toBe(true);
      const refused = await limiter.take([rpm, tpm]);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      // The refused take took no request.
      const alone = await limiter.take([rpm]);
      expect(alone.states[0]?.remaining).toBe(3);
    });

    it('gives tokens back at settle (adjust)', async () => {
      const limiter = factory();
      const tpm = { key: 'tpm', limit: 100, cost: 90 };
      expect((await limiter.take([tpm])).allowed).toBe(true);
      await limiter.adjust('tpm', 100, -80);
      const next = await limiter.take([{ ...tpm, cost: 80 }]);
      expect(next.allowed).toBe(true);
    });

    it('admits exactly the limit out of 3 × the limit concurrent requests', async () => {
      const limiter = factory();
      const results = await Promise.all(
        Array.from({ length: 150 }, () => limiter.take([{ key: 'burst', limit: 50, cost: 1 }])),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(50);
    });
  });
}

suite('memory rate limiter', () => createMemoryRateLimiter());

describe.runIf(redisUrl !== null)('Redis rate limiter', () => {
  suite('one instance', () => redisLimiter());

  it('two limiters on one Redis admit exactly the limit between them', async () => {
    const prefix = `${runPrefix}:${randomUUID()}`;
    const first = redisLimiter(prefix);
    const second = redisLimiter(prefix);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        (index % 2 === 0 ? first : second).take([{ key: 'rpm:key:shared', limit: 60, cost: 1 }]),
      ),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(60);
  });
});
