/**
 * Accumulates a RoutingDecision while plan-route.ts works through its stages — the reasoning
 * sentences, the exclusions (listed up to a limit, counted in full) — and turns the ranked
 * contenders into the decision and the attempt order.
 */
import type { SignalboxError } from '../contracts/errors.ts';
import type {
  CandidateScores,
  CostEstimate,
  ExcludedCandidate,
  ExclusionCode,
  RankedCandidate,
  RoutingDecision,
  StrategyName,
} from '../contracts/routing-decision.ts';
import type { RequestRequirements } from './request-requirements.ts';
import { requirementNames } from './request-requirements.ts';
import type { RouteCandidate, RoutePlan } from './route-plan.ts';
import type { Contender } from './strategies/index.ts';

/** Candidates listed in the decision (all are counted in `candidates_considered`). */
export const LISTED_CANDIDATES = 20;
/** Exclusions listed in the decision (all are counted in `excluded_counts`). */
const LISTED_EXCLUSIONS = 25;

function nano(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

function roundedCost(cost: CostEstimate | null): CostEstimate | null {
  return cost === null
    ? null
    : { min: nano(cost.min), expected: nano(cost.expected), max: nano(cost.max) };
}

/** Scores to 4 decimals: enough to compare, short to store. */
function roundedScores(scores: CandidateScores): CandidateScores {
  const round = (value: number | null): number | null =>
    value === null ? null : Math.round(value * 10_000) / 10_000;
  return {
    cost: round(scores.cost),
    latency: round(scores.latency),
    quality: round(scores.quality),
    weight: round(scores.weight),
    total: Math.round(scores.total * 10_000) / 10_000,
  };
}

function roundedMs(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value);
}

export interface DecisionDraft {
  readonly requested: string;
  readonly reasoning: string[];
  policy: RoutingDecision['policy'];
  strategy: StrategyName;
  maxCostUsd: number | null;
  /** Set when the request carries OpenRouter's `models` list: the provider's own fallbacks. */
  providerFallbacks: readonly string[];
  exclude(entries: readonly ExcludedCandidate[]): void;
  /** `reason` is built only while the list has room (a catalogue-wide filter excludes hundreds). */
  excludeOne(
    model: string,
    provider: string,
    code: ExclusionCode,
    reason: string | (() => string),
  ): void;
  /** The first exclusions, up to the listed limit. */
  readonly excluded: readonly ExcludedCandidate[];
  /** Every exclusion, by code. */
  readonly counts: Partial<Record<ExclusionCode, number>>;
  /** How many exclusions there were in all. */
  total(): number;
}

export function createDecisionDraft(requested: string): DecisionDraft {
  const excluded: ExcludedCandidate[] = [];
  const counts: Partial<Record<ExclusionCode, number>> = {};
  let total = 0;
  const draft: DecisionDraft = {
    requested,
    reasoning: [],
    policy: null,
    strategy: 'ordered',
    maxCostUsd: null,
    providerFallbacks: [],
    excluded,
    counts,
    total: () => total,
    exclude(entries) {
      for (const entry of entries)
        draft.excludeOne(entry.model, entry.provider, entry.reason_code, entry.reason);
    },
    excludeOne(model, provider, code, reason) {
      total += 1;
      counts[code] = (counts[code] ?? 0) + 1;
      if (excluded.length < LISTED_EXCLUSIONS)
        excluded.push({
          model,
          provider,
          reason_code: code,
          reason: typeof reason === 'string' ? reason : reason(),
        });
    },
  };
  return draft;
}

function rankedCandidate(contender: Contender, index: number): RankedCandidate {
  const latency = contender.latency;
  return {
    model: contender.target.model,
    provider: contender.target.provider,
    rank: index + 1,
    scores: roundedScores(contender.scores),
    estimated_cost_usd: roundedCost(contender.cost),
    estimated_latency_ms:
      latency === null ? null : { ttft: roundedMs(latency.ttft), total: roundedMs(latency.total) },
    latency_source: latency?.source ?? null,
  };
}

function summariseExclusions(draft: DecisionDraft): void {
  if (draft.total() === 0) return;
  const parts = Object.entries(draft.counts).map(([code, count]) => `${code} ×${count}`);
  draft.reasoning.push(`Excluded ${draft.total()}: ${parts.join(', ')}.`);
}

/** What differs between a routable and an unroutable request. */
type Outcome = Pick<
  RoutingDecision,
  | 'selected_model'
  | 'selected_provider'
  | 'fallback_models'
  | 'estimated_cost_usd'
  | 'estimated_latency_ms'
  | 'confidence_score'
  | 'candidates'
  | 'candidates_considered'
  | 'error'
>;

/** The decision, its keys in the documented order. */
function decisionOf(
  draft: DecisionDraft,
  requirements: RequestRequirements,
  outcome: Outcome,
  elapsedUs: () => number,
): RoutingDecision {
  const decision: RoutingDecision = {
    requested_model: draft.requested,
    selected_model: outcome.selected_model,
    selected_provider: outcome.selected_provider,
    fallback_models: outcome.fallback_models,
    reasoning: draft.reasoning,
    estimated_cost_usd: outcome.estimated_cost_usd,
    estimated_latency_ms: outcome.estimated_latency_ms,
    confidence_score: outcome.confidence_score,
    policy: draft.policy,
    strategy: draft.strategy,
    requirements: requirementNames(requirements),
    max_cost_usd: draft.maxCostUsd,
    provider_preferences: requirements.providerFields,
    candidates: outcome.candidates,
    candidates_considered: outcome.candidates_considered,
    excluded: [...draft.excluded],
    excluded_counts: draft.counts,
    error: outcome.error,
    decided_in_us: 0,
  };
  decision.decided_in_us = Math.max(0, Math.round(elapsedUs()));
  return decision;
}

/** The plan of a request that cannot be routed. */
export function failedPlan(
  draft: DecisionDraft,
  requirements: RequestRequirements,
  failure: SignalboxError,
  elapsedUs: () => number,
): RoutePlan {
  summariseExclusions(draft);
  draft.reasoning.push(`Not routable: ${failure.code}.`);
  const outcome: Outcome = {
    selected_model: null,
    selected_provider: null,
    fallback_models: [],
    estimated_cost_usd: null,
    estimated_latency_ms: { ttft: null, total: null },
    confidence_score: 0,
    candidates: [],
    candidates_considered: 0,
    error: { code: failure.code, message: failure.message },
  };
  return {
    decision: decisionOf(draft, requirements, outcome, elapsedUs),
    candidates: [],
    ttftTimeoutMs: null,
    failure,
  };
}

/**
 * The plan of a routable request: `ranked` (the contenders to try, in order) then `lastResort`
 * (cooling targets, tried only when every other one failed) become the attempt list; `rankedAll`
 * (the best ranked contenders, best first) the decision's candidate list, of `considered` in all.
 */
export function successfulPlan(
  draft: DecisionDraft,
  requirements: RequestRequirements,
  ranked: readonly Contender[],
  lastResort: readonly Contender[],
  rankedAll: readonly Contender[],
  considered: number,
  confidence: number,
  ttftTimeoutMs: number | null,
  elapsedUs: () => number,
): RoutePlan {
  const first = ranked[0];
  if (first === undefined) throw new Error('a successful plan needs a first target');
  const route = [...ranked, ...lastResort];
  summariseExclusions(draft);
  const candidates: RouteCandidate[] = route.map((contender, index) => ({
    provider: contender.target.provider,
    model: contender.target.native,
    canonicalModel: contender.target.model,
    pricingModel: contender.target.info?.id ?? contender.target.model,
    reason: index === 0 ? 'first choice' : `fallback ${index}`,
    estimatedCostNanoUsd:
      contender.cost === null ? null : BigInt(Math.ceil(contender.cost.max * 1e9)),
  }));
  const fallbacks: RoutingDecision['fallback_models'] = route
    .slice(1)
    .map((contender) =>
      lastResort.includes(contender)
        ? { model: contender.target.model, provider: contender.target.provider, cooling_down: true }
        : { model: contender.target.model, provider: contender.target.provider },
    );
  for (const model of draft.providerFallbacks)
    fallbacks.push({ model, provider: first.target.provider, by_provider: true });
  const latency = first.latency;
  const outcome: Outcome = {
    selected_model: first.target.model,
    selected_provider: first.target.provider,
    fallback_models: fallbacks,
    estimated_cost_usd: roundedCost(first.cost),
    estimated_latency_ms: { ttft: roundedMs(latency?.ttft), total: roundedMs(latency?.total) },
    confidence_score: confidence,
    candidates: rankedAll.slice(0, LISTED_CANDIDATES).map(rankedCandidate),
    candidates_considered: considered,
    error: null,
  };
  return {
    decision: decisionOf(draft, requirements, outcome, elapsedUs),
    candidates,
    ttftTimeoutMs,
    failure: null,
  };
}
