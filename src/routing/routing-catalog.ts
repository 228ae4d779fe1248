/**
 * The catalogue as routing reads it: every model's capabilities as bit flags and its prices as
 * USD-per-token numbers, computed once per catalogue load so a decision over the whole
 * catalogue (`signalbox/auto`) is a pass of integer and float comparisons. Capabilities and
 * prices are read with the catalogue's own rules (src/catalog/catalog-entry.ts). Floats are
 * right here: these are estimates for ranking and caps; the ledger's cost stays exact.
 */
import {
  modelAuthor,
  pricePerMillionUsd,
  supportsCapability,
  type Capability,
} from '../catalog/catalog-entry.ts';
import { isDirectProviderEntry } from '../catalog/direct-provider-models.ts';
import type { ModelInfo } from '../contracts/model-info.ts';

/** Bit flags of what a model accepts (OpenRouter `supported_parameters`, input modalities). */
export const Feature = {
  tools: 1,
  toolChoice: 2,
  structuredOutputs: 4,
  responseFormat: 8,
  reasoning: 16,
  image: 32,
  file: 64,
  audio: 128,
  video: 256,
} as const;

export interface RoutingModel {
  readonly id: string;
  readonly author: string;
  /** False for models only a direct provider serves: their entry does not say (never excluded for capabilities). */
  readonly capabilitiesKnown: boolean;
  /** {@link Feature} bits. */
  readonly features: number;
  /** Tokens; null when unknown. */
  readonly contextLength: number | null;
  readonly maxCompletionTokens: number | null;
  /** USD per token; null = unpriced (never free). */
  readonly promptPrice: number | null;
  readonly completionPrice: number | null;
  /** USD per request (OpenRouter's `request` key); 0 when none. */
  readonly requestPrice: number;
  /** Only a direct provider serves it: OpenRouter would answer 404. */
  readonly directOnly: boolean;
  /** `architecture.output_modalities` (`text`, `image`, `audio`). */
  readonly outputModalities: readonly string[];
}

export interface RoutingCatalog {
  get(id: string): RoutingModel | undefined;
  /** Every model, in the catalogue's order. */
  readonly models: readonly RoutingModel[];
}

/** OpenRouter's routing shortcuts, priced and described as their base model. */
const ROUTING_SUFFIXES = [':nitro', ':floor', ':free'] as const;

/** The {@link Feature} bit of each catalogue capability (a policy filter's `supports`). */
export const capabilityFeature: Readonly<Record<Capability, number>> = {
  tools: Feature.tools,
  structured_outputs: Feature.structuredOutputs,
  reasoning: Feature.reasoning,
  vision: Feature.image,
};

function featuresOf(model: ModelInfo): number {
  let bits = 0;
  for (const [capability, bit] of Object.entries(capabilityFeature) as [Capability, number][])
    if (supportsCapability(model, capability)) bits |= bit;
  const parameters = model.supported_parameters;
  if (parameters.includes('tool_choice')) bits |= Feature.toolChoice;
  if (parameters.includes('response_format')) bits |= Feature.responseFormat;
  if (parameters.includes('include_reasoning')) bits |= Feature.reasoning;
  const inputs = model.architecture.input_modalities ?? [];
  if (inputs.includes('file')) bits |= Feature.file;
  if (inputs.includes('audio')) bits |= Feature.audio;
  if (inputs.includes('video')) bits |= Feature.video;
  return bits;
}

function perToken(model: ModelInfo, key: 'prompt' | 'completion'): number | null {
  const perMillion = pricePerMillionUsd(model.pricing, key);
  return perMillion === null ? null : perMillion / 1_000_000;
}

/** The routing view of one catalogue model. */
export function toRoutingModel(model: ModelInfo): RoutingModel {
  const request = Number(model.pricing.request);
  return {
    id: model.id,
    author: modelAuthor(model.id),
    capabilitiesKnown: !isDirectProviderEntry(model),
    features: featuresOf(model),
    contextLength: model.context_length ?? model.top_provider.context_length ?? null,
    maxCompletionTokens: model.top_provider.max_completion_tokens ?? null,
    promptPrice: perToken(model, 'prompt'),
    completionPrice: perToken(model, 'completion'),
    requestPrice: Number.isFinite(request) && request > 0 ? request : 0,
    directOnly: isDirectProviderEntry(model),
    outputModalities: model.architecture.output_modalities ?? ['text'],
  };
}

/** Built once per catalogue load (O(n)); reads are Map lookups. */
export function createRoutingCatalog(models: readonly ModelInfo[]): RoutingCatalog {
  const list = models.map(toRoutingModel);
  const byId = new Map(list.map((model) => [model.id, model]));
  return { get: (id) => byId.get(id), models: list };
}

/** How a requested id maps to the catalogue. */
export interface ResolvedModel {
  /** The catalogue entry describing it (the base model for `:nitro`/`:floor`/an uncatalogued `:free`). */
  model: RoutingModel | undefined;
  /** The routing shortcut suffix the id carries (`:nitro`, `:floor`, `:free`), else null. */
  suffix: string | null;
}

/**
 * Resolves a model id: the exact catalogue entry when there is one (a catalogued `:free`
 * variant has its own price), else for OpenRouter's routing shortcuts the base model's entry.
 */
export function resolveModel(catalog: RoutingCatalog, id: string): ResolvedModel {
  const exact = catalog.get(id);
  const suffix = ROUTING_SUFFIXES.find((candidate) => id.endsWith(candidate)) ?? null;
  if (exact !== undefined || suffix === null) return { model: exact, suffix };
  return { model: catalog.get(id.slice(0, -suffix.length)), suffix };
}
