/**
 * The scale-out proof at a small size (the full one is `npm run scale-test`): three gateway
 * processes on one PostgreSQL and one Redis behind a round-robin balancer, mixed traffic, a
 * rate limits and a budget held across instances, run-time changes (a policy edit, a key revocation) in force on every instance within 2 s, one instance killed with SIGKILL and
 * restarted — and every generation the emulator billed recorded exactly once with its cost.
 * Needs SIGNALBOX_TEST_DATABASE_URL and SIGNALBOX_TEST_REDIS_URL (CI sets both).
 */
import { describe, expect, it } from 'vitest';
import { runScale } from './scale-run.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL;
const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL;

if (postgresUrl === undefined || redisUrl === undefined)
  console.log(
    'scale-out proof: NOT RUN (set SIGNALBOX_TEST_DATABASE_URL and SIGNALBOX_TEST_REDIS_URL)',
  );

describe('three instances behind a balancer', () => {
  it.runIf(postgresUrl !== undefined && redisUrl !== undefined)(
    'lose nothing, apply run-time changes everywhere within 2 s, survive a SIGKILL',
    { timeout: 240_000 },
    async () => {
      const report = await runScale({
        postgresUrl: postgresUrl ?? '',
        redisUrl: redisUrl ?? '',
        instances: 3,
        requestsPerSecond: 40,
        durationMs: 8_000,
        rateLimitRpm: 12,
        budgetUsd: 0.0002,
      });
      // The traffic ran and reached every instance.
      expect(report.acknowledged).toBeGreaterThan(report.sent / 2);
      expect(report.connectionsPerInstance.every((count) => count > 0)).toBe(true);
      // Ledger = emulator: every billed generation once, at the billed cost.
      expect(report.billedGenerations).toBeGreaterThan(100);
      expect(report.duplicated).toBe(0);
      expect(report.costMismatches).toBe(0);
      expect(report.acknowledgedLost).toBe(0);
      expect(report.unnamedCovered).toBe(report.unnamed);
      expect(report.matched + report.unnamed).toBe(report.billedGenerations);
      // Limits held across instances: the rate-limited key got at most what GCRA allows one
      // instance, and the budgeted key never spent past its budget.
      expect(report.rateLimited.refused).toBeGreaterThan(0);
      expect(report.rateLimited.admitted).toBeLessThanOrEqual(report.rateLimited.allowedAtMost);
      expect(report.budget.refused).toBeGreaterThan(0);
      expect(BigInt(report.budget.spentNanoUsd)).toBeLessThanOrEqual(
        BigInt(report.budget.limitNanoUsd),
      );
      // Run-time changes in force on every instance within 2 s.
      expect(report.propagation.length).toBeGreaterThan(0);
      for (const change of report.propagation)
        for (const ms of change.perInstanceMs) expect(ms ?? Infinity).toBeLessThanOrEqual(2_000);
      expect(report.restartMs).not.toBeNull();
    },
  );
});
