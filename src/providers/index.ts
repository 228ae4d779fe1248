/**
 * The only entry into the provider layer for the gateway, the HTTP server and the library
 * (ARCHITECTURE.md: gateway/ and http/ never import a provider folder).
 */
import { loadConfig, type UpstreamTimeouts } from '../config/config.ts';
import { createOpenRouterAdapter } from './openrouter/openrouter-adapter.ts';
import type { ProviderAdapter } from './provider-adapter.ts';

export type {
  CallOptions,
  ChatResult,
  ChunkEvent,
  HealthStatus,
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamStream,
} from './provider-adapter.ts';
export {
  createOpenRouterAdapter,
  type OpenRouterAdapterOptions,
} from './openrouter/openrouter-adapter.ts';
export {
  createOpenAICompatibleAdapter,
  type OpenAICompatibleAdapterOptions,
} from './shared/openai-compatible-adapter.ts';
export {
  createUpstreamDispatcher,
  type UpstreamDispatcherOptions,
} from './shared/upstream-http.ts';
export { toStreamParts } from './shared/to-stream-parts.ts';
export { createSseParser, type SseMessage, type SseParser } from './shared/sse-parser.ts';

/** Adapters by provider id. */
export interface ProviderRegistry {
  get(id: string): ProviderAdapter | undefined;
  /** In registration order. */
  list(): ProviderAdapter[];
}

/**
 * Builds the registry the gateway looks adapters up in.
 * @throws Error when two adapters share an id (a wiring mistake at start-up, not a request error).
 */
export function createProviderRegistry(adapters: readonly ProviderAdapter[]): ProviderRegistry {
  const byId = new Map<string, ProviderAdapter>();
  for (const adapter of adapters) {
    if (byId.has(adapter.id))
      throw new Error(`Two provider adapters share the id "${adapter.id}".`);
    byId.set(adapter.id, adapter);
  }
  return {
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
}

export interface OpenRouterProviderOptions {
  /** `sk-or-…`. */
  apiKey: string;
  /** Default `https://openrouter.ai/api/v1`. */
  baseUrl?: string;
  /** `HTTP-Referer` for OpenRouter app attribution. */
  appUrl?: string;
  /** `X-OpenRouter-Title` / `X-Title`. */
  appTitle?: string;
  /** Milliseconds; unset fields keep the defaults (connect 10 s, first byte 120 s, idle 120 s, total 600 s). */
  timeouts?: Partial<UpstreamTimeouts>;
}

/**
 * The library entry (`import { createOpenRouterProvider } from 'signalbox'`): an OpenRouter
 * adapter with defaults. `chat()` resolves a ChatResult, `chatStream()` yields StreamParts with
 * tool calls reassembled, `listModels()` returns the catalogue. Errors are SignalboxError.
 */
export function createOpenRouterProvider(options: OpenRouterProviderOptions): ProviderAdapter {
  // The server's defaults (README "Configuration"), read from an empty environment.
  const defaults = loadConfig({});
  return createOpenRouterAdapter({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl ?? defaults.openrouter.baseUrl,
    appUrl: options.appUrl ?? defaults.openrouter.appUrl,
    appTitle: options.appTitle ?? defaults.openrouter.appTitle,
    timeouts: { ...defaults.timeouts, ...definedOnly(options.timeouts ?? {}) },
  });
}

function definedOnly(timeouts: Partial<UpstreamTimeouts>): Partial<UpstreamTimeouts> {
  return Object.fromEntries(Object.entries(timeouts).filter(([, value]) => Number.isFinite(value)));
}

export {
  createOpenAIAdapter,
  DEFAULT_OPENAI_BASE_URL,
  type OpenAIAdapterOptions,
} from './openai/openai-adapter.ts';
export {
  createAnthropicAdapter,
  DEFAULT_ANTHROPIC_BASE_URL,
  type AnthropicAdapterOptions,
} from './anthropic/anthropic-adapter.ts';
export {
  createGeminiAdapter,
  DEFAULT_GEMINI_BASE_URL,
  type GeminiAdapterOptions,
} from './gemini/gemini-adapter.ts';
export {
  createCustomProviderAdapter,
  type CustomProviderAdapterOptions,
} from './custom/custom-provider-adapter.ts';
export { createDirectProviderAdapter, directProviderModelResolver } from './direct-provider.ts';
export { conventionalNativeModel } from './model-names.ts';
export {
  cacheModelEndpoints,
  fetchOpenRouterEndpoints,
  type ModelEndpointsCacheOptions,
  type OpenRouterEndpointsOptions,
} from './openrouter/openrouter-endpoints.ts';
export type { ModelEndpoint, PercentileStats } from '../catalog/parse-endpoints.ts';
export {
  fetchOpenRouterAccount,
  type OpenRouterAccountOptions,
  type OpenRouterAccountPath,
} from './openrouter/openrouter-account.ts';
