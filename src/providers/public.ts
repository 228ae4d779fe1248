/**
 * `signalbox/providers`: the provider adapters on their own, for an application that wants one
 * upstream client and nothing else. Loads no database, HTTP server or emulator (the package test
 * lists the modules an import loads), so `import { createOpenRouterProvider } from
 * 'signalbox/providers'` stays cheap.
 */
export {
  createOpenRouterProvider,
  createOpenRouterAdapter,
  createOpenAIAdapter,
  createAnthropicAdapter,
  createGeminiAdapter,
  createCustomProviderAdapter,
  createOpenAICompatibleAdapter,
  type OpenRouterProviderOptions,
  type OpenRouterAdapterOptions,
  type OpenAIAdapterOptions,
  type AnthropicAdapterOptions,
  type GeminiAdapterOptions,
  type CustomProviderAdapterOptions,
  type OpenAICompatibleAdapterOptions,
  type CallOptions,
  type ChatResult,
  type ChunkEvent,
  type HealthStatus,
  type ProviderAdapter,
  type ProviderCapabilities,
  type UpstreamStream,
  type CredentialSource,
  type ProviderKindDefinition,
  providerKind,
  providerKinds,
} from './index.ts';
export { ConfigError } from '../config/config-error.ts';
export { SignalboxError, errorCodes, type ErrorCode } from '../contracts/errors.ts';
export type * from '../contracts/chat.ts';
export type { StreamPart } from '../contracts/stream-part.ts';
export type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
