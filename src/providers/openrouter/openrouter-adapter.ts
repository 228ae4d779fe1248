/**
 * The OpenRouter adapter: configuration of the OpenAI-compatible base
 * (shared/openai-compatible-adapter.ts). OpenRouter speaks the client dialect, so requests are
 * forwarded as sent (raw bytes when available) and responses come back byte-identical in `raw`.
 * Headers (docs/upstream-api-notes.md §1.1): `Authorization: Bearer`, `HTTP-Referer` (app attribution),
 * `X-OpenRouter-Title` and its legacy name `X-Title`.
 */
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import {
  credentialHeaders,
  credentialReader,
  normaliseBaseUrl,
  type CredentialSource,
} from '../provider-kind.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { firstHeader } from '../shared/map-upstream-error.ts';
import { createOpenAICompatibleAdapter } from '../shared/openai-compatible-adapter.ts';
import { mapOpenRouterFinishReason } from './map-openrouter-finish-reason.ts';
import { createOpenRouterGenerationFetcher } from './openrouter-generation.ts';
import { parseOpenRouterError } from './openrouter-error.ts';

/** OpenRouter's API base (its SDKs' default). */
export const DEFAULT_OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

export interface OpenRouterAdapterOptions {
  /** Signalbox provider instance id; default `openrouter`. */
  id?: string | undefined;
  /** `sk-or-…`, or a function returning the current key; sent only in the Authorization header. */
  apiKey: CredentialSource;
  /** Default `https://openrouter.ai/api/v1`. */
  baseUrl?: string | undefined;
  /** Sent as `HTTP-Referer` unless the client sent its own. */
  appUrl: string;
  /** Sent as `X-OpenRouter-Title` and `X-Title` unless the client sent its own. */
  appTitle: string;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Creates an OpenRouter adapter instance. `capabilities.reportsCost` is true: OpenRouter puts
 * the charge in `usage.cost` (USD credits). The generation id comes from the `X-Generation-Id`
 * response header (docs streaming.mdx), else the body `id`. Health = `GET /key` (small, and it
 * proves the key works). `fetchGeneration` reads `GET /generation?id=` (openrouter-generation.ts).
 * @throws ConfigError for an empty key or a base URL that is not http(s).
 */
export function createOpenRouterAdapter(options: OpenRouterAdapterOptions): ProviderAdapter {
  const id = options.id ?? 'openrouter';
  const dispatcher =
    options.dispatcher ??
    createUpstreamDispatcher({ connectTimeoutMs: options.timeouts.connectMs });
  const headers = credentialHeaders(credentialReader(id, options.apiKey, true), (key) => ({
    authorization: `Bearer ${key ?? ''}`,
    'http-referer': options.appUrl,
    'x-openrouter-title': options.appTitle,
    'x-title': options.appTitle,
  }));
  const baseUrl = normaliseBaseUrl(id, options.baseUrl ?? DEFAULT_OPENROUTER_BASE_URL);
  const adapter = createOpenAICompatibleAdapter({
    id,
    baseUrl,
    timeouts: options.timeouts,
    dispatcher,
    capabilities: { streaming: true, tools: true, reportsCost: true },
    // The client's own attribution wins: OpenRouter credits the app that made the request.
    headers: (callOptions) => {
      const attribution = callOptions?.attribution;
      if (attribution?.referer === undefined && attribution?.title === undefined) return headers();
      const title = attribution.title ?? options.appTitle;
      return {
        ...headers(),
        'http-referer': attribution.referer ?? options.appUrl,
        'x-openrouter-title': title,
        'x-title': title,
      };
    },
    parseError: parseOpenRouterError,
    mapFinishReason: mapOpenRouterFinishReason,
    extractMetadata: (responseHeaders) => ({
      generationId: firstHeader(responseHeaders, 'x-generation-id') ?? null,
    }),
    healthPath: '/key',
  });
  return {
    ...adapter,
    fetchGeneration: createOpenRouterGenerationFetcher({
      baseUrl,
      dispatcher,
      headers,
      timeouts: options.timeouts,
    }),
  };
}
