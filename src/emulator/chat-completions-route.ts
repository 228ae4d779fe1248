/**
 * POST /api/v1/chat/completions: faults first, then replay of a matching recording, else a
 * synthesized answer (JSON, or SSE when `stream: true`). Every request gets a ledger entry that
 * records exactly what was sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatCompletionRequest, Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import type { EmulatorCatalogue } from './emulator-catalogue.ts';
import { resolveRequestedModel } from './emulator-catalogue.ts';
import type { EmulatorLedger } from './emulator-ledger.ts';
import type { EmulatorLedgerEntry, Fault } from './emulator-types.ts';
import type { FaultStore } from './fault-store.ts';
import { generationRecord, type GenerationFacts } from './generation-record.ts';
import { BodyTooLargeError, OPENROUTER_HEADERS, delay, readBody, sendJson } from './http-io.ts';
import {
  errorBodyForStatus,
  invalidRequestBody,
  noEndpointsBody,
} from './openrouter-error-body.ts';
import { providerNameForModel } from './provider-name-for-model.ts';
import type { RecordingMatcher, ReplayableInteraction } from './recording-matcher.ts';
import { completionJson, completionSseScript } from './render-completion.ts';
import type { SseScript } from './sse-script.ts';
import { writeSseScript } from './sse-writer.ts';
import { synthesizeCompletion } from './synthesize-completion.ts';

export interface ChatRouteContext {
  catalogue(): EmulatorCatalogue;
  matcher: RecordingMatcher | null;
  faults: FaultStore;
  ledger: EmulatorLedger;
  nextGenerationId(unixSeconds: number): string;
}

/** One request in flight: what the ledger and /generation need to know about it. */
interface Exchange {
  context: ChatRouteContext;
  request: IncomingMessage;
  response: ServerResponse;
  entry: EmulatorLedgerEntry;
  apiKey: string;
  fault: Fault | null;
  /** performance.now() at arrival. */
  startedAt: number;
}

type Facts = Omit<GenerationFacts, 'latencyMs' | 'generationTimeMs' | 'userAgent' | 'httpReferer'>;

function settle(exchange: Exchange, status: number, usage: Usage | null, errored: boolean): void {
  const { entry } = exchange;
  entry.status = status;
  entry.outcome =
    exchange.fault !== null ? 'fault' : errored || status >= 400 ? 'error' : 'complete';
  exchange.context.ledger.recordUsage(entry, usage, exchange.apiKey);
}

function sendError(exchange: Exchange, status: number, body: unknown): void {
  sendJson(exchange.response, status, body, exchange.fault?.headers);
  settle(exchange, status, null, true);
}

function addGeneration(exchange: Exchange, facts: Facts, headersAt: number): void {
  const now = performance.now();
  const { headers } = exchange.request;
  const referer = headers['http-referer'] ?? headers.referer;
  exchange.context.ledger.addGeneration(
    generationRecord({
      ...facts,
      latencyMs: Math.round(now - exchange.startedAt),
      generationTimeMs: Math.round(now - headersAt),
      userAgent: headers['user-agent'] ?? null,
      httpReferer: typeof referer === 'string' ? referer : null,
    }),
  );
}

function writeStreamHead(
  exchange: Exchange,
  status: number,
  contentType: string,
  generationId: string | null,
): void {
  exchange.response.writeHead(status, {
    ...OPENROUTER_HEADERS,
    'content-type': contentType,
    'cache-control': 'no-cache',
    ...(generationId === null ? {} : { 'x-generation-id': generationId }),
    ...exchange.fault?.headers,
  });
  exchange.entry.status = status;
}

async function streamScript(
  exchange: Exchange,
  script: SseScript,
  facts: Facts,
  status: number,
): Promise<void> {
  const headersAt = performance.now();
  const result = await writeSseScript(
    exchange.response,
    script,
    exchange.fault ?? {},
    (usage, inBandError) => {
      settle(exchange, status, usage, inBandError);
    },
  );
  settle(exchange, status, result.usage, result.inBandError);
  const cancelled = result.ending !== 'complete' && result.ending !== 'error-chunk';
  // OpenRouter bills a generation cut short for what it generated until then.
  const billed = result.usage ?? (cancelled ? script.usageAfter(result.dataChunksSent) : null);
  if (billed !== result.usage)
    exchange.context.ledger.recordBilledUsage(exchange.entry, billed, exchange.apiKey);
  const finishReason = result.inBandError ? 'error' : cancelled ? null : facts.finishReason;
  addGeneration(exchange, { ...facts, cancelled, finishReason, usage: billed }, headersAt);
}

async function replay(exchange: Exchange, replayable: ReplayableInteraction): Promise<void> {
  const { interaction, summary } = replayable;
  const { entry } = exchange;
  entry.recording = `${interaction.file}#${interaction.index}`;
  entry.generationId = interaction.generationId;
  const facts: Facts = {
    ...summary,
    id: interaction.generationId ?? '',
    streamed: interaction.stream,
    cancelled: false,
    usage: replayable.usage,
  };
  if (replayable.script === null) {
    const headersAt = performance.now();
    const idHeader =
      interaction.generationId === null ? {} : { 'x-generation-id': interaction.generationId };
    sendJson(exchange.response, interaction.status, interaction.bodyText, {
      ...idHeader,
      ...exchange.fault?.headers,
    });
    settle(exchange, interaction.status, replayable.usage, false);
    if (interaction.generationId !== null) addGeneration(exchange, facts, headersAt);
    return;
  }
  writeStreamHead(exchange, interaction.status, interaction.contentType, interaction.generationId);
  await streamScript(exchange, replayable.script, facts, interaction.status);
}

async function synthesize(
  exchange: Exchange,
  body: ChatCompletionRequest,
  model: ModelInfo,
): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const id = exchange.context.nextGenerationId(created);
  const completion = synthesizeCompletion(body, model, id, created, {
    answerWords: exchange.fault?.answerWords,
    answerPieceWords: exchange.fault?.answerPieceWords,
  });
  exchange.entry.generationId = id;
  const facts: Facts = {
    id,
    created,
    model: completion.model,
    streamed: exchange.entry.stream,
    cancelled: false,
    providerName: completion.provider,
    finishReason: completion.finishReason,
    usage: completion.usage,
  };
  if (!exchange.entry.stream) {
    const headersAt = performance.now();
    sendJson(exchange.response, 200, completionJson(completion), {
      'x-generation-id': id,
      ...exchange.fault?.headers,
    });
    settle(exchange, 200, completion.usage, false);
    addGeneration(exchange, facts, headersAt);
    return;
  }
  writeStreamHead(exchange, 200, 'text/event-stream', id);
  await streamScript(exchange, completionSseScript(completion, model), facts, 200);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasValidMessages(body: Record<string, unknown>): boolean {
  const { messages } = body;
  return (
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.every((message) => isRecord(message) && typeof message.role === 'string')
  );
}

function programmedErrorBody(
  exchange: Exchange,
  body: Record<string, unknown>,
  status: number,
): unknown {
  const model = exchange.entry.model;
  const catalogueModel = model === null ? undefined : exchange.context.catalogue().byId.get(model);
  const requested = [
    body.max_tokens,
    body.max_completion_tokens,
    catalogueModel?.top_provider.max_completion_tokens,
  ].find((value): value is number => typeof value === 'number');
  return errorBodyForStatus(status, {
    model,
    providerName: model === null ? null : providerNameForModel(model),
    requestedTokens: requested ?? null,
  });
}

/** After the fault's delay and status: replay, validation, model resolution, synthesis. */
async function answer(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const { fault, context } = exchange;
  const waiting = delay(fault?.delayBeforeHeadersMs, exchange.response);
  if (waiting !== null) {
    await waiting;
    if (exchange.response.destroyed) {
      settle(exchange, 0, null, false);
      return;
    }
  }
  if (fault?.status !== undefined) {
    sendError(
      exchange,
      fault.status,
      fault.body ?? programmedErrorBody(exchange, body, fault.status),
    );
    return;
  }
  const replayable = context.matcher?.match(body) ?? null;
  if (replayable !== null) {
    await replay(exchange, replayable);
    return;
  }
  if (!hasValidMessages(body)) {
    sendError(
      exchange,
      400,
      invalidRequestBody('messages must be a non-empty array of messages with a role.'),
    );
    return;
  }
  const resolved = resolveRequestedModel(context.catalogue(), body);
  if ('missing' in resolved) {
    sendError(
      exchange,
      resolved.missing === '' ? 400 : 404,
      resolved.missing === ''
        ? invalidRequestBody('model is required.')
        : noEndpointsBody(resolved.missing),
    );
    return;
  }
  await synthesize(exchange, body as ChatCompletionRequest, resolved.model);
}

/**
 * Handles one chat request end to end (never rejects for client-caused problems: they are
 * answered with OpenRouter's error bodies). `apiKey` is the authenticated bearer key.
 */
export async function handleChatCompletions(
  context: ChatRouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  apiKey: string,
  path: string,
): Promise<void> {
  const startedAt = performance.now();
  let text: string;
  try {
    text = await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) return;
    const entry = context.ledger.open({ path, model: null, stream: false, requestBody: null });
    sendError(
      { context, request, response, entry, apiKey, fault: null, startedAt },
      413,
      errorBodyForStatus(413),
    );
    return;
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the ledger keeps the raw text and the client gets a 400 below.
  }
  const record = isRecord(body) ? body : null;
  const entry = context.ledger.open({
    path,
    model: typeof record?.model === 'string' ? record.model : null,
    stream: record?.stream === true,
    requestBody: body,
  });
  const header = (name: string): string | null => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : null;
  };
  entry.attribution = {
    referer: header('http-referer'),
    title: header('x-openrouter-title') ?? header('x-title'),
  };
  const exchange: Exchange = { context, request, response, entry, apiKey, fault: null, startedAt };
  if (record === null) {
    sendError(exchange, 400, invalidRequestBody('The body must be a JSON object.'));
    return;
  }
  exchange.fault = context.faults.take(entry.model, entry.stream);
  if (exchange.fault !== null) entry.outcome = 'fault';
  await answer(exchange, record);
}
