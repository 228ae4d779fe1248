/**
 * Model recommendation (admin `POST /admin/catalog/recommend`): the active, enabled models
 * that meet the requirements, ranked by cost, speed or both, each with the reason for its
 * rank, and the best alternatives that were excluded with why. Pure.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { supportsCapability, type CatalogEntry, type Capability } from './catalog-entry.ts';
import { requestCostNanoUsd } from './compare-models.ts';

export type RecommendPreference = 'cost' | 'speed' | 'balanced';

export interface RecommendRequirements {
  capabilities?: readonly Capability[];
  /** Tokens. */
  minContext?: number;
  /** Most a model may cost per 1,000 typical requests, USD. */
  budgetPer1kRequestsUsd?: number;
  /** Default `cost`. */
  preference?: RecommendPreference;
  /** Tokens per typical request; defaults 1,000 prompt and 500 completion. */
  promptTokens?: number;
  completionTokens?: number;
  /** How many to return, 1..50; default 5. The same number of exclusions is reported. */
  limit?: number;
}

export interface RankedModel {
  rank: number;
  id: string;
  name: string;
  contextLength: number | null;
  /** Nano-USD for 1,000 typical requests. */
  costPer1kRequestsNanoUsd: bigint;
  /** Observed median latency, ms, when the ledger has one. */
  latencyMs: number | null;
  reason: string;
}

export interface ExcludedModel {
  id: string;
  name: string;
  reasons: string[];
}

export interface Recommendation {
  models: RankedModel[];
  /** The excluded models that would have ranked best, with why each was excluded. */
  excluded: ExcludedModel[];
}

const NANO_PER_USD = 1_000_000_000;

interface Candidate {
  model: ModelInfo;
  cost: bigint | null;
  latencyMs: number | null;
  reasons: string[];
}

function exclusionReasons(
  entry: CatalogEntry,
  requirements: RecommendRequirements,
  cost: bigint | null,
): string[] {
  const { model } = entry;
  const reasons: string[] = [];
  if (entry.status === 'retired') reasons.push('retired');
  if (!entry.enabled) reasons.push('disabled by an operator');
  for (const capability of requirements.capabilities ?? [])
    if (!supportsCapability(model, capability)) reasons.push(`does not support ${capability}`);
  const context = model.context_length ?? 0;
  if (requirements.minContext !== undefined && context < requirements.minContext)
    reasons.push(
      `context ${context.toLocaleString('en-US')} < ${requirements.minContext.toLocaleString('en-US')} tokens`,
    );
  if (cost === null) reasons.push('unpriced');
  else if (
    requirements.budgetPer1kRequestsUsd !== undefined &&
    Number(cost) / NANO_PER_USD > requirements.budgetPer1kRequestsUsd
  )
    reasons.push(
      `$${usd(cost)} per 1k requests is over the $${requirements.budgetPer1kRequestsUsd} budget`,
    );
  return reasons;
}

function usd(nano: bigint): string {
  return (Number(nano) / NANO_PER_USD).toFixed(4);
}

/** Ascending order for the preference: cost, observed latency (unobserved last), or their rank sum. */
function ranker(
  preference: RecommendPreference,
  candidates: Candidate[],
): (left: Candidate, right: Candidate) => number {
  // Unpriced (null) sorts after every priced model.
  const byCost = (left: Candidate, right: Candidate) =>
    (left.cost === null ? 1 : 0) - (right.cost === null ? 1 : 0) ||
    Number((left.cost ?? 0n) - (right.cost ?? 0n)) ||
    (left.model.id < right.model.id ? -1 : 1);
  const bySpeed = (left: Candidate, right: Candidate) =>
    (left.latencyMs ?? Number.MAX_VALUE) - (right.latencyMs ?? Number.MAX_VALUE) ||
    byCost(left, right);
  if (preference === 'cost') return byCost;
  if (preference === 'speed') return bySpeed;
  const costRank = new Map(
    [...candidates].sort(byCost).map((candidate, index) => [candidate, index]),
  );
  const speedRank = new Map(
    [...candidates].sort(bySpeed).map((candidate, index) => [candidate, index]),
  );
  const score = (candidate: Candidate) =>
    (costRank.get(candidate) ?? 0) + (speedRank.get(candidate) ?? 0);
  return (left, right) => score(left) - score(right) || byCost(left, right);
}

function describe(
  candidate: Candidate,
  rank: number,
  preference: RecommendPreference,
  requirements: RecommendRequirements,
): string {
  const met = [
    ...(requirements.capabilities ?? []),
    ...(requirements.minContext === undefined
      ? []
      : [`context >= ${requirements.minContext.toLocaleString('en-US')}`]),
  ];
  const latency =
    candidate.latencyMs === null
      ? 'no observed latency'
      : `observed latency ${candidate.latencyMs} ms`;
  const basis =
    preference === 'cost'
      ? 'by cost'
      : preference === 'speed'
        ? 'by observed latency, then cost'
        : 'by cost and latency together';
  return (
    `#${rank} ${basis}: $${usd(candidate.cost ?? 0n)} per 1k requests, ${latency}` +
    (met.length === 0 ? '' : `; meets ${met.join(', ')}`)
  );
}

/**
 * Ranks `entries` for `requirements`. `latencyMsByModel` holds observed median latencies
 * (ms) from the ledger; without it, `speed` falls back to cost.
 * @throws SignalboxError `invalid_request` (param `limit`, `promptTokens` or `completionTokens`).
 */
export function recommendModels(
  entries: readonly CatalogEntry[],
  requirements: RecommendRequirements,
  latencyMsByModel: ReadonlyMap<string, number> = new Map(),
): Recommendation {
  const limit = requirements.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50)
    throw new SignalboxError('invalid_request', '"limit" must be a whole number from 1 to 50.', {
      param: 'limit',
    });
  const promptTokens = requirements.promptTokens ?? 1000;
  const completionTokens = requirements.completionTokens ?? 500;
  for (const [param, value] of [
    ['promptTokens', promptTokens],
    ['completionTokens', completionTokens],
  ] as const)
    if (!Number.isInteger(value) || value < 0)
      throw new SignalboxError('invalid_request', `"${param}" must be a whole number >= 0.`, {
        param,
      });
  const preference = requirements.preference ?? 'cost';
  const eligible: Candidate[] = [];
  const excluded: Candidate[] = [];
  for (const entry of entries) {
    const perRequest = requestCostNanoUsd(entry.model.pricing, promptTokens, completionTokens);
    const cost = perRequest === null ? null : perRequest * 1000n;
    const candidate: Candidate = {
      model: entry.model,
      cost,
      latencyMs: latencyMsByModel.get(entry.model.id) ?? null,
      reasons: exclusionReasons(entry, requirements, cost),
    };
    (candidate.reasons.length === 0 ? eligible : excluded).push(candidate);
  }
  eligible.sort(ranker(preference, eligible));
  // The best-known alternatives: those that would rank first among all if allowed, fewest
  // reasons first (the near misses).
  const rankExcluded = ranker(preference, excluded);
  excluded.sort(
    (left, right) => left.reasons.length - right.reasons.length || rankExcluded(left, right),
  );
  return {
    models: eligible.slice(0, limit).map((candidate, index) => ({
      rank: index + 1,
      id: candidate.model.id,
      name: candidate.model.name,
      contextLength: candidate.model.context_length,
      costPer1kRequestsNanoUsd: candidate.cost ?? 0n,
      latencyMs: candidate.latencyMs,
      reason: describe(candidate, index + 1, preference, requirements),
    })),
    excluded: excluded.slice(0, limit).map((candidate) => ({
      id: candidate.model.id,
      name: candidate.model.name,
      reasons: candidate.reasons,
    })),
  };
}
