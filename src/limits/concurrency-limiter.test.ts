// Concurrency places in memory and on Redis (set SIGNALBOX_TEST_REDIS_URL, e.g.
// redis://127.0.0.1:6379/11): the same suite against both, and two limiters on one Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryConcurrencyLimiter,
  createRedisConcurrencyLimiter,
  type ConcurrencyLimiter,
} from './concurrency-limiter.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null)
  console.warn(
    'concurrency-limiter.test.ts: SIGNALBOX_TEST_REDIS_URL is not set: Redis limiter NOT tested.',
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

function redisLimiter(prefix = `${runPrefix}:${randomUUID()}`): ConcurrencyLimiter {
  const client = new Redis(redisUrl ?? '');
  clients.push(client);
  return createRedisConcurrencyLimiter({ client, keyPrefix: prefix });
}

function suite(name: string, factory: () => ConcurrencyLimiter): void {
  describe(name, () => {
    it('holds at most max places, and a release frees one', async () => {
      const limiter = factory();
      const taken = await Promise.all(
        Array.from({ length: 10 }, (_, index) => limiter.tryAcquire('k', 3, `r${index}`, 60_000)),
      );
      expect(taken.filter(Boolean)).toHaveLength(3);
      const holder = `r${taken.indexOf(true)}`;
      await limiter.release('k', holder);
      expect(await limiter.count('k')).toBe(2);
      expect(await limiter.tryAcquire('k', 3, 'late', 60_000)).toBe(true);
    });

    it('lets a place lapse after its ttl (a crashed instance never releases it)', async () => {
      const limiter = factory();
      expect(await limiter.tryAcquire('k', 1, 'crashed', 30)).toBe(true);
      expect(await limiter.tryAcquire('k', 1, 'next', 60_000)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await limiter.tryAcquire('k', 1, 'next', 60_000)).toBe(true);
    });
  });
}

suite('memory concurrency limiter', () => createMemoryConcurrencyLimiter());

describe.runIf(redisUrl !== null)('Redis concurrency limiter', () => {
  suite('one instance', () => redisLimiter());

  it('two limiters on one Redis hold exactly max places between them', async () => {
    const prefix = `${runPrefix}:${randomUUID()}`;
    const first = redisLimiter(prefix);
    const second = redisLimiter(prefix);
    const taken = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 2 === 0 ? first : second).tryAcquire('shared', 5, `r${index}`, 60_000),
      ),
    );
    expect(taken.filter(Boolean)).toHaveLength(5);
  });
});
