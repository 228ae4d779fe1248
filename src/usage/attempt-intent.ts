/** The intent the gateway journals before each upstream attempt (ledger-writer.ts `begin`). */

/**
 * One upstream attempt about to be dispatched: what the ledger needs to account for it if the
 * process dies before the request settles. Times are Dates; money nano-USD.
 */
export interface AttemptIntent {
  /** The request's id (the ledger row's id, the client's `x-request-id`). */
  requestId: string;
  /** When the request arrived (the row's `created_at`). */
  createdAt: Date;
  /** The model the client asked for. */
  model: string;
  stream: boolean;
  /** 0-based position in the request's attempt loop (the attempts row's `attempt_number`). */
  attemptNumber: number;
  /** Signalbox provider id of the attempt. */
  provider: string;
  /** The model name sent upstream (a direct provider's native name, or the canonical id). */
  upstreamModel: string;
  /** The canonical (OpenRouter) model id the attempt serves. */
  canonicalModel: string;
  /** When the attempt is dispatched. */
  startedAt: Date;
  /**
   * Upper bound of this attempt's cost in nano-USD (usage/attempt-cost-bound.ts); null when the
   * model is unpriced or the request sets no bound on its completion.
   */
  maxCostNanoUsd: bigint | null;
}
