/**
 * The only entry into the provider layer for the gateway, the HTTP server and the library
 * (docs/architecture.md: gateway/ and http/ never import a provider folder).
 */
import {
  ConfigError,
  loadConfig,
  type ProviderKind,
  type UpstreamTimeouts,
} from '../config/config.ts';
import { createOpenRouterAdapter } from './openrouter/openrouter-adapter.ts';
import type { ProviderAdapter } from './provider-adapter.ts';

export type {
  CallOptions,
  ChatResult,
  ChunkEvent,
  GenerationCost,
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

/**
 * A provider instance: an id, a kind, its adapter, and which catalogue models it serves under
 * which native name (routing reads `id` and `nativeModel`; the pipeline calls `adapter`).
 */
export interface ProviderInstance {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly adapter: ProviderAdapter;
  /** The name this instance serves a canonical model id under, or null when it does not serve it. */
  nativeModel(canonicalId: string): string | null;
}

/** Provider instances by id. */
export interface ProviderRegistry {
  get(id: string): ProviderInstance | undefined;
  /** In registration order. */
  list(): ProviderInstance[];
}

/**
 * Builds the registry the gateway looks instances up in.
 * @throws ConfigError when two instances share an id, or an adapter's id is not its instance's.
 */
export function createProviderRegistry(instances: readonly ProviderInstance[]): ProviderRegistry {
  const byId = new Map<string, ProviderInstance>();
  for (const instance of instances) {
    if (byId.has(instance.id))
      throw new ConfigError(`Two provider instances share the id "${instance.id}".`);
    if (instance.adapter.id !== instance.id)
      throw new ConfigError(
        `The adapter of provider "${instance.id}" calls itself "${instance.adapter.id}".`,
      );
    byId.set(instance.id, instance);
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
export {
  credentialReader,
  type CredentialSource,
  type PriceTableKey,
  type ProviderInstanceOptions,
  type ProviderKindDefinition,
} from './provider-kind.ts';
export { providerKind, providerKinds } from './provider-kinds.ts';
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
