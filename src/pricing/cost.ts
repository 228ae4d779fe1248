/**
 * cost(usage, pricing) → integer nano-USD, computed exactly from OpenRouter's decimal
 * price strings (USD per token; per request / per web search for those keys) and
 * rounded once. Follows OpenRouter's `PublicPricing` (openapi.yaml): `overrides[]` entries
 * apply when `prompt_tokens >= min_prompt_tokens`, later entries winning per key.
 * Pure.
 */
import type { ModelPricing } from '../contracts/model-info.ts';
import type { Usage } from '../contracts/chat.ts';
import { multiply, parseDecimal, sum, usdToNano, type Decimal } from './decimal.ts';

interface PriceOverride {
  min_prompt_tokens?: number;
  [key: string]: unknown;
}

function effectivePricing(pricing: ModelPricing, promptTokens: number): Record<string, unknown> {
  const overrides = pricing.overrides;
  if (!Array.isArray(overrides)) return pricing;
  const merged: Record<string, unknown> = { ...pricing };
  for (const entry of overrides as PriceOverride[]) {
    if (typeof entry.min_prompt_tokens === 'number' && promptTokens >= entry.min_prompt_tokens) {
      for (const [key, value] of Object.entries(entry))
        if (key !== 'min_prompt_tokens') merged[key] = value;
    }
  }
  return merged;
}

function price(pricing: Record<string, unknown>, key: string): Decimal | null {
  const value = pricing[key];
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return parseDecimal(value);
}

function count(value: unknown): bigint {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? BigInt(Math.trunc(value))
    : 0n;
}

/**
 * The token terms of a cost (prompt, cache read/write, completion, reasoning) at `applied`
 * prices (overrides already applied), or null when unpriced.
 */
function tokenTerms(usage: Usage, applied: Record<string, unknown>): Decimal[] | null {
  const promptPrice = price(applied, 'prompt');
  const completionPrice = price(applied, 'completion');
  if (promptPrice === null || completionPrice === null) return null;
  // OpenRouter's routers (`openrouter/auto`, …) list "-1": the price depends on the model chosen.
  if (promptPrice.numerator < 0n || completionPrice.numerator < 0n) return null;

  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  const cacheWrite = count(usage.prompt_tokens_details?.cache_write_tokens);
  const prompt = count(usage.prompt_tokens);
  const plainPrompt = prompt - cached - cacheWrite > 0n ? prompt - cached - cacheWrite : 0n;
  const reasoningPrice = price(applied, 'internal_reasoning');
  const completion = count(usage.completion_tokens);
  const reasoning =
    reasoningPrice === null ? 0n : count(usage.completion_tokens_details?.reasoning_tokens);
  const plainCompletion = completion - reasoning > 0n ? completion - reasoning : 0n;

  const terms: Decimal[] = [
    multiply(promptPrice, plainPrompt),
    multiply(price(applied, 'input_cache_read') ?? promptPrice, cached),
    multiply(price(applied, 'input_cache_write') ?? promptPrice, cacheWrite),
    multiply(completionPrice, plainCompletion),
  ];
  if (reasoningPrice !== null) terms.push(multiply(reasoningPrice, reasoning));
  return terms;
}

/**
 * The cost of one upstream call in nano-USD, or null when the model is unpriced
 * (no `prompt`/`completion` price, or OpenRouter's "-1" for routers): unknown is never 0.
 * Prompt tokens read from cache use `input_cache_read`, written to cache `input_cache_write`
 * (each falling back to `prompt`); reasoning tokens use `internal_reasoning` when priced
 * separately, else `completion`; `request` is added once; `web_search` per search.
 */
export function computeCostNanoUsd(
  usage: Usage,
  pricing: ModelPricing | null | undefined,
): bigint | null {
  if (pricing === null || pricing === undefined) return null;
  const applied = effectivePricing(pricing, usage.prompt_tokens);
  const terms = tokenTerms(usage, applied);
  if (terms === null) return null;
  const requestPrice = price(applied, 'request');
  if (requestPrice !== null) terms.push(requestPrice);
  const searchPrice = price(applied, 'web_search');
  const searches = count(
    (usage.server_tool_use_details as { web_search_requests?: unknown } | undefined)
      ?.web_search_requests,
  );
  if (searchPrice !== null && searches > 0n) terms.push(multiply(searchPrice, searches));
  return usdToNano(sum(terms));
}

/**
 * The cost of many calls from their summed token counts (`usage` holds the sums), in nano-USD,
 * rounded once; null when unpriced. `request` is added `requests` times. Tiered prices
 * (`overrides` by `min_prompt_tokens`) are applied as for the largest prompt seen
 * (`largestPromptTokens`), to every token: an upper bound when a tier is dearer. Web searches
 * are not counted (the sums do not say how many there were).
 */
export function aggregateCostNanoUsd(
  usage: Usage,
  pricing: ModelPricing | null | undefined,
  requests: number,
  largestPromptTokens: number,
): bigint | null {
  if (pricing === null || pricing === undefined) return null;
  const applied = effectivePricing(pricing, largestPromptTokens);
  const terms = tokenTerms(usage, applied);
  if (terms === null) return null;
  const requestPrice = price(applied, 'request');
  if (requestPrice !== null) terms.push(multiply(requestPrice, count(requests)));
  return usdToNano(sum(terms));
}

/** OpenRouter's reported `usage.cost` (USD float) in nano-USD, or null when absent. */
export function reportedCostNanoUsd(usage: Usage | null | undefined): bigint | null {
  return usdNumberToNanoUsd(usage?.cost);
}

/**
 * A USD amount as OpenRouter sends it (a JSON number: `usage.cost`, `/generation` `total_cost`)
 * in nano-USD, read from its shortest decimal form so that 0.000123 is exactly 123000; null when
 * it is not a finite number.
 */
export function usdNumberToNanoUsd(value: unknown): bigint | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return usdToNano(parseDecimal(value));
}
