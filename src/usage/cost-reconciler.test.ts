// The cost reconciler with a scripted lookup and ledger: bounds (queue, concurrency), retries on
// 404, on a row not committed yet and on 429 (all lookups pause for its retry-after), giving up,
// and what a settled record queues. Real timers, with delays of a few milliseconds.
import { describe, expect, it, vi } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import type { GenerationCost } from '../providers/index.ts';
import type { AttemptCostResult, AttemptCostUpdate } from '../storage/index.ts';
import {
  attemptsToReconcile,
  createCostReconciler,
  type CostReconcilerOptions,
  type GenerationLookup,
} from './cost-reconciler.ts';

const FAST = { firstDelayMs: 1, initialBackoffMs: 5, maxBackoffMs: 20, giveUpAfterMs: 2_000 };

function cost(generationId: string, costNanoUsd: bigint | null = 1234n): GenerationCost {
  return {
    generationId,
    costNanoUsd,
    promptTokens: 10,
    completionTokens: 3,
    reasoningTokens: 0,
    cachedTokens: 0,
    model: 'openai/gpt-4o',
    cancelled: true,
  };
}

function job(index: number) {
  return {
    requestId: `req-${index}`,
    attemptNumber: 0,
    provider: 'openrouter',
    generationId: `gen-${index}`,
  };
}

function ledger(results: AttemptCostResult[] = []) {
  const updates: AttemptCostUpdate[] = [];
  return {
    updates,
    repository: {
      updateAttemptCost: vi.fn((update: AttemptCostUpdate) => {
        updates.push(update);
        return Promise.resolve(results.shift() ?? 'updated');
      }),
    },
  };
}

function reconcilerWith(lookup: GenerationLookup, extra: Partial<CostReconcilerOptions> = {}) {
  const store = ledger();
  const reconciler = createCostReconciler({
    lookup: (provider) => (provider === 'openrouter' ? lookup : undefined),
    repository: store.repository,
    random: () => 0.5,
    ...FAST,
    ...extra,
  });
  return { reconciler, store };
}

describe('createCostReconciler', () => {
  it('writes what the upstream billed as reconciled, tokens included', async () => {
    const { reconciler, store } = reconcilerWith((id) => Promise.resolve(cost(id)));
    expect(reconciler.enqueue(job(1))).toBe(true);
    await reconciler.idle();
    expect(store.updates).toEqual([
      {
        requestId: 'req-1',
        attemptNumber: 0,
        costNanoUsd: 1234n,
        costSource: 'reconciled',
        tokens: { promptTokens: 10, completionTokens: 3, reasoningTokens: 0, cachedTokens: 0 },
      },
    ]);
    expect(reconciler.stats()).toMatchObject({ reconciled: 1, queued: 0, inFlight: 0 });
  });

  it('retries while the upstream does not know the generation yet, or has no cost yet', async () => {
    const answers = [null, cost('gen-1', null), cost('gen-1')];
    const lookup = vi.fn(() => Promise.resolve(answers.shift() ?? null));
    const { reconciler, store } = reconcilerWith(lookup);
    reconciler.enqueue(job(1));
    await reconciler.idle();
    expect(lookup).toHaveBeenCalledTimes(3);
    expect(store.updates).toHaveLength(1);
  });

  it('retries a row the ledger writer has not committed yet', async () => {
    const store = ledger(['missing', 'missing', 'updated']);
    const reconciler = createCostReconciler({
      lookup: () => (id) => Promise.resolve(cost(id)),
      repository: store.repository,
      ...FAST,
    });
    reconciler.enqueue(job(1));
    await reconciler.idle();
    expect(store.updates).toHaveLength(3);
    expect(reconciler.stats().reconciled).toBe(1);
  });

  it('gives up after giveUpAfterMs and keeps the cost as it was', async () => {
    const lookup = vi.fn(() => Promise.resolve(null));
    const logger = { info: vi.fn(), warn: vi.fn() };
    const { reconciler, store } = reconcilerWith(lookup, { giveUpAfterMs: 60, logger });
    reconciler.enqueue(job(1));
    await reconciler.idle();
    expect(lookup.mock.calls.length).toBeGreaterThan(1);
    expect(store.updates).toEqual([]);
    expect(reconciler.stats()).toMatchObject({ gaveUp: 1, reconciled: 0 });
    expect(logger.info).toHaveBeenCalledTimes(1);
  });

  it('gives up at once on a failure no retry can fix', async () => {
    const lookup = vi.fn(() =>
      Promise.reject(new SignalboxError('upstream_auth_failed', 'Upstream refused the key.')),
    );
    const { reconciler } = reconcilerWith(lookup);
    reconciler.enqueue(job(1));
    await reconciler.idle();
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(reconciler.stats().gaveUp).toBe(1);
  });

  it('pauses every lookup for the retry-after of a 429', async () => {
    const calls: number[] = [];
    let limited = true;
    const lookup: GenerationLookup = (id) => {
      calls.push(Date.now());
      if (limited) {
        limited = false;
        return Promise.reject(
          new SignalboxError('rate_limited', 'Rate limit exceeded', { retryAfterSeconds: 0.3 }),
        );
      }
      return Promise.resolve(cost(id));
    };
    const { reconciler } = reconcilerWith(lookup, { concurrency: 1, firstDelayMs: 0 });
    reconciler.enqueue(job(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    reconciler.enqueue(job(2));
    await reconciler.idle();
    expect(calls).toHaveLength(3);
    const [limitedAt = 0, ...later] = calls;
    // Neither the retried lookup nor the other attempt's ran before the 300 ms were over.
    for (const at of later) expect(at - limitedAt).toBeGreaterThanOrEqual(290);
    expect(reconciler.stats().reconciled).toBe(2);
  });

  it('holds at most `concurrency` lookups in flight', async () => {
    let running = 0;
    let most = 0;
    const lookup: GenerationLookup = async (id) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return cost(id);
    };
    const { reconciler } = reconcilerWith(lookup, { concurrency: 3 });
    for (let index = 0; index < 20; index += 1) reconciler.enqueue(job(index));
    await reconciler.idle();
    expect(most).toBe(3);
    expect(reconciler.stats().reconciled).toBe(20);
  });

  it('queues at most `maxQueue` attempts and drops the rest, counted', async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    const { reconciler } = reconcilerWith((id) => Promise.resolve(cost(id)), {
      maxQueue: 5,
      logger,
    });
    const accepted = Array.from({ length: 8 }, (_, index) => reconciler.enqueue(job(index)));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    // The same attempt again is not a new one.
    expect(reconciler.enqueue(job(0))).toBe(true);
    expect(reconciler.stats()).toMatchObject({ queued: 5, dropped: 3 });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await reconciler.idle();
    expect(reconciler.stats().reconciled).toBe(5);
  });

  it('skips providers without a lookup, and stops on close', async () => {
    const lookup = vi.fn(() => new Promise<GenerationCost | null>(() => undefined));
    const { reconciler } = reconcilerWith(lookup, { firstDelayMs: 0 });
    expect(reconciler.enqueue({ ...job(1), provider: 'anthropic' })).toBe(false);
    reconciler.enqueue(job(2));
    reconciler.enqueue({ ...job(3), attemptNumber: 1 });
    await vi.waitFor(() => {
      expect(lookup).toHaveBeenCalledTimes(2);
    });
    await reconciler.close();
    expect(reconciler.stats()).toMatchObject({ queued: 0, inFlight: 0 });
    expect(reconciler.enqueue(job(4))).toBe(false);
  });
});

function attempt(attemptNumber: number, overrides: Partial<AttemptRecord>): AttemptRecord {
  return {
    attemptNumber,
    provider: 'openrouter',
    model: 'openai/gpt-4o',
    servedModel: null,
    generationId: null,
    status: 'stream_interrupted',
    upstreamStatus: 200,
    startedAt: new Date(),
    latencyMs: 1,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    costNanoUsd: null,
    costSource: null,
    ...overrides,
  };
}

describe('attemptsToReconcile', () => {
  it('takes every attempt with a generation id and an unknown or estimated cost', () => {
    const record = {
      id: 'req-9',
      attempts: [
        attempt(0, {}),
        attempt(1, { generationId: 'gen-a' }),
        attempt(2, { generationId: 'gen-b', costNanoUsd: 10n, costSource: 'estimated' }),
        attempt(3, { generationId: 'gen-c', costNanoUsd: 10n, costSource: 'provider' }),
        attempt(4, { generationId: 'gen-d', costNanoUsd: 10n, costSource: 'computed' }),
        attempt(5, { generationId: 'gen-e', provider: 'anthropic' }),
      ],
    } as RequestRecord;
    expect(attemptsToReconcile(record)).toEqual([
      { requestId: 'req-9', attemptNumber: 1, provider: 'openrouter', generationId: 'gen-a' },
      { requestId: 'req-9', attemptNumber: 2, provider: 'openrouter', generationId: 'gen-b' },
      { requestId: 'req-9', attemptNumber: 5, provider: 'anthropic', generationId: 'gen-e' },
    ]);
  });
});
