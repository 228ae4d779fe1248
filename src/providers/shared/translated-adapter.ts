/**
 * The base ProviderAdapter for upstreams that speak another dialect (Anthropic Messages, Gemini
 * generateContent): the provider folder supplies the request builder, the response and stream
 * translators and the error parser; this file does the HTTP, the SSE reading and the contract.
 * Translated answers carry `raw: null` (there are no Chat Completions bytes to forward).
 * No retries here (docs/conventions.md §10): every failure is one SignalboxError for the gateway.
 */
import { computeCostNanoUsd } from '../../pricing/cost.ts';
import { probeHealth } from './probe-health.ts';
import type { Dispatcher } from 'undici';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type {
  CallOptions,
  ChatResult,
  ChunkEvent,
  HealthStatus,
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamStream,
} from '../provider-adapter.ts';
import { parseJsonSafely, type ResponseHeaders } from './map-upstream-error.ts';
import { chunkEvent } from './chunk-event.ts';
import { createSseParser, type SseMessage } from './sse-parser.ts';
import { toStreamParts } from './to-stream-parts.ts';
import type { UpstreamResponse } from './upstream-http.ts';
import {
  createClosableStream,
  createUpstreamClient,
  parseUpstreamEvent,
  type StreamState,
} from './upstream-client.ts';

/** Turns the upstream's SSE events into Chat Completions chunks, statefully, for one stream. */
export interface StreamTranslator {
  /** One dispatched SSE event → zero or more chunks. Throws SignalboxError on a malformed event. */
  push(event: Extract<SseMessage, { type: 'event' }>): ChatCompletionChunk[];
  /** The body ended: the last chunks (e.g. the usage chunk), if any. */
  end(): ChatCompletionChunk[];
  /** True once the upstream signalled a complete answer (or an in-band error). */
  readonly complete: boolean;
}

export interface TranslatedAdapterOptions {
  id: string;
  timeouts: UpstreamTimeouts;
  dispatcher: Dispatcher;
  capabilities: ProviderCapabilities;
  /** Auth and version headers for every call. Values never appear in errors. */
  headers: (callOptions?: CallOptions) => Record<string, string>;
  /** The upstream URL and JSON body for a chat request. Throws SignalboxError for untranslatable input. */
  buildRequest: (
    request: ChatCompletionRequest,
    stream: boolean,
  ) => { url: string; body: Record<string, unknown> };
  /** The parsed 2xx body → a Chat Completions answer, or null when it is not one. */
  parseCompletion: (body: unknown) => ChatCompletion | null;
  createStreamTranslator: () => StreamTranslator;
  /** Error answer → SignalboxError. */
  parseError: (status: number, body: Buffer, headers: ResponseHeaders) => SignalboxError;
  /** `GET` URL of the model list and its parser. */
  models: { url: string; parse: (body: unknown) => ModelInfo[] | null };
  /** Total timeout of checkHealth, ms. Default 5 000. */
  healthTimeoutMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const SSE_HEADERS = { 'content-type': 'application/json', accept: 'text/event-stream' };

/** Creates the adapter. Performs no I/O until a method is called. */
export function createTranslatedAdapter(options: TranslatedAdapterOptions): ProviderAdapter {
  const { send, rejectWithError } = createUpstreamClient(options);

  async function chat(
    request: ChatCompletionRequest,
    callOptions?: CallOptions,
  ): Promise<ChatResult> {
    const { url, body } = options.buildRequest(request, false);
    const response = await send('POST', url, JSON_HEADERS, JSON.stringify(body), callOptions);
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    const completion = options.parseCompletion(parseJsonSafely(await response.readBody()));
    if (completion === null) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream answered with something that is not a chat answer.',
        { upstreamStatus: response.status },
      );
    }
    return {
      completion,
      raw: null,
      generationId: completion.id,
      firstByteMs: response.firstByteMs,
    };
  }

  async function openStream(
    request: ChatCompletionRequest,
    callOptions?: CallOptions,
  ): Promise<UpstreamStream> {
    const { url, body } = options.buildRequest(request, true);
    const response = await send('POST', url, SSE_HEADERS, JSON.stringify(body), callOptions);
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    return createTranslatedStream(response, options.createStreamTranslator());
  }

  async function* chatStream(request: ChatCompletionRequest, callOptions?: CallOptions) {
    const stream = await openStream(request, callOptions);
    try {
      yield* toStreamParts(stream);
    } finally {
      stream.close();
    }
  }

  async function listModels(callOptions?: CallOptions): Promise<ModelInfo[]> {
    const response = await send('GET', options.models.url, JSON_HEADERS, undefined, callOptions);
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    const models = options.models.parse(parseJsonSafely(await response.readBody()));
    if (models === null) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream answered with something that is not a model list.',
        { upstreamStatus: response.status },
      );
    }
    return models;
  }

  function checkHealth(callOptions?: CallOptions): Promise<HealthStatus> {
    return probeHealth(
      (timeouts) => send('GET', options.models.url, JSON_HEADERS, undefined, callOptions, timeouts),
      options.parseError,
      options.healthTimeoutMs ?? 5_000,
    );
  }

  return {
    id: options.id,
    capabilities: options.capabilities,
    chat,
    openStream,
    chatStream,
    listModels,
    checkHealth,
    calculateCost: computeCostNanoUsd,
  };
}

/**
 * Wraps an open 2xx SSE response whose events the translator turns into chunks. Iterating
 * rejects with SignalboxError only: `stream_interrupted` when the body ends before the
 * translator saw a complete answer, `upstream_timeout`, `upstream_invalid_response` (whatever
 * the translator throws on bytes it cannot read), `client_closed_request`.
 */
export function createTranslatedStream(
  response: UpstreamResponse,
  translator: StreamTranslator,
): UpstreamStream {
  return createClosableStream(response, null, (state) =>
    readTranslatedEvents(response, translator, state),
  );
}

async function* readTranslatedEvents(
  response: UpstreamResponse,
  translator: StreamTranslator,
  state: StreamState,
): AsyncGenerator<ChunkEvent> {
  const parser = createSseParser();
  let ended = false;
  try {
    for await (const bytes of response.body.iterator({ destroyOnReturn: false })) {
      for (const message of parser.push(bytes as Buffer)) {
        if (message.type === 'comment') continue;
        for (const chunk of parseUpstreamEvent(() => translator.push(message)))
          yield chunkEvent(chunk);
      }
    }
    ended = true;
  } catch (error) {
    if (state.closed) return;
    throw response.toError(error, 'stream');
  } finally {
    if (!ended) response.discard();
    state.settled = true;
  }
  if (state.closed) return;
  const last = parseUpstreamEvent(() => {
    const chunks: ChatCompletionChunk[] = [];
    for (const message of parser.end())
      if (message.type === 'event') chunks.push(...translator.push(message));
    chunks.push(...translator.end());
    return { chunks, complete: translator.complete };
  });
  for (const chunk of last.chunks) yield chunkEvent(chunk);
  if (!last.complete) {
    throw new SignalboxError('stream_interrupted', 'Upstream stream ended before it was complete.');
  }
}
