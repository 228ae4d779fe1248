/**
 * A catalogue model with its lifecycle, as the admin catalogue, search, compare and
 * recommend see it. Storage produces these; the functions here are pure over them.
 */
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';

/** `active` while OpenRouter lists the model; `retired` once a sync no longer sees it. */
export type CatalogModelStatus = 'active' | 'retired';

export interface CatalogEntry {
  /** The OpenRouter `Model` object as last received. */
  model: ModelInfo;
  status: CatalogModelStatus;
  /** false = hidden by an operator (not listed to keys, not routed to). */
  enabled: boolean;
  /** When a sync first missed it; null while active. */
  retiredAt: Date | null;
}

/** A version of a model's pricing and when it came into force. */
export interface PriceVersion {
  pricing: ModelPricing;
  effectiveFrom: Date;
}

/** The model's author: the part of the id before `/` (`openai/gpt-4o` → `openai`). */
export function modelAuthor(id: string): string {
  const slash = id.indexOf('/');
  return slash > 0 ? id.slice(0, slash) : '';
}

const MILLION = 1_000_000;

/**
 * A per-token price key in USD per 1M tokens, or null when the key is missing or not a
 * number, or negative (OpenRouter's routers list `"-1"`: the serving model's price). A model
 * without a price is unpriced, never free. Float: for display, filters
 * and ranking only; money is computed exactly by src/pricing/cost.ts.
 */
export function pricePerMillionUsd(
  pricing: ModelPricing,
  key: 'prompt' | 'completion',
): number | null {
  const value = Number(pricing[key]);
  // toPrecision drops binary noise: "0.000001" × 1e6 is 1, not 1.0000000000000002.
  return Number.isFinite(value) && value >= 0 ? Number((value * MILLION).toPrecision(12)) : null;
}

/** Capabilities read from `supported_parameters` and `architecture.input_modalities`. */
export type Capability = 'tools' | 'structured_outputs' | 'reasoning' | 'vision';

export const capabilities: readonly Capability[] = [
  'tools',
  'structured_outputs',
  'reasoning',
  'vision',
];

/**
 * Whether the model supports a capability: `tools` / `structured_outputs` / `reasoning`
 * are OpenRouter `supported_parameters` entries; vision is `image` among input modalities.
 */
export function supportsCapability(model: ModelInfo, capability: Capability): boolean {
  if (capability === 'vision')
    return model.architecture.input_modalities?.includes('image') ?? false;
  return model.supported_parameters.includes(capability);
}

/** Free = both prompt and completion priced at exactly zero (the `:free` variants and a few others). */
export function isFreeModel(model: ModelInfo): boolean {
  return Number(model.pricing.prompt) === 0 && Number(model.pricing.completion) === 0;
}
