/**
 * Requests and tokens per minute, per key and per project: GCRA (the generic cell rate
 * algorithm, as in Stripe's and redis-cell's limiters), one stored number per limit — the
 * theoretical arrival time (TAT). A limit of L per minute emits one unit every T = 60 000 / L ms
 * and tolerates a burst of L: a take of `cost` units is allowed when `max(TAT, now) + cost·T −
 * now ≤ 60 000`, and then moves TAT there. Exact (no window edges letting 2·L through), O(1),
 * and the `x-ratelimit-*` headers fall out of it: remaining = floor((60 000 − (TAT − now)) / T),
 * reset = TAT − now (until the limit is whole again). Several limits are taken all-or-nothing.
 * Implementations: memory (this file) and Redis (redis-rate-limiter.ts).
 */

/** One limit to take from: `cost` units of `limit` per minute under `key`. */
export interface RateTake {
  /** e.g. `rpm:key:<id>`. */
  readonly key: string;
  /** Units per minute (> 0). */
  readonly limit: number;
  /** Units this request takes (requests: 1; tokens: the estimate). */
  readonly cost: number;
}

/** A limit's state after a take (or a refused take). */
export interface RateState {
  readonly limit: number;
  /** Units left now. */
  readonly remaining: number;
  /** Until the limit is whole again, ms. */
  readonly resetMs: number;
}

export interface RateResult {
  readonly allowed: boolean;
  /** In the order of the takes. */
  readonly states: readonly RateState[];
  /** When refused: wait this long before the refused takes can fit, ms (Infinity: never). */
  readonly retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Takes every limit or none.
   * @throws when the store (Redis) is unreachable
   */
  take(takes: readonly RateTake[]): Promise<RateResult>;
  /**
   * Gives back (negative `delta`) or takes more (positive) units without a check: the tokens
   * per minute corrected with the actual usage at settle.
   */
  adjust(key: string, limit: number, delta: number): Promise<void>;
  close(): Promise<void>;
}

export const RATE_PERIOD_MS = 60_000;

/** GCRA on the stored TAT (ms; absent = 0). Pure. */
export function gcra(
  tat: number,
  now: number,
  take: RateTake,
): { allowed: boolean; newTat: number; state: RateState; retryAfterMs: number } {
  const interval = RATE_PERIOD_MS / take.limit;
  const base = Math.max(tat, now);
  const candidate = base + take.cost * interval;
  if (take.cost > take.limit)
    return {
      allowed: false,
      newTat: tat,
      state: stateOf(take.limit, base, now, interval),
      retryAfterMs: Infinity,
    };
  if (candidate - now > RATE_PERIOD_MS)
    return {
      allowed: false,
      newTat: tat,
      state: stateOf(take.limit, base, now, interval),
      retryAfterMs: candidate - now - RATE_PERIOD_MS,
    };
  return {
    allowed: true,
    newTat: candidate,
    state: stateOf(take.limit, candidate, now, interval),
    retryAfterMs: 0,
  };
}

function stateOf(limit: number, tat: number, now: number, interval: number): RateState {
  const used = Math.max(0, tat - now);
  return {
    limit,
    remaining: Math.max(0, Math.floor((RATE_PERIOD_MS - used) / interval + 1e-9)),
    resetMs: Math.ceil(used),
  };
}

/** Limits of one instance (a Map of TATs, expired lazily). */
export function createMemoryRateLimiter(options: { now?: () => number } = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const tats = new Map<string, number>();
  let sweptAt = 0;
  function sweep(at: number): void {
    if (at - sweptAt < RATE_PERIOD_MS) return;
    sweptAt = at;
    for (const [key, tat] of tats) if (tat <= at) tats.delete(key);
  }
  return {
    take(takes) {
      const at = now();
      sweep(at);
      const results = takes.map((take) => gcra(tats.get(take.key) ?? 0, at, take));
      const allowed = results.every((result) => result.allowed);
      if (allowed) takes.forEach((take, index) => tats.set(take.key, results[index]?.newTat ?? 0));
      return Promise.resolve({
        allowed,
        states: results.map((result) => result.state),
        retryAfterMs: allowed ? 0 : Math.max(...results.map((result) => result.retryAfterMs)),
      });
    },
    adjust(key, limit, delta) {
      const at = now();
      const tat = Math.max(tats.get(key) ?? 0, at);
      tats.set(key, Math.max(at, tat + (delta * RATE_PERIOD_MS) / limit));
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
