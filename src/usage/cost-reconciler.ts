/**
 * The cost reconciler (issue 7 defect 11, issue 10 "Cost truth"; ADR 0009): a background service
 * that asks the upstream what it billed for attempts that ended without reporting their cost —
 * a stream cut short, a stall, an in-band error, a client gone, an abandoned retry, a stream
 * without a usage chunk, a request interrupted by a crash — and writes it into the ledger with
 * the cost source `reconciled` (the request's total and source follow, storage
 * `updateAttemptCost`). Unknown stays NULL (or the estimate) until then, and for good when the
 * upstream has no such lookup or never answers.
 *
 * Off the request path and bounded: at most `concurrency` lookups at once, at most `maxQueue`
 * attempts waiting (beyond it new ones are dropped, counted and logged), the first lookup
 * `firstDelayMs` after the attempt ended (OpenRouter's record appears a few seconds late and
 * answers 404 until then), retries with capped exponential backoff and jitter, a `rate_limited`
 * answer pausing every lookup for its `retry-after`, and each attempt given up `giveUpAfterMs`
 * after it was queued. A row the ledger writer has not committed yet is retried the same way.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { RequestRecord } from '../contracts/ledger.ts';
import { retryDelayMs } from '../lib/backoff.ts';
import type { CallOptions, GenerationCost } from '../providers/index.ts';
import type { LedgerRepository } from '../storage/index.ts';

/** One attempt to reconcile. */
export interface ReconcileJob {
  requestId: string;
  attemptNumber: number;
  /** Signalbox provider id: whose `fetchGeneration` to ask. */
  provider: string;
  generationId: string;
}

/** A provider's `fetchGeneration` (providers/provider-adapter.ts). */
export type GenerationLookup = (
  generationId: string,
  options?: CallOptions,
) => Promise<GenerationCost | null>;

export interface CostReconcilerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CostReconcilerOptions {
  /** The provider's generation lookup; undefined when it has none (its attempts are skipped). */
  lookup: (provider: string) => GenerationLookup | undefined;
  repository: Pick<LedgerRepository, 'updateAttemptCost'>;
  /** Most lookups in flight at once; default 4. */
  concurrency?: number;
  /** Most attempts queued or in flight; default 10 000. */
  maxQueue?: number;
  /** Wait before the first lookup, ms; default 2 000. */
  firstDelayMs?: number;
  /** First retry delay before jitter, ms; default 2 000. */
  initialBackoffMs?: number;
  /** Largest retry delay before jitter, ms; default 60 000. */
  maxBackoffMs?: number;
  /** An attempt is given up this long after it was queued, ms; default 600 000 (10 min). */
  giveUpAfterMs?: number;
  /** Random source in [0, 1) for the jitter; injectable for tests. */
  random?: () => number;
  logger?: CostReconcilerLogger;
}

/** Counters since start. */
export interface CostReconcilerStats {
  /** Waiting for their (next) lookup. */
  queued: number;
  inFlight: number;
  /** Costs written (`reconciled`). */
  reconciled: number;
  /** Found already costed in the ledger (nothing to do). */
  alreadyCosted: number;
  /** Given up: never found, never billed, or refused for good; their cost stays as it was. */
  gaveUp: number;
  /** Refused because the queue was full. */
  dropped: number;
}

export interface CostReconciler {
  /**
   * Queues one attempt; false when its provider has no lookup, the queue is full (dropped) or
   * the reconciler is closed. An attempt already queued is not queued twice (true).
   */
  enqueue(job: ReconcileJob): boolean;
  /**
   * The settlement listener: queues every attempt of `record` that has a generation id and a
   * NULL or `estimated` cost. Never throws.
   */
  onSettled(record: RequestRecord): void;
  stats(): CostReconcilerStats;
  /** Resolves once nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Stops: clears the queue (those costs stay as they are) and aborts the lookups in flight,
   * none of which writes to the ledger afterwards. Resolves without waiting for them.
   */
  close(): Promise<void>;
}

/** The attempts of a settled record worth a lookup. Pure. */
export function attemptsToReconcile(record: RequestRecord): ReconcileJob[] {
  const jobs: ReconcileJob[] = [];
  for (const attempt of record.attempts) {
    if (attempt.generationId === null) continue;
    if (attempt.costNanoUsd !== null && attempt.costSource !== 'estimated') continue;
    jobs.push({
      requestId: record.id,
      attemptNumber: attempt.attemptNumber,
      provider: attempt.provider,
      generationId: attempt.generationId,
    });
  }
  return jobs;
}

interface Entry {
  job: ReconcileJob;
  key: string;
  lookup: GenerationLookup;
  /** ms since the epoch. */
  queuedAt: number;
  retries: number;
  timer: NodeJS.Timeout | null;
}

type Outcome = { done: true } | { done: false; delayMs?: number; reason: string };

/** Creates a reconciler; it does nothing until attempts are queued. */
export function createCostReconciler(options: CostReconcilerOptions): CostReconciler {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxQueue = Math.max(1, options.maxQueue ?? 10_000);
  const firstDelayMs = Math.max(0, options.firstDelayMs ?? 2_000);
  const backoff = {
    initialMs: Math.max(1, options.initialBackoffMs ?? 2_000),
    maxMs: Math.max(1, options.maxBackoffMs ?? 60_000),
    ...(options.random === undefined ? {} : { random: options.random }),
  };
  const giveUpAfterMs = Math.max(0, options.giveUpAfterMs ?? 600_000);
  const logger = options.logger;

  const entries = new Map<string, Entry>();
  const ready: Entry[] = [];
  const inFlight = new Map<Entry, AbortController>();
  const counters = { reconciled: 0, alreadyCosted: 0, gaveUp: 0, dropped: 0 };
  let pausedUntil = 0;
  let resumeTimer: NodeJS.Timeout | null = null;
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  function schedule(entry: Entry, delayMs: number): void {
    entry.timer = setTimeout(() => {
      entry.timer = null;
      ready.push(entry);
      pump();
    }, delayMs);
    // Reconciliation must never keep the process alive.
    entry.timer.unref();
  }

  function pump(): void {
    if (closed) return;
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      if (resumeTimer === null && ready.length > 0) {
        resumeTimer = setTimeout(() => {
          resumeTimer = null;
          pump();
        }, wait);
        resumeTimer.unref();
      }
      return;
    }
    while (inFlight.size < concurrency && ready.length > 0) {
      const entry = ready.shift();
      if (entry !== undefined) void run(entry);
    }
  }

  function finish(entry: Entry): void {
    entries.delete(entry.key);
    if (entries.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async function run(entry: Entry): Promise<void> {
    const controller = new AbortController();
    inFlight.set(entry, controller);
    let outcome: Outcome;
    try {
      outcome = await reconcile(entry, controller.signal);
    } catch (error) {
      outcome = failed(error);
    } finally {
      inFlight.delete(entry);
    }
    if (closed) {
      finish(entry);
    } else if (outcome.done) {
      finish(entry);
    } else {
      retry(entry, outcome);
    }
    pump();
  }

  async function reconcile(entry: Entry, signal: AbortSignal): Promise<Outcome> {
    const cost = await entry.lookup(entry.job.generationId, { signal });
    // Closed meanwhile: the database may be closing too.
    if (signal.aborted) return { done: true };
    if (cost?.costNanoUsd === null || cost === null) {
      return { done: false, reason: cost === null ? 'not found yet' : 'no cost yet' };
    }
    const result = await options.repository.updateAttemptCost({
      requestId: entry.job.requestId,
      attemptNumber: entry.job.attemptNumber,
      costNanoUsd: cost.costNanoUsd,
      costSource: 'reconciled',
      tokens: {
        promptTokens: cost.promptTokens,
        completionTokens: cost.completionTokens,
        reasoningTokens: cost.reasoningTokens,
        cachedTokens: cost.cachedTokens,
      },
    });
    if (result === 'missing') return { done: false, reason: 'ledger row not committed yet' };
    if (result === 'updated') counters.reconciled += 1;
    else counters.alreadyCosted += 1;
    return { done: true };
  }

  function failed(error: unknown): Outcome {
    if (!(error instanceof SignalboxError)) {
      // The database (or something unforeseen) failed: worth another try later.
      return { done: false, reason: error instanceof Error ? error.message : 'failed' };
    }
    if (error.code === 'rate_limited') {
      const delayMs = retryDelayMs(0, error.retryAfterSeconds, backoff);
      // OpenRouter's limits are per account: every lookup waits, not just this one.
      pausedUntil = Math.max(pausedUntil, Date.now() + delayMs);
      return { done: false, delayMs, reason: 'rate limited' };
    }
    if (!error.retryable && error.code !== 'client_closed_request') {
      return { done: false, delayMs: Infinity, reason: error.code };
    }
    return { done: false, reason: error.code };
  }

  function retry(entry: Entry, outcome: Extract<Outcome, { done: false }>): void {
    const delayMs = Math.max(outcome.delayMs ?? 0, retryDelayMs(entry.retries, undefined, backoff));
    entry.retries += 1;
    if (Date.now() + delayMs - entry.queuedAt > giveUpAfterMs) {
      counters.gaveUp += 1;
      logger?.info(
        { ...entry.job, lookups: entry.retries, reason: outcome.reason },
        'cost reconciliation given up; the attempt keeps its unknown or estimated cost',
      );
      finish(entry);
      return;
    }
    schedule(entry, delayMs);
  }

  const reconciler: CostReconciler = {
    enqueue(job) {
      if (closed) return false;
      const lookup = options.lookup(job.provider);
      if (lookup === undefined) return false;
      const key = `${job.requestId}\u0000${String(job.attemptNumber)}`;
      if (entries.has(key)) return true;
      if (entries.size >= maxQueue) {
        counters.dropped += 1;
        if (counters.dropped === 1 || counters.dropped % 1000 === 0) {
          logger?.warn(
            { dropped: counters.dropped, maxQueue },
            'cost reconciliation queue full; attempts dropped keep their unknown cost',
          );
        }
        return false;
      }
      const entry: Entry = { job, key, lookup, queuedAt: Date.now(), retries: 0, timer: null };
      entries.set(key, entry);
      schedule(entry, firstDelayMs);
      return true;
    },
    onSettled(record) {
      try {
        for (const job of attemptsToReconcile(record)) reconciler.enqueue(job);
      } catch (error) {
        logger?.warn({ err: error, requestId: record.id }, 'cost reconciliation not queued');
      }
    },
    stats() {
      return { queued: entries.size - inFlight.size, inFlight: inFlight.size, ...counters };
    },
    idle() {
      if (entries.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close() {
      closed = true;
      if (resumeTimer !== null) clearTimeout(resumeTimer);
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
      for (const entry of entries.values()) {
        if (entry.timer !== null) clearTimeout(entry.timer);
        finish(entry);
      }
      ready.length = 0;
      return Promise.resolve();
    },
  };
  return reconciler;
}
