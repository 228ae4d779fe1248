/**
 * Retry delays: the upstream's Retry-After when it gave one, else capped exponential
 * backoff with full jitter (as openai-node and undici's retry interceptor do).
 */

export interface BackoffOptions {
  /** First delay before jitter, ms. */
  initialMs?: number;
  /** Largest delay before jitter, ms. */
  maxMs?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `retry` (0 = the first retry), in ms.
 * `retryAfterSeconds` (from `retry-after`/`retry-after-ms`) wins when present.
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
  const initial = options.initialMs ?? 250;
  const max = options.maxMs ?? 8_000;
  const ceiling = Math.min(max, initial * 2 ** retry);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
