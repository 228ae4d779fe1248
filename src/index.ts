/**
 * Signalbox as a library: `import { createSignalbox } from 'signalbox'` (the in-process gateway)
 * and the provider adapters. The package's other entries: `signalbox/providers` (the adapters
 * alone, nothing else loaded), `signalbox/emulator`, `signalbox/server` (`createApp`).
 */
export { loadConfig, ConfigError, type Config } from './config/config.ts';
export { SignalboxError, errorCodes, type ErrorCode } from './contracts/errors.ts';
export type * from './contracts/chat.ts';
export type { StreamPart } from './contracts/stream-part.ts';
export type { ModelInfo, ModelPricing } from './contracts/model-info.ts';
export type { RequestRecord, AttemptRecord, CostSource } from './contracts/ledger.ts';
export type * from './contracts/routing-decision.ts';
export type { RoutingPolicy } from './routing/policy-schema.ts';
export {
  createOpenRouterAdapter,
  createOpenRouterProvider,
  createProviderRegistry,
  type ProviderAdapter,
  type ChatResult,
  type ChunkEvent,
  type UpstreamStream,
} from './providers/index.ts';
export { computeCostNanoUsd } from './pricing/cost.ts';
export {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type Fault,
} from './emulator/index.ts';
export {
  createSignalbox,
  type Signalbox,
  type SignalboxChatResult,
  type SignalboxOptions,
  type SignalboxProviderOptions,
} from './signalbox.ts';
export {
  createAnthropicAdapter,
  createCustomProviderAdapter,
  createGeminiAdapter,
  createOpenAIAdapter,
} from './providers/index.ts';
