/**
 * The retry budget: retries and fallbacks across the whole instance stay within a percentage of
 * first attempts over a sliding window, plus a small floor so a quiet instance can still retry.
 * A full upstream outage therefore adds at most `percent` % extra load instead of multiplying it
 * by the retry count. Follows Envoy's retry budget (`retry_budget.budget_percent`,
 * envoyproxy.io, cluster circuit breakers) and Finagle's `RetryBudget(ttl, minRetriesPerSec,
 * percentCanRetry)`: like Finagle the floor is added to the percentage, not a minimum of it.
 * Pure and in-memory (per instance); O(1) per call.
 */
import { SlidingWindow } from '../lib/sliding-window.ts';

export interface RetryBudgetOptions {
  /** Extra attempts allowed, as a percentage of first attempts in the window. Default 20. */
  percent?: number;
  /** Extra attempts allowed per second of window whatever the traffic. Default 3 (30 per 10 s). */
  minRetriesPerSecond?: number;
  /** Length of the sliding window, ms. Default 10 000. */
  windowMs?: number;
  /** Buckets in the window (the window slides by `windowMs / buckets`). Default 10. */
  buckets?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** The budget's state, for metrics (`GET /metrics`, logs). */
export interface RetryBudgetSnapshot {
  windowMs: number;
  percent: number;
  minRetriesPerSecond: number;
  /** First attempts in the window. */
  requests: number;
  /** Retries and fallbacks granted in the window. */
  retries: number;
  /** Extra attempts the window allows: ⌊requests·percent/100 + minRetriesPerSecond·windowMs/1000⌋. */
  limit: number;
  /** `limit - retries`, never below 0. */
  available: number;
  /** Tokens granted since creation. */
  grantedTotal: number;
  /** Tokens refused since creation (budget exhausted). */
  refusedTotal: number;
}

export interface RetryBudget {
  /** Counts one first attempt of a client request (not a retry, not a fallback). */
  recordRequest(now?: number): void;
  /**
   * Takes one token for a retry or a fallback attempt. `false` = the budget is exhausted: do not
   * make the extra attempt, answer the client with the last error instead.
   */
  tryAcquire(now?: number): boolean;
  snapshot(now?: number): RetryBudgetSnapshot;
}

const REQUESTS = 0;
const RETRIES = 1;

/**
 * Creates an instance-wide retry budget.
 * @throws RangeError when an option is out of range (negative percent, window ≤ 0, …)
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const percent = options.percent ?? 20;
  const minRetriesPerSecond = options.minRetriesPerSecond ?? 3;
  const windowMs = options.windowMs ?? 10_000;
  const clock = options.now ?? Date.now;
  if (!(percent >= 0) || !(minRetriesPerSecond >= 0)) {
    throw new RangeError('retry budget: percent and minRetriesPerSecond must be ≥ 0');
  }
  const window = new SlidingWindow(windowMs, options.buckets ?? 10, 2);
  const floor = (minRetriesPerSecond * windowMs) / 1000;
  let grantedTotal = 0;
  let refusedTotal = 0;

  function limitAt(now: number): number {
    return Math.floor((window.total(now, REQUESTS) * percent) / 100 + floor);
  }

  return {
    recordRequest(now = clock()) {
      window.add(now, REQUESTS);
    },
    tryAcquire(now = clock()) {
      if (window.total(now, RETRIES) >= limitAt(now)) {
        refusedTotal += 1;
        return false;
      }
      window.add(now, RETRIES);
      grantedTotal += 1;
      return true;
    },
    snapshot(now = clock()) {
      const retries = window.total(now, RETRIES);
      const limit = limitAt(now);
      return {
        windowMs,
        percent,
        minRetriesPerSecond,
        requests: window.total(now, REQUESTS),
        retries,
        limit,
        available: Math.max(0, limit - retries),
        grantedTotal,
        refusedTotal,
      };
    },
  };
}
