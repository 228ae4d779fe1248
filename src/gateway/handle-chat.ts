/**
 * The chat pipeline of ARCHITECTURE.md as one plain function: validate → plan → (admit) →
 * execute → deliver → settle. No HTTP types: the caller hands in the parsed body and a
 * StreamSink, and gets back either a JSON body to send or word that the stream was delivered.
 * Every path — success, upstream failure, mid-stream error, client abort — writes exactly one
 * ledger request row (with one attempt row per upstream attempt) before the response ends.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError, toSignalboxError } from '../contracts/errors.ts';
import { retryDelayMs, sleep } from '../lib/backoff.ts';
import { planRoute, type RouteCandidate } from '../routing/plan-route.ts';
import { AttemptTracker } from './attempt-tracker.ts';
import type { ProviderAdapter } from '../providers/index.ts';
import type { GatewayServices, StreamSink } from './gateway-services.ts';
import { runJsonAttempt } from './run-json-attempt.ts';
import { runStreamAttempt } from './run-stream-attempt.ts';
import { buildRequestRecord } from './settle.ts';
import { journalAttempt, type JournaledAttempt } from './journal-attempt.ts';
import { validateChatRequest } from './validate-chat-request.ts';

export interface ChatInput {
  /** The parsed JSON body. */
  body: unknown;
  /** The body's original bytes, forwarded unchanged when no translation is needed. */
  rawBody?: Buffer | undefined;
  /** The `x-request-id` of the response, also the ledger row's id. */
  requestId: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** When the request arrived, ms since the epoch. */
  receivedAt: number;
}

export type ChatOutcome =
  | { kind: 'json'; body: Buffer | string; provider: string; generationId: string | null }
  | { kind: 'streamed' };

interface Execution {
  tracker: AttemptTracker;
  candidate: RouteCandidate | null;
}

/** Writes the ledger row (resolves once committed) and the request's one log line (no content). */
async function settle(services: GatewayServices, record: RequestRecord): Promise<void> {
  await services.ledger.write(record);
  // crash-accounting: the cost reconciler hears of every settled record.
  try {
    services.onSettled?.(record);
  } catch {
    // A listener never affects the client.
  }
  services.logger.info(
    {
      requestId: record.id,
      model: record.model,
      provider: record.provider,
      status: record.status,
      httpStatus: record.httpStatus,
      stream: record.stream,
      attempts: record.attempts.length,
      latencyMs: record.latencyMs,
      ttftMs: record.ttftMs,
      costNanoUsd: record.costNanoUsd === null ? null : record.costNanoUsd.toString(),
    },
    'chat request',
  );
}

function requestedModelOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const model = (body as { model?: unknown }).model;
  return typeof model === 'string' ? model : '';
}

/**
 * Runs one chat request.
 * @throws SignalboxError before anything was sent to the client (the caller renders it);
 *         a failure after a stream's commit point is delivered in-band instead.
 */
export async function handleChat(
  input: ChatInput,
  sink: StreamSink,
  services: GatewayServices,
): Promise<ChatOutcome> {
  const execution: Execution = {
    tracker: new AttemptTracker(services.lookupModel, services.now),
    candidate: null,
  };
  let stream = false;
  try {
    const request = validateChatRequest(input.body);
    stream = request.stream === true;
    const outcome = await execute(request, input, sink, services, execution);
    return outcome;
  } catch (error) {
    const failure = toSignalboxError(error);
    await settle(
      services,
      buildRequestRecord(input, requestedModelOf(input.body), stream, execution.tracker.attempts, {
        status: failure.code,
        httpStatus: failure.status,
        ttftMs: null,
        now: services.now(),
      }),
    );
    throw failure;
  }
}

/**
 * Whether a failure on one candidate should move the request to the next candidate: every
 * retryable failure, and the provider-side ones a different provider may not share (its
 * credentials, its credits, its model list). Never the client's own errors.
 */
function canFallBack(failure: SignalboxError): boolean {
  return (
    failure.retryable ||
    failure.code === 'upstream_auth_failed' ||
    failure.code === 'upstream_insufficient_credits' ||
    failure.code === 'model_not_found'
  );
}

async function execute(
  request: ChatCompletionRequest,
  input: ChatInput,
  sink: StreamSink,
  services: GatewayServices,
  execution: Execution,
): Promise<ChatOutcome> {
  const plan = planRoute(request, {
    defaultProvider: services.defaultProvider,
    directProviders: services.directProviders,
    lookupModel: services.lookupModel,
    isModelDisabled: services.isModelDisabled,
  });
  if (plan.disabled) {
    throw new SignalboxError(
      'model_not_found',
      `The model "${plan.requestedModel.slice(0, 200)}" is disabled on this gateway.`,
      { param: 'model' },
    );
  }
  let candidateIndex = 0;
  let retries = 0;
  for (;;) {
    const candidate = plan.candidates[candidateIndex];
    const adapter = candidate === undefined ? undefined : services.provider(candidate.provider);
    if (candidate === undefined || adapter === undefined) {
      throw new SignalboxError(
        'upstream_unavailable',
        'No upstream can serve this model with these provider preferences.',
      );
    }
    execution.candidate = candidate;
    const startedAt = execution.tracker.begin();
    // crash-accounting: the intent is journaled before dispatch (a failure here fails the request).
    const journaled = await journalAttempt(services, {
      requestId: input.requestId,
      receivedAt: input.receivedAt,
      request,
      bodyBytes: input.rawBody?.length ?? null,
      attemptNumber: execution.tracker.attempts.length,
      candidate,
      startedAt,
    });
    const context: AttemptContext = {
      // A direct provider gets its native model name; OpenRouter gets the client's bytes untouched.
      request: candidate.model === request.model ? request : { ...request, model: candidate.model },
      input: candidate.model === request.model ? input : { ...input, rawBody: undefined },
      services,
      execution,
      candidate,
      adapter,
      startedAt,
      journaled,
    };
    const recorded = execution.tracker.attempts.length;
    try {
      if (request.stream === true) {
        await streamOnce(context, sink);
        return { kind: 'streamed' };
      }
      return await jsonOnce(context);
    } catch (error) {
      const failure = toSignalboxError(error);
      if (execution.tracker.attempts.length === recorded) {
        execution.tracker.finish(context.startedAt, candidate, {
          status: failure.code,
          upstreamStatus: failure.upstreamStatus ?? null,
          servedModel: null,
          // crash-accounting: a failed attempt keeps its generation, for the cost reconciler.
          generationId: context.journaled.generationId,
          ttftMs: null,
          usage: null,
        });
      }
      if (input.signal.aborted) throw failure;
      if (canFallBack(failure) && candidateIndex + 1 < plan.candidates.length) {
        services.logger.warn(
          {
            requestId: input.requestId,
            code: failure.code,
            from: candidate.provider,
            to: plan.candidates[candidateIndex + 1]?.provider,
          },
          'falling back to the next provider',
        );
        candidateIndex += 1;
        continue;
      }
      const delay = retryDelayMs(retries, failure.retryAfterSeconds);
      if (!failure.retryable || retries >= services.maxRetries || delay > services.maxRetryDelayMs)
        throw failure;
      services.logger.warn(
        { requestId: input.requestId, code: failure.code, retry: retries, delayMs: delay },
        'retrying upstream',
      );
      retries += 1;
      await sleep(delay, input.signal);
    }
  }
}

/** Everything one upstream attempt needs. */
interface AttemptContext {
  request: ChatCompletionRequest;
  input: ChatInput;
  services: GatewayServices;
  execution: Execution;
  candidate: RouteCandidate;
  adapter: ProviderAdapter;
  /** ms since the epoch. */
  startedAt: number;
  /** crash-accounting: the attempt's journal handle. */
  journaled: JournaledAttempt;
}

async function jsonOnce(context: AttemptContext): Promise<ChatOutcome> {
  const { request, input, services, execution, candidate, adapter, startedAt } = context;
  const result = await runJsonAttempt(
    adapter,
    request,
    input.rawBody,
    input.signal,
    context.journaled.onGeneration,
  );
  execution.tracker.finish(startedAt, candidate, {
    status: 'success',
    upstreamStatus: 200,
    servedModel: result.servedModel,
    generationId: result.generationId,
    ttftMs: result.firstByteMs,
    usage: result.usage,
  });
  await settle(
    services,
    buildRequestRecord(input, candidate.canonicalModel, false, execution.tracker.attempts, {
      status: 'success',
      httpStatus: 200,
      ttftMs: startedAt + result.firstByteMs - input.receivedAt,
      now: services.now(),
    }),
  );
  return {
    kind: 'json',
    body: result.body,
    provider: candidate.provider,
    generationId: result.generationId,
  };
}

async function streamOnce(context: AttemptContext, sink: StreamSink): Promise<void> {
  const { request, input, services, execution, candidate, adapter, startedAt } = context;
  const result = await runStreamAttempt({
    adapter,
    request,
    rawBody: input.rawBody,
    signal: input.signal,
    sink,
    firstTokenTimeoutMs: services.firstTokenTimeoutMs,
    now: services.now,
    onGeneration: context.journaled.onGeneration,
  });
  execution.tracker.finish(startedAt, candidate, {
    status: result.status,
    upstreamStatus: 200,
    servedModel: result.servedModel,
    generationId: result.generationId,
    ttftMs: result.ttftMs,
    usage: result.usage,
  });
  const record = buildRequestRecord(
    input,
    candidate.canonicalModel,
    true,
    execution.tracker.attempts,
    {
      status: result.status,
      httpStatus: 200,
      ttftMs: startedAt + result.ttftMs - input.receivedAt,
      now: services.now(),
    },
  );
  // The stream is committed: a ledger failure can no longer change what the client gets, so it
  // is logged (loudly) rather than thrown into a response that has already begun.
  await settle(services, record).catch((error: unknown) => {
    services.logger.error(
      { requestId: input.requestId, err: error },
      'ledger write failed for a delivered stream',
    );
  });
  sink.end();
}
