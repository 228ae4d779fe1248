// The budget stores (memory, and Redis against a real Redis: set SIGNALBOX_TEST_REDIS_URL, e.g.
// redis://127.0.0.1:6379/11). The same suite runs against both; the Redis one also with two
// stores on one Redis (two instances). Every Redis test uses its own key prefix.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { BudgetScope } from '../contracts/budget-usage.ts';
import type { BudgetSpec } from '../contracts/principal.ts';
import type { BudgetHold, BudgetStore, SettledSpendSource } from './budget-store.ts';
import { budgetPeriodStart } from './budget-period.ts';
import { createMemoryBudgetStore } from './memory-budget-store.ts';
import { createRedisBudgetStore } from './redis-budget-store.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null)
  console.warn(
    'budget-store.test.ts: SIGNALBOX_TEST_REDIS_URL is not set: Redis store NOT tested.',
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

const budget: BudgetSpec = { limitNanoUsd: 1_000n, period: 'day' };
const scope: BudgetScope = { kind: 'key', id: 'key-1' };
const today = budgetPeriodStart('day', Date.now(), 'UTC');
const hold = (
  periodStart = today,
  spec: BudgetSpec = budget,
  of: BudgetScope = scope,
): BudgetHold => ({
  scope: of,
  budget: spec,
  periodStart,
});

type Factory = (settledSpend: SettledSpendSource, prefix?: string) => BudgetStore;

const memory: Factory = (settledSpend) =>
  createMemoryBudgetStore({ settledSpend, timeZone: 'UTC' });

function redis(): Factory {
  return (settledSpend, prefix) => {
    const client = new Redis(redisUrl ?? '');
    clients.push(client);
    return createRedisBudgetStore({
      client,
      settledSpend,
      timeZone: 'UTC',
      keyPrefix: prefix ?? `${runPrefix}:${randomUUID()}`,
    });
  };
}

const none: SettledSpendSource = () => Promise.resolve(0n);

function suite(name: string, factory: Factory): void {
  describe(name, () => {
    it('reserves up to the limit and refuses what no longer fits', async () => {
      const store = factory(none);
      const first = await store.reserve({
        id: 'a',
        holds: [hold()],
        amountNanoUsd: 600n,
        minimumNanoUsd: 600n,
        ttlMs: 60_000,
      });
      expect(first).toEqual({ ok: true, reservedNanoUsd: 600n });
      const second = await store.reserve({
        id: 'b',
        holds: [hold()],
        amountNanoUsd: 600n,
        minimumNanoUsd: 600n,
        ttlMs: 60_000,
      });
      expect(second).toEqual({ ok: false, availableNanoUsd: 400n });
    });

    it('reserves what is left when at least the minimum is (the max_tokens cap)', async () => {
      const store = factory(none);
      await store.reserve({
        id: 'a',
        holds: [hold()],
        amountNanoUsd: 700n,
        minimumNanoUsd: 1n,
        ttlMs: 60_000,
      });
      const capped = await store.reserve({
        id: 'b',
        holds: [hold()],
        amountNanoUsd: 700n,
        minimumNanoUsd: 100n,
        ttlMs: 60_000,
      });
      expect(capped).toEqual({ ok: true, reservedNanoUsd: 300n });
    });

    it('settle replaces the reservation with the actual cost', async () => {
      const store = factory(none);
      await store.reserve({
        id: 'a',
        holds: [hold()],
        amountNanoUsd: 800n,
        minimumNanoUsd: 800n,
        ttlMs: 60_000,
      });
      await store.settle('a', [hold()], 250n);
      const usage = await store.usage(scope, budget);
      expect(usage.spentNanoUsd).toBe(250n);
      expect(usage.reservedNanoUsd).toBe(0n);
      const next = await store.reserve({
        id: 'b',
        holds: [hold()],
        amountNanoUsd: 800n,
        minimumNanoUsd: 1n,
        ttlMs: 60_000,
      });
      expect(next).toEqual({ ok: true, reservedNanoUsd: 750n });
    });

    it('reserves in the key and the project at once, or in neither', async () => {
      const store = factory(none);
      const project: BudgetScope = { kind: 'project', id: 'project-1' };
      const small: BudgetSpec = { limitNanoUsd: 500n, period: 'total' };
      const holds = [hold(), hold(0, small, project)];
      const refused = await store.reserve({
        id: 'a',
        holds,
        amountNanoUsd: 600n,
        minimumNanoUsd: 600n,
        ttlMs: 60_000,
      });
      expect(refused).toEqual({ ok: false, availableNanoUsd: 500n });
      expect((await store.usage(scope, budget)).reservedNanoUsd).toBe(0n);
      const taken = await store.reserve({
        id: 'b',
        holds,
        amountNanoUsd: 600n,
        minimumNanoUsd: 1n,
        ttlMs: 60_000,
      });
      expect(taken).toEqual({ ok: true, reservedNanoUsd: 500n });
      expect((await store.usage(project, small)).reservedNanoUsd).toBe(500n);
    });

    it('a reservation lapses after its ttl (a crashed instance never settles it)', async () => {
      const store = factory(none);
      await store.reserve({
        id: 'a',
        holds: [hold()],
        amountNanoUsd: 1_000n,
        minimumNanoUsd: 1n,
        ttlMs: 30,
      });
      await new Promise((resolve) => setTimeout(resolve, 60));
      const next = await store.reserve({
        id: 'b',
        holds: [hold()],
        amountNanoUsd: 1_000n,
        minimumNanoUsd: 1n,
        ttlMs: 60_000,
      });
      expect(next).toEqual({ ok: true, reservedNanoUsd: 1_000n });
    });

    it('loads the settled spend of a period from the ledger once, then counts live', async () => {
      const calls: { scope: BudgetScope; since: Date }[] = [];
      const store = factory((of, since) => {
        calls.push({ scope: of, since });
        return Promise.resolve(900n);
      });
      const start = Date.UTC(2026, 10, 30);
      const results = await Promise.all(
        ['a', 'b'].map((id) =>
          store.reserve({
            id,
            holds: [hold(start)],
            amountNanoUsd: 100n,
            minimumNanoUsd: 100n,
            ttlMs: 60_000,
          }),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls[0]).toEqual({ scope, since: new Date(start) });
    });

    it('never reserves more than the limit under 200 concurrent reservations', async () => {
      const store = factory(none);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          store.reserve({
            id: `r${index}`,
            holds: [hold()],
            amountNanoUsd: 7n,
            minimumNanoUsd: 7n,
            ttlMs: 60_000,
          }),
        ),
      );
      const reserved = results.reduce(
        (total, result) => total + (result.ok ? result.reservedNanoUsd : 0n),
        0n,
      );
      expect(reserved).toBe(994n);
      expect(results.filter((result) => result.ok)).toHaveLength(142);
    });
  });
}

suite('memory budget store', memory);

describe.runIf(redisUrl !== null)('Redis budget store', () => {
  suite('one instance', redis());

  it('two stores on one Redis reserve exactly the limit between them', async () => {
    const prefix = `${runPrefix}:${randomUUID()}`;
    const first = redis()(none, prefix);
    const second = redis()(none, prefix);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        (index % 2 === 0 ? first : second).reserve({
          id: `r${index}`,
          holds: [hold()],
          amountNanoUsd: 10n,
          minimumNanoUsd: 10n,
          ttlMs: 60_000,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(100);
    expect((await second.usage(scope, budget)).reservedNanoUsd).toBe(1_000n);
  });
});
