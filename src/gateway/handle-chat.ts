/**
 * The chat pipeline: validate → authorize → plan → admit → execute → deliver, then settle exactly once in a
 * `finally`, whatever happened (docs/architecture.md, docs/decisions/0007-request-pipeline.md). No HTTP
 * types: the caller hands in the parsed body and a ResponseWriter, and every outcome — answer,
 * error, graceful reply — leaves through that writer.
 */
import type { Principal } from '../contracts/principal.ts';
import { toSignalboxError } from '../contracts/errors.ts';
import { admit } from './admit.ts';
import { authorize, authorizePlan } from './authorize.ts';
import { deadlineFailure, isUpstreamFailure, loopFailure } from './attempt-failures.ts';
import { deliver } from './deliver.ts';
import { execute } from './execute.ts';
import { deliverFallbackReply } from './fallback-reply.ts';
import type { GatewayServices } from './gateway-services.ts';
import { plan } from './plan.ts';
import type { RequestContext } from './request-context.ts';
import type { ResponseWriter } from './response-writer.ts';
import { settle } from './settle.ts';
import { validate } from './validate.ts';
import { requestTrace } from './request-trace.ts';

export interface ChatInput {
  /** The parsed JSON body. */
  body: unknown;
  /** The body's original bytes, forwarded unchanged when no translation is needed. */
  rawBody?: Buffer | undefined;
  /** The `x-request-id` of the response, also the ledger row's id. */
  requestId: string;
  /**
   * Aborted by the caller when the client goes away (with a SignalboxError
   * `client_closed_request` as its reason); the pipeline also aborts it at the deadline.
   */
  abort: AbortController;
  /** When the request arrived, ms since the epoch. */
  receivedAt: number;
  /** The caller (the master key until governance adds virtual keys). */
  principal: Principal;
  /** This request's deadline, ms (`x-signalbox-timeout-ms`); the configured one when absent or larger. */
  timeoutMs?: number | undefined;
  /** `x-signalbox-max-cost-usd`: cap on the request's worst-case cost, USD. */
  maxCostUsd?: number | null | undefined;
  /** The client's own OpenRouter attribution (`HTTP-Referer`, `X-Title` / `X-OpenRouter-Title`). */
  attribution?: { referer?: string; title?: string } | undefined;
  /** The client's W3C `traceparent` header (read only when tracing is on). */
  traceparent?: string | undefined;
}

/** A fresh context for one request (also used by explain, which stops after plan). */
export function createRequestContext(input: ChatInput, services: GatewayServices): RequestContext {
  const limit = services.resilience.requestTimeoutMs;
  const timeoutMs =
    input.timeoutMs === undefined ? limit : Math.max(1, Math.min(input.timeoutMs, limit));
  const body = input.body;
  return {
    id: input.requestId,
    receivedAt: input.receivedAt,
    deadlineAt: input.receivedAt + timeoutMs,
    abort: input.abort,
    principal: input.principal,
    input: body,
    stream:
      typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true,
    body: null,
    maxCostUsd: input.maxCostUsd ?? null,
    plan: null,
    servedCandidate: null,
    attempts: [],
    queueWaitMs: null,
    reservation: null,
    responseHeaders: {},
    tags: {},
    attribution: input.attribution ?? {},
    result: null,
    trace: services.tracing === true ? requestTrace(input.traceparent) : null,
  };
}

/**
 * Runs one chat request to its end. Resolves once the request is settled (ledger record
 * journaled, listeners done); never rejects for a request's own failure — that went to
 * `writer.error` (or in-band, after a stream's commit point).
 */
export async function handleChat(
  input: ChatInput,
  services: GatewayServices,
  writer: ResponseWriter,
): Promise<void> {
  const context = createRequestContext(input, services);
  const deadline = setTimeout(
    () => {
      context.abort.abort(deadlineFailure());
    },
    Math.max(0, context.deadlineAt - services.now()),
  );
  // Only a failure of the attempt loop may get the graceful reply: validation, planning and
  // admission refuse the client's own request (a bad body, a disabled model, a rate limit).
  let executing = false;
  try {
    validate(context, input.rawBody ?? null);
    authorize(context);
    plan(context, services);
    authorizePlan(context);
    await admit(context, services);
    executing = true;
    const execution = await execute(context, services);
    executing = false;
    await deliver(context, services, execution, writer);
  } catch (error) {
    let failure = toSignalboxError(error);
    if (failure.attempts.length === 0) failure = loopFailure(failure, context.attempts);
    const reply = services.resilience.fallbackReply;
    if (context.result !== null) {
      // Already delivered (a failure after the response ended): nothing left to tell the client.
      services.logger.error({ err: failure, requestId: context.id }, 'failure after delivery');
    } else if (
      reply !== null &&
      executing &&
      isUpstreamFailure(failure) &&
      failure.code !== 'client_closed_request'
    ) {
      deliverFallbackReply(context, services, writer, reply);
    } else {
      context.result = {
        status: failure.code,
        httpStatus: failure.status,
        ttftMs: null,
        error: failure,
      };
      writer.error(failure, context.responseHeaders);
    }
  } finally {
    clearTimeout(deadline);
    await settle(context, services);
  }
}
