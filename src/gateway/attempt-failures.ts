/**
 * What an attempt's failure means for the request: try the next candidate, retry this one, or
 * stop — and, when every candidate failed, the one error the client gets, listing each attempt.
 */
import { SignalboxError, type FailedAttempt } from '../contracts/errors.ts';
import type { AttemptRecord } from '../contracts/ledger.ts';

/**
 * Whether a failure should move the request to the next candidate: every retryable failure,
 * and the provider-side ones a different provider may not share (its credentials, its credits,
 * its model list). Never the client's own errors.
 */
export function canFallBack(failure: SignalboxError): boolean {
  return (
    failure.retryable ||
    failure.code === 'upstream_auth_failed' ||
    failure.code === 'upstream_insufficient_credits' ||
    failure.code === 'model_not_found'
  );
}

/**
 * A graceful reply may stand in for this failure: the upstreams failed, not the client. A 404
 * that survived every fallback means no provider knows the model the client asked for: the
 * client's error, which a canned answer must not hide.
 */
export function isUpstreamFailure(failure: SignalboxError): boolean {
  return (
    (canFallBack(failure) && failure.code !== 'model_not_found') ||
    failure.code === 'deadline_exceeded'
  );
}

/** The client-facing summary of the failed attempts. */
export function failedAttempts(attempts: readonly AttemptRecord[]): FailedAttempt[] {
  return attempts
    .filter((attempt) => attempt.status !== 'success')
    .map((attempt) => ({
      provider: attempt.provider,
      model: attempt.model,
      code: attempt.status,
      upstream_status: attempt.upstreamStatus,
    }));
}

/**
 * The error that ends an attempt loop: the last failure, carrying every failed attempt in
 * `error.metadata.attempts`; with more than one attempt its message says how many failed.
 */
export function loopFailure(
  last: SignalboxError,
  attempts: readonly AttemptRecord[],
): SignalboxError {
  const failed = failedAttempts(attempts);
  if (failed.length === 0) return last;
  if (failed.length === 1) return last.with({ attempts: failed });
  return new SignalboxError(
    last.code,
    `All ${failed.length} upstream attempts failed; the last one: ${last.message}`,
    {
      param: last.param,
      ...(last.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: last.retryAfterSeconds }),
      ...(last.upstreamStatus === undefined ? {} : { upstreamStatus: last.upstreamStatus }),
      attempts: failed,
      cause: last,
    },
  );
}

/** The request outlived its deadline (attempts, retries and backoff included). */
export function deadlineFailure(): SignalboxError {
  return new SignalboxError(
    'deadline_exceeded',
    'The request did not finish within its deadline (SIGNALBOX_REQUEST_TIMEOUT_MS or x-signalbox-timeout-ms).',
  );
}
