/**
 * One interface for every routing strategy, one small module each (after tensorzero's
 * `experimentation/` `VariantSampler`: the caller gathers the candidates and their data, a
 * strategy only orders them). The scoring model — how cost, latency, quality and weight
 * become 0–1 scores — is docs/decisions/0008-routing-scores.md.
 */
import type {
  CandidateScores,
  CostEstimate,
  LatencySource,
  StrategyName,
} from '../../contracts/routing-decision.ts';
import type { Target } from '../candidate-filters.ts';

/** What routing knows of a candidate's speed. */
export interface LatencyView {
  /** Time to first token, ms; null when unknown. */
  ttft: number | null;
  /** Whole answer, ms; null when unknown. */
  total: number | null;
  source: LatencySource;
  /** Attempts behind an observed figure (the health registry's window); 0 when published. */
  samples: number;
  /** Observed error rate over the window, 0–1; 0 when unknown. */
  errorRate: number;
}

/** A candidate that passed every filter, with its data; strategies fill `scores.total`. */
export interface Contender {
  readonly target: Target;
  /** Its position in the policy's own order (candidates as listed, each model's providers in order). */
  readonly baseIndex: number;
  /** USD for this request; null when unpriced. */
  readonly cost: CostEstimate | null;
  readonly latency: LatencyView | null;
  /** The policy's quality score for the model, 0–1; null when unscored. */
  readonly quality: number | null;
  /** The policy's weight for the model (default 1). */
  readonly weight: number;
  /** Cost and latency scores are set before ranking; the strategy sets `total` (and `weight`). */
  readonly scores: CandidateScores;
}

export interface StrategyContext {
  /** 0–1: the share of cost against performance (`balanced`). */
  readonly costWeight: number;
  /** Streams rank by time to first token, JSON answers by total latency. */
  readonly stream: boolean;
  /** Deterministic per request (sampling strategies hash it with each candidate). */
  readonly seed: string;
}

export interface RoutingStrategy {
  readonly name: StrategyName;
  /**
   * Whether the winner is picked by comparing scores (then a close runner-up lowers the
   * decision's confidence); false when the policy's order or a sample picks it.
   */
  readonly comparesScores: boolean;
  /** A new array, best first; sets each contender's `scores.total`. Ties keep `baseIndex` order. */
  rank(contenders: readonly Contender[], context: StrategyContext): Contender[];
  /** One sentence for the decision's reasoning, given the ranking it produced. */
  describe(ranked: readonly Contender[], context: StrategyContext): string;
}

/**
 * Sorts by the keys (each higher-is-better, compared in order), then by `baseIndex`: stable and
 * total, so equal candidates keep the policy's order.
 */
export function rankByKeys(
  contenders: readonly Contender[],
  keys: (contender: Contender) => readonly number[],
): Contender[] {
  const keyed = contenders.map((contender) => ({ contender, key: keys(contender) }));
  keyed.sort((left, right) => {
    for (let index = 0; index < left.key.length; index += 1) {
      const difference = (right.key[index] ?? 0) - (left.key[index] ?? 0);
      // NaN (−∞ − −∞) counts as a tie.
      if (difference > 0 || difference < 0) return difference;
    }
    return left.contender.baseIndex - right.contender.baseIndex;
  });
  return keyed.map((entry) => entry.contender);
}

/** `$0.000310` — enough digits for sub-cent estimates. */
export function formatUsd(usd: number): string {
  return `$${usd < 0.01 ? usd.toPrecision(3) : usd.toFixed(4)}`;
}

/** `model@provider`, as sentences name a candidate. */
export function label(contender: Contender): string {
  return `${contender.target.model}@${contender.target.provider}`;
}
