/**
 * Side-by-side comparison of 2–6 catalogue models (admin `POST /admin/catalog/compare`,
 * `signalbox models compare`): prices, context, capabilities and the cost of a workload.
 * Pure. Money is integer nano-USD computed exactly by src/pricing/cost.ts.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { ModelPricing } from '../contracts/model-info.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import {
  capabilities,
  pricePerMillionUsd,
  supportsCapability,
  type CatalogEntry,
  type Capability,
} from './catalog-entry.ts';

/** A workload: tokens per request (prompt and completion) and requests per day. */
export interface Workload {
  promptTokens: number;
  completionTokens: number;
  requestsPerDay: number;
}

export interface ModelComparison {
  id: string;
  name: string;
  status: CatalogEntry['status'];
  enabled: boolean;
  /** Tokens. */
  contextLength: number | null;
  maxCompletionTokens: number | null;
  /** OpenRouter's pricing object as received (decimal USD strings). */
  pricing: ModelPricing;
  /** USD per 1M tokens; null = unpriced. */
  promptPricePerMillion: number | null;
  completionPricePerMillion: number | null;
  capabilities: Record<Capability, boolean>;
  inputModalities: string[];
  outputModalities: string[];
  /** Nano-USD for one request of the workload; null = unpriced. */
  costPerRequestNanoUsd: bigint | null;
  /** Nano-USD per day: the cost of one request × requests per day; null = unpriced. */
  costPerDayNanoUsd: bigint | null;
}

export interface ComparisonResult {
  workload: Workload;
  models: ModelComparison[];
  /** Id of the priced model with the lowest daily cost, or null when none is priced. */
  cheapest: string | null;
}

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 6;

/**
 * The cost of one request of `promptTokens` + `completionTokens` under `pricing`; null =
 * unpriced. OpenRouter's routers (`openrouter/auto`, …) list `"-1"` prices, meaning "the price
 * of whichever model serves": unpriced here, never negative.
 */
export function requestCostNanoUsd(
  pricing: ModelPricing,
  promptTokens: number,
  completionTokens: number,
): bigint | null {
  if (
    pricePerMillionUsd(pricing, 'prompt') === null ||
    pricePerMillionUsd(pricing, 'completion') === null
  )
    return null;
  return computeCostNanoUsd(
    {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    pricing,
  );
}

function validateWorkload(workload: Workload): void {
  for (const key of ['promptTokens', 'completionTokens', 'requestsPerDay'] as const) {
    const value = workload[key];
    if (!Number.isInteger(value) || value < 0)
      throw new SignalboxError('invalid_request', `"${key}" must be a whole number >= 0.`, {
        param: key,
      });
  }
}

/**
 * Compares the given entries in the given order.
 * @throws SignalboxError `invalid_request` (param `models`) for fewer than 2 or more than 6
 * models, or (param the field) for a negative or fractional workload figure.
 */
export function compareModels(
  entries: readonly CatalogEntry[],
  workload: Workload,
): ComparisonResult {
  if (entries.length < MIN_COMPARED || entries.length > MAX_COMPARED)
    throw new SignalboxError(
      'invalid_request',
      `Compare ${MIN_COMPARED} to ${MAX_COMPARED} models.`,
      {
        param: 'models',
      },
    );
  validateWorkload(workload);
  const models = entries.map(({ model, status, enabled }): ModelComparison => {
    const perRequest = requestCostNanoUsd(
      model.pricing,
      workload.promptTokens,
      workload.completionTokens,
    );
    return {
      id: model.id,
      name: model.name,
      status,
      enabled,
      contextLength: model.context_length,
      maxCompletionTokens: model.top_provider.max_completion_tokens ?? null,
      pricing: model.pricing,
      promptPricePerMillion: pricePerMillionUsd(model.pricing, 'prompt'),
      completionPricePerMillion: pricePerMillionUsd(model.pricing, 'completion'),
      capabilities: Object.fromEntries(
        capabilities.map((capability) => [capability, supportsCapability(model, capability)]),
      ) as Record<Capability, boolean>,
      inputModalities: model.architecture.input_modalities ?? [],
      outputModalities: model.architecture.output_modalities ?? [],
      costPerRequestNanoUsd: perRequest,
      costPerDayNanoUsd: perRequest === null ? null : perRequest * BigInt(workload.requestsPerDay),
    };
  });
  let cheapest: ModelComparison | null = null;
  for (const model of models) {
    if (model.costPerDayNanoUsd === null) continue;
    if (cheapest === null || (cheapest.costPerDayNanoUsd ?? 0n) > model.costPerDayNanoUsd)
      cheapest = model;
  }
  return { workload, models, cheapest: cheapest?.id ?? null };
}
