/**
 * One interface for every routing strategy, one small module each (after tensorzero's
 * `experimentation/` `VariantSampler`: the caller gathers the candidates and their data, a
 * strategy only orders them). The scoring model — how cost, latency, quality and weight
 * become 0–1 scores — is docs/decisions/0012-routing-scores.md.
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
  /** How many of the best to return, in order (the rest are not needed). */
  readonly keep: number;
}

export interface RoutingStrategy {
  readonly name: StrategyName;
  /**
   * Whether the winner is picked by comparing scores (then a close runner-up lowers the
   * decision's confidence); false when the policy's order or a sample picks it.
   */
  readonly comparesScores: boolean;
  /**
   * A new array of the best `context.keep`, best first; sets every contender's `scores.total`.
   * Ties keep `baseIndex` order.
   */
  rank(contenders: readonly Contender[], context: StrategyContext): Contender[];
  /** One sentence for the decision's reasoning, given the ranking it produced. */
  describe(ranked: readonly Contender[], context: StrategyContext): string;
}

/** Descending, with −∞ equal to −∞ and NaN equal to anything (a total order for sort). */
function descending(left: number, right: number): number {
  return left < right ? 1 : left > right ? -1 : 0;
}

/**
 * The best `keep` contenders by `first` then `second` (each higher-is-better), then by
 * `baseIndex` — stable and total, so equal candidates keep the policy's order. Keys are computed
 * once per contender into typed arrays, and only the best `keep` are kept in order (a bounded
 * insertion, O(n·keep) with few moves), so ranking a whole catalogue allocates almost nothing.
 */
export function rankBy(
  contenders: readonly Contender[],
  keep: number,
  first: (contender: Contender) => number,
  second?: (contender: Contender) => number,
): Contender[] {
  const count = contenders.length;
  const primary = new Float64Array(count);
  const secondary = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    const contender = contenders[index] as Contender;
    primary[index] = first(contender);
    secondary[index] = second === undefined ? 0 : second(contender);
  }
  /** Negative when contender `left` ranks before `right`. */
  const compare = (left: number, right: number): number =>
    descending(primary[left] ?? 0, primary[right] ?? 0) ||
    descending(secondary[left] ?? 0, secondary[right] ?? 0) ||
    (contenders[left]?.baseIndex ?? 0) - (contenders[right]?.baseIndex ?? 0);
  const limit = Math.min(keep, count);
  const best: number[] = [];
  for (let index = 0; index < count; index += 1) {
    if (best.length === limit && compare(index, best[limit - 1] ?? 0) >= 0) continue;
    let position = best.length === limit ? limit - 1 : best.length;
    while (position > 0 && compare(index, best[position - 1] ?? 0) < 0) {
      best[position] = best[position - 1] ?? 0;
      position -= 1;
    }
    best[position] = index;
  }
  return best.map((index) => contenders[index] as Contender);
}

/** `$0.000310` — enough digits for sub-cent estimates. */
export function formatUsd(usd: number): string {
  return `$${usd < 0.01 ? usd.toPrecision(3) : usd.toFixed(4)}`;
}

/** `model@provider`, as sentences name a candidate. */
export function label(contender: Contender): string {
  return `${contender.target.model}@${contender.target.provider}`;
}
