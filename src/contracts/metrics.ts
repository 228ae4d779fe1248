/**
 * The hooks other parts of Signalbox call to feed the Prometheus metrics
 * (src/usage/prometheus-metrics.ts, docs/analytics.md "Prometheus"). Every method is cheap and
 * never throws; label values are bounded by the implementation (beyond a cap per label, values
 * become `other`), so callers may pass ids. NO_METRICS does nothing (tests, the library).
 */
export interface Metrics {
  /** A request refused by a rate limit; `limit` names the limit (`rpm`, `tpm`, `concurrency`…). */
  rateLimitRejected(limit: string): void;
  /** The admission queue's current depth (requests waiting). */
  queueDepth(depth: number): void;
  /** How long a request waited in the admission queue, ms. */
  queueWaitMs(waitMs: number): void;
  /** A budget's use: spent / limit (0 … ≥ 1), by scope (`key`, `project`, `global`) and budget id. */
  budgetUsed(scope: string, budgetId: string, ratio: number): void;
}

/** Metrics that record nothing. */
export const NO_METRICS: Metrics = {
  rateLimitRejected: () => undefined,
  queueDepth: () => undefined,
  queueWaitMs: () => undefined,
  budgetUsed: () => undefined,
};
