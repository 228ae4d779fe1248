/**
 * The native OpenAI adapter and the custom OpenAI-compatible factory: configuration of the
 * OpenAI-compatible base (shared/openai-compatible-adapter.ts) with `Authorization: Bearer`.
 * Answers come back byte-identical in `raw`; provider-specific extra fields (DeepSeek
 * `reasoning_content`, Groq `x_groq`, OpenAI `obfuscation`) pass through untouched.
 * Requests: see openai-request.ts (streamed requests always ask for the usage chunk).
 */
import type { Dispatcher } from 'undici';
import type { ChatCompletionRequest } from '../../contracts/chat.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { CallOptions, ProviderAdapter, UpstreamStream } from '../provider-adapter.ts';
import {
  credentialHeaders,
  credentialReader,
  normaliseBaseUrl,
  type CredentialSource,
} from '../provider-kind.ts';
import { createOpenAICompatibleAdapter } from '../shared/openai-compatible-adapter.ts';
import { toStreamParts } from '../shared/to-stream-parts.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { parseOpenAIError } from './openai-error.ts';
import { toOpenAIRequest } from './openai-request.ts';

/** Default base URL (the server's `OPENAI_BASE_URL`; OpenAI's SDK convention includes `/v1`). */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIAdapterOptions {
  /** Signalbox provider instance id; default `openai`. */
  id?: string | undefined;
  /** `sk-…`, or a function returning the current key; sent only in the Authorization header. */
  apiKey: CredentialSource;
  /** Default `https://api.openai.com/v1`. */
  baseUrl?: string | undefined;
  /** Extra headers (e.g. `OpenAI-Organization`). */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Creates an OpenAI adapter instance. Performs no I/O until a method is called.
 * @throws ConfigError for an empty key or a base URL that is not http(s).
 */
export function createOpenAIAdapter(options: OpenAIAdapterOptions): ProviderAdapter {
  const id = options.id ?? 'openai';
  return createOpenAIDialectAdapter({
    id,
    baseUrl: normaliseBaseUrl(id, options.baseUrl ?? DEFAULT_OPENAI_BASE_URL),
    apiKey: credentialReader(id, options.apiKey, true),
    headers: options.headers,
    timeouts: options.timeouts,
    dispatcher: options.dispatcher,
    renameMaxTokens: true,
  });
}

export interface OpenAIDialectAdapterOptions {
  id: string;
  /** Checked and normalised (no trailing slash). */
  baseUrl: string;
  /** The current key, read per call; null = no Authorization header (local servers). */
  apiKey: () => string | null;
  /** Extra request headers (e.g. an organisation header); auth wins over a same-named one. */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  dispatcher?: Dispatcher | undefined;
  /** Send `max_tokens` as `max_completion_tokens` (native OpenAI only). */
  renameMaxTokens: boolean;
}

/** Shared by the OpenAI and custom factories. */
export function createOpenAIDialectAdapter(options: OpenAIDialectAdapterOptions): ProviderAdapter {
  const headers = credentialHeaders(options.apiKey, (key) => ({
    ...options.headers,
    ...(key === null ? {} : { authorization: `Bearer ${key}` }),
  }));
  const base = createOpenAICompatibleAdapter({
    id: options.id,
    baseUrl: options.baseUrl,
    timeouts: options.timeouts,
    dispatcher:
      options.dispatcher ??
      createUpstreamDispatcher({ connectTimeoutMs: options.timeouts.connectMs }),
    capabilities: { streaming: true, tools: true, reportsCost: false },
    headers,
    parseError: parseOpenAIError,
    mapFinishReason: mapOpenAIFinishReason,
  });
  const prepare = (
    request: ChatCompletionRequest,
    stream: boolean,
    callOptions: CallOptions | undefined,
  ): [ChatCompletionRequest, CallOptions | undefined] => {
    const rewritten = toOpenAIRequest(request, {
      stream,
      renameMaxTokens: options.renameMaxTokens,
    });
    if (rewritten === null) return [request, callOptions];
    // The client's bytes no longer match what must be sent.
    const { rawBody: _stale, ...rest } = callOptions ?? {};
    return [rewritten, rest];
  };
  const openStream = (
    request: ChatCompletionRequest,
    callOptions?: CallOptions,
  ): Promise<UpstreamStream> => base.openStream(...prepare(request, true, callOptions));
  return {
    ...base,
    chat: (request, callOptions) => base.chat(...prepare(request, false, callOptions)),
    openStream,
    async *chatStream(request, callOptions) {
      const stream = await openStream(request, callOptions);
      try {
        yield* toStreamParts(stream, { mapFinishReason: mapOpenAIFinishReason });
      } finally {
        stream.close();
      }
    },
  };
}
