/**
 * The health registry shared through Redis: two gateways on one Redis (SIGNALBOX_REDIS_URL), a
 * circuit tripped by one is seen by the other, which then sends nothing to that target.
 * Needs a real Redis: set SIGNALBOX_TEST_REDIS_URL (`.ci/run` always does).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  readiness,
  report,
  startEmulator,
  startFaultBench,
  upstreamAttempts,
  warmUp,
  type FaultBench,
  type RunningEmulator,
} from '../helpers/fault-bench.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null) {
  console.warn(
    'test/faults/shared-health.test.ts: SIGNALBOX_TEST_REDIS_URL is not set, so the shared ' +
      'health registry (two gateways on one Redis) was NOT tested.',
  );
}

/** The registry's default key prefix: the gateways use it, so this file cleans it up. */
const PREFIX = 'signalbox:health';

async function clearSharedState(): Promise<void> {
  if (redisUrl === null) return;
  const admin = new Redis(redisUrl);
  const keys = await admin.keys(`${PREFIX}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
}

/** Polls `check` every 10 ms until it is true; resolves to the time it took, ms. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${limitMs} ms`);
}

async function anthropicCircuit(bench: FaultBench): Promise<string | undefined> {
  const { body } = await readiness(bench.url);
  return body.providers.find((entry) => entry.id === 'anthropic')?.provider_circuit;
}

describe.runIf(redisUrl !== null)('health registry shared through Redis', () => {
  let upstream: RunningEmulator;
  let first: FaultBench;
  let second: FaultBench;

  beforeAll(async () => {
    await clearSharedState();
    upstream = await startEmulator();
    const env = { SIGNALBOX_REDIS_URL: redisUrl ?? '' };
    [first, second] = await Promise.all([
      startFaultBench(env, { upstream }),
      startFaultBench(env, { upstream }),
    ]);
    for (const bench of [first, second]) {
      await warmUp(bench);
      await within(5_000, async () => (await readiness(bench.url)).body.health_registry.reachable);
    }
    upstream.emulator.clearLedger();
  });

  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await upstream.emulator.close();
    await clearSharedState();
  });

  it('a model circuit tripped on one gateway is skipped by the other', async () => {
    upstream.emulator.addFault({ match: { model: 'claude-opus-4-5' }, status: 503, times: 0 });
    for (let index = 0; index < 3; index += 1)
      expect((await chat(first.url, { model: 'anthropic/claude-opus-4.5' })).status).toBe(200);
    expect(upstreamAttempts(upstream.emulator).anthropic).toBe(3);
    const seenAfterMs = await within(2_000, async () => {
      const { body } = await readiness(second.url);
      return body.providers.find((entry) => entry.id === 'anthropic')?.circuit === 'open';
    });
    const answer = await chat(second.url, { model: 'anthropic/claude-opus-4.5' });
    expect(answer.headers['x-signalbox-provider']).toBe('openrouter');
    // Only that model cools down: another Anthropic model still goes to Anthropic.
    const other = await chat(second.url, { model: 'anthropic/claude-sonnet-4.5' });
    expect(other.headers['x-signalbox-provider']).toBe('anthropic');
    expect(upstreamAttempts(upstream.emulator).anthropic).toBe(4);
    report('shared health registry: model circuit', { seenBySecondGatewayWithinMs: seenAfterMs });
  });

  it('a provider cooldown (401) on one gateway is seen by the other for every model', async () => {
    upstream.emulator.clearLedger();
    upstream.emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 401, times: 0 });
    expect((await chat(first.url, { model: 'anthropic/claude-sonnet-4.5' })).status).toBe(200);
    const seenAfterMs = await within(
      2_000,
      async () => (await anthropicCircuit(second)) === 'open',
    );
    const answer = await chat(second.url, { model: 'anthropic/claude-haiku-4.5' });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-signalbox-provider']).toBe('openrouter');
    expect(upstreamAttempts(upstream.emulator).anthropic).toBe(1);
    const cooling = second.logs.filter((line) => line.msg === 'circuit opened: cooling down');
    // The warning is the tripping instance's; the other mirrors the cooldown silently.
    expect(cooling).toHaveLength(0);
    const { status, body } = await readiness(second.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.health_registry).toEqual({ shared: true, reachable: true });
    report('shared health registry: provider cooldown', {
      seenBySecondGatewayWithinMs: seenAfterMs,
    });
  });
});
