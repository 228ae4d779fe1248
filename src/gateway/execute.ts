/**
 * Stage 4, execute: the attempt loop over the plan's candidates. A candidate whose circuit is
 * open (health registry) is skipped; a failure moves to the next candidate when another
 * provider may not share it, or retries the same one after a backoff (honouring the upstream's
 * `retry-after`); every retry and fallback must fit the instance's retry budget and the
 * request's deadline. Streams commit on their first content event, so everything here is still
 * invisible to the client (docs/decisions/0002-commit-point-and-retries.md).
 */
import { SignalboxError, toSignalboxError } from '../contracts/errors.ts';
import { nextRetryDelayMs, sleep } from '../lib/backoff.ts';
import type { CallOptions } from '../providers/index.ts';
import type { RouteCandidate } from '../routing/route-plan.ts';
import { routeHeader } from '../routing/route-header.ts';
import { canFallBack, deadlineFailure, loopFailure } from './attempt-failures.ts';
import { runJsonAttempt } from './attempt-json.ts';
import { openStreamAttempt } from './attempt-stream.ts';
import { beginAttempt, finishAttempt } from './attempt-tracker.ts';
import type { Execution } from './execution.ts';
import { journalAttempt } from './journal-attempt.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestBody, RequestContext } from './request-context.ts';
import { attemptTraceparent } from './request-trace.ts';

function callOptionsFor(
  context: RequestContext,
  request: RequestBody,
  timeouts: { firstByteMs: number },
): CallOptions {
  const options: CallOptions = { signal: context.abort.signal, timeouts };
  if (request.bytes !== null) options.rawBody = request.bytes;
  if (context.attribution.referer !== undefined || context.attribution.title !== undefined)
    options.attribution = context.attribution;
  if (context.trace !== null)
    options.traceparent = attemptTraceparent(context.trace, context.attempts.length);
  return options;
}

/**
 * When every candidate from `from` on is cooling down (open circuit, or its probe taken), the
 * index of the one that reopens first; else -1. Reads the registry without taking a permit.
 */
function panicCandidate(
  services: GatewayServices,
  candidates: readonly RouteCandidate[],
  from: number,
): number {
  let earliest = -1;
  let earliestAt = Infinity;
  for (let index = from; index < candidates.length; index += 1) {
    const candidate = candidates[index] as RouteCandidate;
    const state = services.health.peek(candidate.provider, candidate.model, services.now());
    if (!state.open) return -1;
    if (state.retryAtMs < earliestAt) {
      earliest = index;
      earliestAt = state.retryAtMs;
    }
  }
  return earliest;
}

/** The request as this candidate must receive it (its native model name). */
function requestFor(body: RequestBody, candidate: RouteCandidate): RequestBody {
  return body.with({ model: candidate.model });
}

/**
 * Runs the loop until one attempt succeeds (JSON) or reaches its first content event (stream).
 * @throws SignalboxError when every candidate failed (`error.metadata.attempts` lists them), the
 *   client's own error on the first attempt that shows it, `deadline_exceeded` or
 *   `client_closed_request` when the request's signal aborts.
 */
export async function execute(
  context: RequestContext,
  services: GatewayServices,
): Promise<Execution> {
  const { body, plan } = context;
  if (body === null || plan === null) throw new Error('execute before plan');
  const { resilience } = services;
  const signal = context.abort.signal;
  const candidates = plan.candidates;
  const fallbackTtftMs = plan.ttftTimeoutMs ?? resilience.fallbackTtftMs;
  let index = 0;
  let retries = 0;
  let dispatched = 0;
  /** A retry's budget token, taken before its backoff. */
  let prepaid = false;
  let last: SignalboxError | null = null;
  while (index < candidates.length) {
    // A client that left, or a deadline that passed, before dispatch: no attempt to make or record.
    if (context.abort.signal.aborted)
      throw loopFailure(toSignalboxError(context.abort.signal.reason), context.attempts);
    let candidate = candidates[index] as RouteCandidate;
    let permit = services.health.permit(candidate.provider, candidate.model, services.now());
    if (permit.decision === 'skip') {
      const forced = panicCandidate(services, candidates, index);
      if (forced === -1) {
        index += 1;
        retries = 0;
        continue;
      }
      // Every remaining candidate is cooling down: the one that reopens first is tried anyway
      // ("panic routing", as Envoy's panic threshold), so a model with one provider is not
      // refused for a whole cooldown; the retry budget still caps the load on it.
      index = forced;
      candidate = candidates[forced] as RouteCandidate;
      permit = { decision: 'allow' };
      services.logger.info(
        { requestId: context.id, provider: candidate.provider },
        'every remaining candidate is cooling down: trying the one that reopens first',
      );
    }
    const adapter = services.provider(candidate.provider);
    if (adapter === undefined) {
      if (permit.decision === 'probe') permit.release();
      last = new SignalboxError('upstream_unavailable', 'A planned provider is not configured.');
      index += 1;
      continue;
    }
    if (dispatched > 0 && !prepaid && !services.retryBudget.tryAcquire(services.now())) {
      if (permit.decision === 'probe') permit.release();
      services.logger.warn(
        { requestId: context.id, provider: candidate.provider },
        'retry budget spent: no further attempt',
      );
      break;
    }
    prepaid = false;
    if (dispatched === 0) services.retryBudget.recordRequest(services.now());
    dispatched += 1;
    const remaining = Math.floor(context.deadlineAt - services.now());
    if (remaining <= 0) {
      if (permit.decision === 'probe') permit.release();
      throw loopFailure(deadlineFailure(), context.attempts);
    }
    // The deadline ends an attempt through the request's signal (reason `deadline_exceeded`).
    // The adapter's own timers are not set to the time left: they would race that signal and,
    // winning, record the client's deadline as the upstream's `upstream_timeout` — a target
    // failure that trips the circuit for every client.
    const firstByteMs = resilience.firstByteTimeoutMs;
    const hasAlternative = index + 1 < candidates.length;
    // A stream waits this long for its first token before the next candidate takes over.
    const ttftMs =
      context.stream && hasAlternative ? Math.min(fallbackTtftMs, firstByteMs) : firstByteMs;
    const request = requestFor(body, candidate);
    const callOptions = callOptionsFor(context, request, {
      firstByteMs: context.stream ? ttftMs : firstByteMs,
    });
    const attempt = beginAttempt(services, candidate);
    // The intent is journaled before dispatch (a failure here fails the request: nothing was
    // sent, so nothing can be billed unrecorded), the generation id as soon as headers name it.
    const journaled = await journalAttempt(services, {
      requestId: context.id,
      receivedAt: context.receivedAt,
      request: body.request,
      bodyBytes: body.bytes?.length ?? null,
      attemptNumber: context.attempts.length,
      candidate,
      startedAt: attempt.startedAt,
    });
    callOptions.onGeneration = journaled.onGeneration;
    try {
      const execution = context.stream
        ? await openStreamAttempt(services, adapter, attempt, request.request, callOptions, ttftMs)
        : await runJsonAttempt(context, services, adapter, attempt, request.request, callOptions);
      context.responseHeaders['x-signalbox-provider'] = candidate.provider;
      context.servedCandidate = index;
      // The header names the target that served: the plan's first choice, or a fallback.
      if (index > 0)
        context.responseHeaders['x-signalbox-route'] = routeHeader(plan.decision, {
          model: candidate.canonicalModel,
          provider: candidate.provider,
          position: index,
        });
      return execution;
    } catch (error) {
      const failure = toSignalboxError(error);
      finishAttempt(context, services, attempt, {
        status: failure.code,
        upstreamStatus: failure.upstreamStatus ?? null,
        servedModel: null,
        // A failed attempt keeps its generation, for the cost reconciler.
        generationId: journaled.generationId,
        ttftMs: null,
        usage: null,
      });
      if (signal.aborted) throw loopFailure(failure, context.attempts);
      last = failure;
      if (canFallBack(failure) && hasAlternative) {
        services.logger.warn(
          {
            requestId: context.id,
            code: failure.code,
            from: candidate.provider,
            to: candidates[index + 1]?.provider,
          },
          'falling back to the next candidate',
        );
        index += 1;
        retries = 0;
        continue;
      }
      const delay = nextRetryDelayMs(
        retries,
        failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000,
      );
      if (
        !failure.retryable ||
        retries >= resilience.maxRetries ||
        delay > resilience.maxRetryDelayMs ||
        services.now() + delay >= context.deadlineAt
      )
        break;
      // The budget is asked before the backoff: a client must not wait for a retry it cannot get.
      if (!services.retryBudget.tryAcquire(services.now())) {
        services.logger.warn(
          { requestId: context.id, provider: candidate.provider },
          'retry budget spent: no further attempt',
        );
        break;
      }
      prepaid = true;
      services.logger.warn(
        { requestId: context.id, code: failure.code, retry: retries, delayMs: delay },
        'retrying upstream',
      );
      retries += 1;
      await sleep(delay, signal);
    }
  }
  if (last !== null) throw loopFailure(last, context.attempts);
  throw new SignalboxError(
    'upstream_unavailable',
    'No upstream can serve this model with these provider preferences.',
  );
}
