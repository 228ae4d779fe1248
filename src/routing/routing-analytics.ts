/**
 * What the admin API reports about routing, read from the ledger (implemented by
 * src/storage/routing-analytics-repository.ts): per-variant experiment figures and decision
 * counts per model. Times in ms, money in nano-USD, rates 0–1.
 */

/** `from` inclusive, `to` exclusive; null = unbounded. */
export interface TimeRange {
  from: Date | null;
  to: Date | null;
}

export interface ExperimentVariantStatistics {
  /** null for requests made while the policy had no variants. */
  variant: string | null;
  requests: number;
  /** Sum of known costs; null when none is known. */
  costNanoUsd: bigint | null;
  /** Over successful requests. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  /** Requests whose status is not `success`. */
  errorRate: number;
  /** Of the requests a target served, those served by a fallback (not the first choice). */
  fallbackRate: number;
}

export interface ModelDecisionStatistics {
  /** Requests that chose it first. */
  selected: number;
  /** Requests a fallback to it served. */
  fallenBackTo: number;
  /** Exclusions by reason code (from the listed exclusions, at most 50 per request). */
  excluded: Record<string, number>;
}

export interface DecisionStatistics {
  /** Requests with a routing decision in the range. */
  requests: number;
  models: Map<string, ModelDecisionStatistics>;
  /** Every exclusion by reason code (complete: from each decision's counts). */
  excludedByReason: Record<string, number>;
}

export interface RoutingAnalytics {
  /** Per variant of one policy, over the range. */
  experiment(policy: string, range: TimeRange): Promise<ExperimentVariantStatistics[]>;
  /** One policy's decisions (null = every request with a decision), over the range. */
  decisions(policy: string | null, range: TimeRange): Promise<DecisionStatistics>;
}
