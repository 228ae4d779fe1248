/**
 * The OpenRouter adapter: configuration of the OpenAI-compatible base
 * (shared/openai-compatible-adapter.ts). OpenRouter speaks the client dialect, so requests are
 * forwarded as sent (raw bytes when available) and responses come back byte-identical in `raw`.
 * Headers (API-NOTES 1.1): `Authorization: Bearer`, `HTTP-Referer` (app attribution),
 * `X-OpenRouter-Title` and its legacy name `X-Title`.
 */
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { firstHeader } from '../shared/map-upstream-error.ts';
import { createOpenAICompatibleAdapter } from '../shared/openai-compatible-adapter.ts';
import { mapOpenRouterFinishReason } from './map-openrouter-finish-reason.ts';
import { createOpenRouterGenerationFetcher } from './openrouter-generation.ts';
import { parseOpenRouterError } from './openrouter-error.ts';

export interface OpenRouterAdapterOptions {
  /** `sk-or-…`; sent only in the Authorization header, never logged or put in errors. */
  apiKey: string;
  /** e.g. `https://openrouter.ai/api/v1`, no trailing slash. */
  baseUrl: string;
  /** Sent as `HTTP-Referer`. */
  appUrl: string;
  /** Sent as `X-OpenRouter-Title` and `X-Title`. */
  appTitle: string;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher;
}

/**
 * Creates the `openrouter` adapter. `capabilities.reportsCost` is true: OpenRouter puts the
 * charge in `usage.cost` (USD credits). The generation id comes from the `X-Generation-Id`
 * response header (docs streaming.mdx), else the body `id`. Health = `GET /key` (small, and it
 * proves the key works). `fetchGeneration` reads `GET /generation?id=` (openrouter-generation.ts).
 */
export function createOpenRouterAdapter(options: OpenRouterAdapterOptions): ProviderAdapter {
  const dispatcher =
    options.dispatcher ??
    createUpstreamDispatcher({ connectTimeoutMs: options.timeouts.connectMs });
  const headers: Readonly<Record<string, string>> = Object.freeze({
    authorization: `Bearer ${options.apiKey}`,
    'http-referer': options.appUrl,
    'x-openrouter-title': options.appTitle,
    'x-title': options.appTitle,
  });
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const adapter = createOpenAICompatibleAdapter({
    id: 'openrouter',
    baseUrl,
    timeouts: options.timeouts,
    dispatcher,
    capabilities: { streaming: true, tools: true, reportsCost: true },
    headers: () => headers,
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
      headers: () => headers,
      timeouts: options.timeouts,
    }),
  };
}
