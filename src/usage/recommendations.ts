/**
 * Recommendations from real traffic (issue 10, docs/decisions/0019-recommendations.md): for each
 * key × project × model with enough requests over a period, the cheaper catalogue models that
 * satisfy every requirement that traffic actually used — the Feature bits its requests required
 * (tools, forced tool choice, structured outputs, JSON mode, reasoning, image/file/audio/video
 * input), reasoning also when any answer carried reasoning tokens, a context window that holds
 * the largest prompt + completion seen and an output limit that holds the largest completion —
 * with the saving projected from the real summed token counts at the alternative's current
 * catalogue price (exact nano-USD, pricing/cost.ts `aggregateCostNanoUsd`) against the ledger's
 * own cost of that traffic, and what the gateway observed of the alternative (usage rollups).
 * Quality is not judged here: an experiment (routing variants) measures it.
 */
import { createHash } from 'node:crypto';
import type { Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { histogramQuantile } from '../lib/log-histogram.ts';
import { aggregateCostNanoUsd } from '../pricing/cost.ts';
import { Feature, type RoutingCatalog, type RoutingModel } from '../routing/routing-catalog.ts';
import type { TrafficProfile } from '../storage/index.ts';

/** What the gateway observed of a model over the period (from the usage rollups). */
export interface ObservedModel {
  requests: number;
  /** ms; null when no latency was recorded. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** errors / requests, 0–1. */
  errorRate: number;
}

export interface RecommendationRequirements {
  tools: boolean;
  structuredOutput: boolean;
  imageInput: boolean;
  reasoning: boolean;
  /** Tokens. */
  maxPromptTokens: number;
}

export interface Recommendation {
  /** `rec_` + 20 hex of SHA-256 over scope, current model and alternative: stable across reads. */
  id: string;
  keyId: string | null;
  projectId: string | null;
  currentModel: string;
  requests: number;
  requirements: RecommendationRequirements;
  /** The ledger's known cost of the traffic, nano-USD. */
  currentCostNanoUsd: bigint;
  alternative: string;
  projectedCostNanoUsd: bigint;
  savingNanoUsd: bigint;
  /** Saving / current cost × 100. */
  savingPct: number;
  /** null when the period holds no request for the alternative. */
  observed: ObservedModel | null;
}

export interface RecommendationInputs {
  profiles: readonly TrafficProfile[];
  /** The catalogue routing reads (enabled, active models). */
  catalog: RoutingCatalog;
  /** The catalogue entry (exact decimal prices) of a model. */
  lookupModel: (id: string) => ModelInfo | undefined;
  observed: ReadonlyMap<string, ObservedModel>;
  /** Most alternatives per profile (the largest savings); Infinity for all. */
  perModel: number;
}

/** The stable id of a recommendation. */
export function recommendationId(
  keyId: string | null,
  projectId: string | null,
  model: string,
  alternative: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([keyId, projectId, model, alternative]))
    .digest('hex');
  return `rec_${digest.slice(0, 20)}`;
}

/** Routers, the rate-limited `:free` variants and non-text generators are never proposed. */
function proposable(model: RoutingModel): boolean {
  return (
    model.capabilitiesKnown &&
    !model.id.startsWith('openrouter/') &&
    !model.id.endsWith(':free') &&
    model.outputModalities.every((modality) => modality === 'text')
  );
}

/** The Feature bits an alternative must have for this traffic. */
export function requiredBits(profile: TrafficProfile): number {
  return profile.features | (profile.reasoningUsed ? Feature.reasoning : 0);
}

/** Whether `model` can serve everything the profile's traffic used. */
export function satisfies(model: RoutingModel, profile: TrafficProfile): boolean {
  const bits = requiredBits(profile);
  if ((model.features & bits) !== bits) return false;
  if (model.contextLength === null || model.contextLength < profile.maxTotalTokens) return false;
  return (
    model.maxCompletionTokens === null || model.maxCompletionTokens >= profile.maxCompletionTokens
  );
}

function summedUsage(profile: TrafficProfile): Usage {
  const prompt = Number(profile.promptTokens);
  const completion = Number(profile.completionTokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: Number(profile.cachedTokens) },
    completion_tokens_details: { reasoning_tokens: Number(profile.reasoningTokens) },
  };
}

/** The projected cost of the profile's traffic on `model` at its catalogue price, nano-USD. */
export function projectedCostNanoUsd(model: ModelInfo, profile: TrafficProfile): bigint | null {
  return aggregateCostNanoUsd(
    summedUsage(profile),
    model.pricing,
    profile.requests,
    profile.maxPromptTokens,
  );
}

function requirementsOf(profile: TrafficProfile): RecommendationRequirements {
  const bits = requiredBits(profile);
  return {
    tools: (bits & Feature.tools) !== 0,
    structuredOutput: (bits & Feature.structuredOutputs) !== 0,
    imageInput: (bits & Feature.image) !== 0,
    reasoning: (bits & Feature.reasoning) !== 0,
    maxPromptTokens: profile.maxPromptTokens,
  };
}

/** The base id of a routing shortcut (`x:nitro` → `x`), so a model is not its own alternative. */
function baseId(id: string): string {
  const colon = id.lastIndexOf(':');
  return colon > id.indexOf('/') && colon > 0 ? id.slice(0, colon) : id;
}

function forProfile(profile: TrafficProfile, inputs: RecommendationInputs): Recommendation[] {
  const current = profile.costNanoUsd;
  if (current === null || current <= 0n) return [];
  const requirements = requirementsOf(profile);
  const currentBase = baseId(profile.model);
  const found: Recommendation[] = [];
  for (const model of inputs.catalog.models) {
    if (model.id === profile.model || model.id === currentBase) continue;
    if (!proposable(model) || !satisfies(model, profile)) continue;
    const entry = inputs.lookupModel(model.id);
    if (entry === undefined) continue;
    const projected = projectedCostNanoUsd(entry, profile);
    if (projected === null || projected >= current) continue;
    const saving = current - projected;
    found.push({
      id: recommendationId(profile.keyId, profile.projectId, profile.model, model.id),
      keyId: profile.keyId,
      projectId: profile.projectId,
      currentModel: profile.model,
      requests: profile.requests,
      requirements,
      currentCostNanoUsd: current,
      alternative: model.id,
      projectedCostNanoUsd: projected,
      savingNanoUsd: saving,
      savingPct: Math.round((Number(saving) / Number(current)) * 10_000) / 100,
      observed: inputs.observed.get(model.id) ?? null,
    });
  }
  return bySaving(found).slice(0, inputs.perModel);
}

/** Largest saving first; ties by alternative id, then scope (a stable order). */
function bySaving(recommendations: Recommendation[]): Recommendation[] {
  return recommendations.sort((left, right) => {
    if (left.savingNanoUsd !== right.savingNanoUsd)
      return left.savingNanoUsd > right.savingNanoUsd ? -1 : 1;
    return left.alternative.localeCompare(right.alternative) || left.id.localeCompare(right.id);
  });
}

/** Every recommendation of the inputs, largest saving first. Pure. */
export function recommend(inputs: RecommendationInputs): Recommendation[] {
  return bySaving(inputs.profiles.flatMap((profile) => forProfile(profile, inputs)));
}

/** Observed figures per model from summed rollup counts and merged latency histograms. */
export function observedModels(
  counts: ReadonlyMap<string, { requests: number; errors: number }>,
  latency: ReadonlyMap<string, ReadonlyMap<number, number>>,
): Map<string, ObservedModel> {
  const observed = new Map<string, ObservedModel>();
  for (const [model, entry] of counts) {
    if (entry.requests === 0) continue;
    const histogram = latency.get(model) ?? new Map<number, number>();
    observed.set(model, {
      requests: entry.requests,
      latencyP50Ms: histogramQuantile(histogram, 0.5),
      latencyP95Ms: histogramQuantile(histogram, 0.95),
      errorRate: entry.errors / entry.requests,
    });
  }
  return observed;
}
