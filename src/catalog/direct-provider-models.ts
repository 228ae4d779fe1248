/**
 * Catalogue entries for the models a direct provider serves under an explicit mapping
 * (`DirectProviderConfig.models`) that OpenRouter does not list — a dated OpenAI snapshot
 * OpenRouter dropped, a custom endpoint's local model — so the request path's `lookupModel`
 * finds them and prices them. Prices and context come from LiteLLM's table
 * (src/catalog/pricing/litellm-pricing.ts); a model LiteLLM does not price is marked
 * unpriced (`"-1"`, as OpenRouter marks routers), never free.
 */
import type { DirectProviderConfig } from '../config/config.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import { litellmLimits, litellmPricing, type LitellmLocation } from './pricing/litellm-pricing.ts';

/** What the catalogue needs to know of a provider kind (its definition in src/providers/). */
export interface KindDescription {
  displayName: string;
  /** Where LiteLLM prices a native name of the kind; null when it does not. */
  priceTableKey(nativeName: string): LitellmLocation | null;
}

/** The extra `ModelInfo` key naming the provider an entry was made for (its config id). */
export const DIRECT_PROVIDER_KEY = 'direct_provider';

/** src/pricing/cost.ts reads `"-1"` as unpriced: the cost is NULL, never 0. */
const UNPRICED: ModelPricing = { prompt: '-1', completion: '-1' };

function entryFor(
  provider: DirectProviderConfig,
  kind: KindDescription,
  canonicalId: string,
  nativeName: string,
): ModelInfo {
  // A custom endpoint is known to people by its id; a vendor by its name.
  const displayName = provider.kind === 'openai-compatible' ? provider.id : kind.displayName;
  const location = kind.priceTableKey(nativeName);
  const limits = litellmLimits(location);
  return {
    id: canonicalId,
    canonical_slug: canonicalId,
    name: `${displayName}: ${nativeName}`,
    created: 0,
    description: `Served directly by the "${provider.id}" provider as "${nativeName}"; not listed by OpenRouter.`,
    context_length: limits.maxInputTokens,
    architecture: {
      modality: 'text->text',
      input_modalities: ['text'],
      output_modalities: ['text'],
    },
    pricing: litellmPricing(location) ?? UNPRICED,
    top_provider: {
      context_length: limits.maxInputTokens,
      max_completion_tokens: limits.maxOutputTokens,
    },
    per_request_limits: null,
    supported_parameters: [],
    [DIRECT_PROVIDER_KEY]: provider.id,
  };
}

/**
 * One entry per explicitly mapped model that the catalogue lacks, in provider then mapping
 * order; when two providers map the same canonical id, the first provider's entry is kept.
 * @param providers the configured direct providers (`Config.providers`)
 * @param isCatalogued whether OpenRouter's catalogue lists a canonical id (do not count the
 *   entries made here, see `isDirectProviderEntry`)
 * @param describe the provider's kind (display name, LiteLLM location), from src/providers/
 * @returns OpenRouter-shaped models: name `"<Provider>: <native name>"`, text->text, context in
 *   tokens and prices (USD per token) from LiteLLM when it knows the name, else unpriced `"-1"`.
 */
export function directProviderCatalogEntries(
  providers: readonly DirectProviderConfig[],
  isCatalogued: (canonicalId: string) => boolean,
  describe: (provider: DirectProviderConfig) => KindDescription,
): ModelInfo[] {
  const entries = new Map<string, ModelInfo>();
  for (const provider of providers)
    for (const [canonicalId, nativeName] of Object.entries(provider.models))
      if (!entries.has(canonicalId) && !isCatalogued(canonicalId))
        entries.set(canonicalId, entryFor(provider, describe(provider), canonicalId, nativeName));
  return [...entries.values()];
}

/** Whether a catalogue model was made by `directProviderCatalogEntries` (not listed by OpenRouter). */
export function isDirectProviderEntry(model: ModelInfo): boolean {
  return typeof model[DIRECT_PROVIDER_KEY] === 'string';
}
