/**
 * Budgets cannot be overshot: 200 concurrent requests under one key with a budget of about 50
 * requests' worth, over two gateway instances sharing PostgreSQL and Redis. Settled spend stays
 * at or under the budget (zero overshoot) and uses at least 90 % of it. Needs
 * SIGNALBOX_TEST_DATABASE_URL and SIGNALBOX_TEST_REDIS_URL (`.ci/run` sets both).
 */
import { describe, expect, it } from 'vitest';
import { runBudgetProof } from '../helpers/budget-proof.ts';

const databaseUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (databaseUrl === null || redisUrl === null)
  console.warn(
    'test/e2e/budget-proof.test.ts: SIGNALBOX_TEST_DATABASE_URL or SIGNALBOX_TEST_REDIS_URL is ' +
      'not set, so the budget proof over two instances was NOT run.',
  );

describe.runIf(databaseUrl !== null && redisUrl !== null)('budget proof (two instances)', () => {
  it('200 concurrent requests: no overshoot, at least 90 % of the budget used', async () => {
    // gpt-4o-mini: $0.15 / $0.60 per million tokens; 1000 completion tokens ≈ $0.0006.
    const budgetNanoUsd = 30_000_000n; // $0.03
    const result = await runBudgetProof({
      databaseUrl: databaseUrl ?? '',
      redisUrl: redisUrl ?? '',
      requests: 200,
      budgetNanoUsd,
    });
    expect(result.other).toEqual({});
    expect(result.answered + result.refused).toBe(200);
    expect(result.refused).toBeGreaterThan(0);
    expect(result.capped).toBeGreaterThan(0);
    expect(result.redisReservedNanoUsd).toBe(0n);
    expect(result.redisSpendNanoUsd).toBe(result.ledgerSpendNanoUsd);
    expect(result.ledgerSpendNanoUsd).toBeLessThanOrEqual(budgetNanoUsd);
    expect(result.ledgerSpendNanoUsd * 10n).toBeGreaterThanOrEqual(budgetNanoUsd * 9n);
  });
});
