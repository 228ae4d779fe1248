/**
 * The routing decision as clients and operators see it: returned by `POST /v1/route/explain`,
 * stored with every request in the ledger (`requests.routing_decision`), shown by
 * `GET /admin/requests/{id}` and summarised in the `x-signalbox-route` response header.
 * snake_case JSON, like the OpenAI/OpenRouter documents around it. Money is USD (floats: these
 * are estimates; the ledger's actual cost stays integer nano-USD), times are milliseconds.
 * How scores and confidence are computed: docs/decisions/0012-routing-scores.md.
 */

/** Routing strategies (src/routing/strategies/). */
export type StrategyName = 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';

/** Machine-readable reasons a candidate was left out (each is described in docs/routing.md). */
export const exclusionCodes = [
  'model_disabled',
  'not_served_by_default_provider',
  'provider_not_in_only',
  'provider_ignored',
  'data_policy_unverified',
  'models_list_needs_default_provider',
  'tools_unsupported',
  'tool_choice_unsupported',
  'structured_outputs_unsupported',
  'json_mode_unsupported',
  'image_input_unsupported',
  'file_input_unsupported',
  'audio_input_unsupported',
  'video_input_unsupported',
  'reasoning_unsupported',
  'context_length_exceeded',
  'cost_unknown',
  'over_cost_cap',
  'circuit_open',
  'provider_cooldown',
] as const;

export type ExclusionCode = (typeof exclusionCodes)[number];

/** USD for this one request: prompt only, with a typical answer, with the longest answer allowed. */
export interface CostEstimate {
  min: number;
  expected: number;
  max: number;
}

/** Where a latency estimate comes from: this gateway's own attempts, or OpenRouter's published p50. */
export type LatencySource = 'observed' | 'published';

export interface LatencyEstimate {
  /** Time to first token, ms; null when unknown. */
  ttft: number | null;
  /** Whole answer, ms; null when unknown. */
  total: number | null;
}

/** Per-objective scores, 0–1, higher is better; null when the objective has no data. */
export interface CandidateScores {
  cost: number | null;
  latency: number | null;
  quality: number | null;
  /** Share of the weights (weighted strategy), 0–1. */
  weight: number | null;
  /** What the strategy ranked by. */
  total: number;
}

/** A candidate the strategy ranked (model × provider instance). */
export interface RankedCandidate {
  /** Canonical model id (OpenRouter's). */
  model: string;
  /** Signalbox provider instance id. */
  provider: string;
  /** 1 = first choice. */
  rank: number;
  scores: CandidateScores;
  estimated_cost_usd: CostEstimate | null;
  estimated_latency_ms: LatencyEstimate | null;
  latency_source: LatencySource | null;
}

export interface ExcludedCandidate {
  model: string;
  provider: string;
  reason_code: ExclusionCode;
  /** One human sentence. */
  reason: string;
}

/** A target the plan will try after the first, in order. */
export interface FallbackTarget {
  model: string;
  provider: string;
  /** True for entries of OpenRouter's own `models` list: the provider falls back, not Signalbox. */
  by_provider?: true;
  /** Its circuit is open: tried only when every other target failed (also listed in `excluded`). */
  cooling_down?: true;
}

export interface RoutingDecision {
  /** What the client asked for (`model`, else the first of `models`); `signalbox/<name>` for a policy. */
  requested_model: string;
  /** null when no candidate is left (then `error` says why). */
  selected_model: string | null;
  selected_provider: string | null;
  fallback_models: FallbackTarget[];
  /** Short human sentences, in the order the decision was taken. */
  reasoning: string[];
  /** Of the selected candidate; with OpenRouter's `models` list, the most any listed model may cost. */
  estimated_cost_usd: CostEstimate | null;
  estimated_latency_ms: LatencyEstimate;
  /** 0–1: how much observed data backs the estimates and how clearly the choice won. */
  confidence_score: number;
  /** null for a plain model id. `version` 0 is a built-in policy (`signalbox/auto`). */
  policy: { name: string; version: number; variant: string | null } | null;
  strategy: StrategyName;
  /** What the request needs of a model (`tools`, `image_input`, …). */
  requirements: string[];
  /** The cap applied, USD (the `x-signalbox-max-cost-usd` header or the policy's `max_cost_usd`). */
  max_cost_usd: number | null;
  /** OpenRouter routing fields the request carried (`provider.order/only/ignore/sort`, `models`, `:nitro`…). */
  provider_preferences: Record<string, unknown> | null;
  /** Best first; at most 20 are listed (`candidates_considered` counts them all). */
  candidates: RankedCandidate[];
  candidates_considered: number;
  /** At most 50 are listed; `excluded_counts` counts every exclusion by reason. */
  excluded: ExcludedCandidate[];
  excluded_counts: Partial<Record<ExclusionCode, number>>;
  /** Set when the request cannot be routed (the error the request gets). */
  error: { code: string; message: string } | null;
  /** Time spent deciding, µs. */
  decided_in_us: number;
}

/**
 * The decision as the ledger stores it: every key whose value is empty (null, `[]`, `{}`) left
 * out, at the top and in each candidate — about a third of a plain model's decision, which the
 * embedded database pays for per byte. `expandRoutingDecision` restores the full shape.
 */
export type StoredRoutingDecision = Readonly<Record<string, unknown>> & {
  readonly requested_model: string;
};

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function withoutEmpty(object: object): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!isEmpty(value)) kept[key] = value;
  return kept;
}

/** The stored form of a decision. */
export function compactRoutingDecision(decision: RoutingDecision): StoredRoutingDecision {
  const stored = withoutEmpty(decision);
  if (decision.candidates.length > 0)
    stored.candidates = decision.candidates.map((candidate) => ({
      ...withoutEmpty(candidate),
      scores: withoutEmpty(candidate.scores),
    }));
  if (decision.estimated_latency_ms.ttft === null && decision.estimated_latency_ms.total === null)
    delete stored.estimated_latency_ms;
  return { ...stored, requested_model: decision.requested_model };
}

const EMPTY_LATENCY: LatencyEstimate = { ttft: null, total: null };

/** The full decision from its stored form (keys the stored form left out get their empty value). */
export function expandRoutingDecision(stored: StoredRoutingDecision): RoutingDecision {
  const field = <T>(key: string, empty: T): T => (stored[key] ?? empty) as T;
  const candidates = field<Record<string, unknown>[]>('candidates', []).map(
    (candidate): RankedCandidate => {
      const scores = (candidate.scores ?? {}) as Partial<CandidateScores>;
      return {
        model: candidate.model as string,
        provider: candidate.provider as string,
        rank: candidate.rank as number,
        scores: {
          cost: scores.cost ?? null,
          latency: scores.latency ?? null,
          quality: scores.quality ?? null,
          weight: scores.weight ?? null,
          total: scores.total ?? 0,
        },
        estimated_cost_usd: (candidate.estimated_cost_usd ?? null) as CostEstimate | null,
        estimated_latency_ms: (candidate.estimated_latency_ms ?? null) as LatencyEstimate | null,
        latency_source: (candidate.latency_source ?? null) as LatencySource | null,
      };
    },
  );
  return {
    requested_model: stored.requested_model,
    selected_model: field('selected_model', null),
    selected_provider: field('selected_provider', null),
    fallback_models: field('fallback_models', []),
    reasoning: field('reasoning', []),
    estimated_cost_usd: field('estimated_cost_usd', null),
    estimated_latency_ms: field('estimated_latency_ms', EMPTY_LATENCY),
    confidence_score: field('confidence_score', 0),
    policy: field('policy', null),
    strategy: field('strategy', 'ordered'),
    requirements: field('requirements', []),
    max_cost_usd: field('max_cost_usd', null),
    provider_preferences: field('provider_preferences', null),
    candidates,
    candidates_considered: field('candidates_considered', 0),
    excluded: field('excluded', []),
    excluded_counts: field('excluded_counts', {}),
    error: field('error', null),
    decided_in_us: field('decided_in_us', 0),
  };
}
