/**
 * Retry delays: the upstream's hint when it gave one, else capped exponential backoff with
 * jitter (as openai-node and undici's retry interceptor do).
 */

export interface BackoffOptions {
  /** First delay before jitter, ms. */
  initialMs?: number;
  /** Largest delay before jitter, ms. */
  maxMs?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

const DEFAULT_INITIAL_MS = 250;
const DEFAULT_MAX_MS = 8_000;

/**
 * Delay before retry number `retry` (0 = the first retry), in ms.
 * `retryAfterSeconds` (from `retry-after`/`retry-after-ms`) wins when present. Without it the
 * delay is "equal jitter": uniform in [ceiling / 2, ceiling], ceiling = min(maxMs, initialMs·2^retry).
 * Prefer {@link nextRetryDelayMs}, which keeps a millisecond hint in milliseconds.
 */
export function retryDelayMs(
  retry: number,
  retryAfterSeconds: number | undefined,
  options: BackoffOptions = {},
): number {
  if (
    retryAfterSeconds !== undefined &&
    Number.isFinite(retryAfterSeconds) &&
    retryAfterSeconds >= 0
  ) {
    return Math.ceil(retryAfterSeconds * 1000);
  }
  const ceiling = backoffCeilingMs(retry, options);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter",
 * 2015): uniform in [0, min(maxMs, initialMs·2^retry)), whole ms. Spreads the retries of many
 * clients that failed together, so they do not come back in synchronised waves.
 * @param retry 0 for the first retry
 */
export function fullJitterBackoffMs(retry: number, options: BackoffOptions = {}): number {
  const random = options.random ?? Math.random;
  return Math.floor(random() * backoffCeilingMs(retry, options));
}

/**
 * Delay before retry number `retry`, in ms: the upstream's hint `retryAfterMs` exactly when it
 * is a finite non-negative number (a `retry-after-ms: 200` waits 200 ms — see
 * `parseRetryAfterMs` in providers/shared/map-upstream-error.ts), else {@link fullJitterBackoffMs}.
 */
export function nextRetryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = {},
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.ceil(retryAfterMs);
  }
  return fullJitterBackoffMs(retry, options);
}

function backoffCeilingMs(retry: number, options: BackoffOptions): number {
  const initial = options.initialMs ?? DEFAULT_INITIAL_MS;
  const max = options.maxMs ?? DEFAULT_MAX_MS;
  // 2 ** retry overflows to Infinity for huge retry counts; Math.min keeps the cap.
  return Math.min(max, initial * 2 ** Math.max(0, retry));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
