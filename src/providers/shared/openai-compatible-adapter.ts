/**
 * The base ProviderAdapter for any Chat Completions upstream (docs/conventions.md §3, after
 * vercel/ai `packages/openai-compatible/src/chat/`). OpenRouter and custom endpoints are
 * configuration of it: auth headers, body transform, usage mapping, error parsing, metadata.
 * No retries here (docs/conventions.md §10): every failure is one SignalboxError for the gateway.
 */
import { computeCostNanoUsd } from '../../pricing/cost.ts';
import { probeHealth } from './probe-health.ts';
import type { Dispatcher } from 'undici';
import type { ChatCompletionRequest, FinishReason, Usage } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type {
  CallOptions,
  ChatResult,
  HealthStatus,
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamStream,
} from '../provider-adapter.ts';
import { createUpstreamClient } from './upstream-client.ts';
import {
  isRecord,
  mapUpstreamErrorResponse,
  parseJsonSafely,
  statusFromErrorCode,
  type ResponseHeaders,
} from './map-upstream-error.ts';
import { asChatCompletion, readModelList } from './openai-compatible-api.ts';
import { toStreamParts } from './to-stream-parts.ts';
import { createUpstreamEventStream } from './upstream-event-stream.ts';

export interface OpenAICompatibleAdapterOptions {
  /** Signalbox provider id. */
  id: string;
  /** Base URL without a trailing slash, e.g. `https://openrouter.ai/api/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  timeouts: UpstreamTimeouts;
  dispatcher: Dispatcher;
  capabilities: ProviderCapabilities;
  /** Request headers for every call: auth plus extras. Values never appear in errors. */
  headers: (callOptions?: CallOptions) => Record<string, string>;
  /**
   * The body to send. Without it the request is sent as is, and `CallOptions.rawBody` bytes are
   * forwarded unchanged when the `stream` flag already matches the call.
   */
  transformBody?: (request: ChatCompletionRequest) => Record<string, unknown>;
  /** Normalises the upstream's usage; a response whose usage it rewrote gets `raw: null`. */
  mapUsage?: (usage: Usage) => Usage;
  /** Error answer → SignalboxError. Default: OpenAI/OpenRouter body shape (map-upstream-error.ts). */
  parseError?: (status: number, body: Buffer, headers: ResponseHeaders) => SignalboxError;
  /** Upstream `finish_reason` → normalised reason, for `chatStream()` parts. */
  mapFinishReason?: (finishReason: string) => FinishReason | null;
  /** Reads the generation id from response headers. */
  extractMetadata?: (headers: ResponseHeaders) => { generationId: string | null };
  /** `GET /models` body → models. Default: OpenRouter `Model` shape, malformed entries skipped. */
  parseModels?: (body: unknown) => ModelInfo[] | null;
  /** Path probed by checkHealth, relative to baseUrl. Default `/models`. */
  healthPath?: string;
  /** Total timeout of checkHealth, ms. Default 5 000. */
  healthTimeoutMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const SSE_HEADERS = { 'content-type': 'application/json', accept: 'text/event-stream' };

/** Creates the adapter. Performs no I/O until a method is called. */
export function createOpenAICompatibleAdapter(
  options: OpenAICompatibleAdapterOptions,
): ProviderAdapter {
  const parseError = options.parseError ?? mapUpstreamErrorResponse;
  const parseModels = options.parseModels ?? readModelList;
  const chatUrl = `${options.baseUrl}/chat/completions`;

  function generationIdFrom(headers: ResponseHeaders): string | null {
    return options.extractMetadata?.(headers).generationId ?? null;
  }

  /** Tells the caller the generation as soon as the headers name it (CallOptions.onGeneration). */
  function announceGeneration(generationId: string | null, callOptions?: CallOptions): void {
    if (generationId === null || callOptions?.onGeneration === undefined) return;
    try {
      callOptions.onGeneration(generationId);
    } catch {
      // The caller's bookkeeping must never fail its own request.
    }
  }

  const { send, rejectWithError } = createUpstreamClient({
    dispatcher: options.dispatcher,
    headers: options.headers,
    timeouts: options.timeouts,
    parseError,
  });

  function requestBody(
    request: ChatCompletionRequest,
    stream: boolean,
    callOptions?: CallOptions,
  ): string | Buffer {
    const rawBody = callOptions?.rawBody;
    if (
      options.transformBody === undefined &&
      rawBody !== undefined &&
      (request.stream === true) === stream
    ) {
      return rawBody;
    }
    const body = options.transformBody?.(request) ?? request;
    if ((body.stream === true) === stream) return JSON.stringify(body);
    return JSON.stringify({ ...body, stream });
  }

  async function chat(
    request: ChatCompletionRequest,
    callOptions?: CallOptions,
  ): Promise<ChatResult> {
    const response = await send(
      'POST',
      chatUrl,
      JSON_HEADERS,
      requestBody(request, false, callOptions),
      callOptions,
    );
    const headerGenerationId = generationIdFrom(response.headers);
    announceGeneration(headerGenerationId, callOptions);
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    const bytes = await response.readBody();
    const parsed = parseJsonSafely(bytes);
    if (isRecord(parsed) && isRecord(parsed.error) && !Array.isArray(parsed.choices)) {
      throw parseError(statusFromErrorCode(parsed.error.code), bytes, response.headers);
    }
    const completion = asChatCompletion(parsed);
    if (completion === null) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream answered with something that is not a chat completion.',
        {
          upstreamStatus: response.status,
        },
      );
    }
    let raw: Buffer | null = bytes;
    if (options.mapUsage !== undefined && completion.usage !== undefined) {
      completion.usage = options.mapUsage(completion.usage);
      raw = null;
    }
    return {
      completion,
      raw,
      generationId: headerGenerationId ?? completion.id,
      firstByteMs: response.firstByteMs,
    };
  }

  async function openStream(
    request: ChatCompletionRequest,
    callOptions?: CallOptions,
  ): Promise<UpstreamStream> {
    const response = await send(
      'POST',
      chatUrl,
      SSE_HEADERS,
      requestBody(request, true, callOptions),
      callOptions,
    );
    const generationId = generationIdFrom(response.headers);
    announceGeneration(generationId, callOptions);
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    return createUpstreamEventStream(response, {
      generationId,
      mapUsage: options.mapUsage,
    });
  }

  async function* chatStream(request: ChatCompletionRequest, callOptions?: CallOptions) {
    const stream = await openStream(request, callOptions);
    try {
      yield* toStreamParts(stream, { mapFinishReason: options.mapFinishReason });
    } finally {
      stream.close();
    }
  }

  async function listModels(callOptions?: CallOptions): Promise<ModelInfo[]> {
    const response = await send(
      'GET',
      `${options.baseUrl}/models`,
      JSON_HEADERS,
      undefined,
      callOptions,
    );
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    const models = parseModels(parseJsonSafely(await response.readBody()));
    if (models === null) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream answered with something that is not a model list.',
        {
          upstreamStatus: response.status,
        },
      );
    }
    return models;
  }

  function checkHealth(callOptions?: CallOptions): Promise<HealthStatus> {
    const url = `${options.baseUrl}${options.healthPath ?? '/models'}`;
    return probeHealth(
      (timeouts) => send('GET', url, JSON_HEADERS, undefined, callOptions, timeouts),
      parseError,
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
