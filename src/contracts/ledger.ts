/**
 * Ledger records: one `requests` row per client request, one `attempts` row per upstream
 * attempt. Tokens are counts; times are milliseconds; money is integer nano-USD
 * (1 USD = 1e9) and NULL when unknown — never 0 for unknown.
 */

import type { StoredRoutingDecision } from './routing-decision.ts';

/** `provider`: the upstream reported the cost (OpenRouter `usage.cost`); `computed`: from catalogue prices. */
export type CostSource = 'provider' | 'computed';

export interface TokenCounts {
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  cachedTokens: number | null;
}

export interface AttemptRecord extends TokenCounts {
  /** 0-based position in the attempt loop. */
  attemptNumber: number;
  provider: string;
  model: string;
  /** The model the upstream says it served (may be a dated permaslug). */
  servedModel: string | null;
  generationId: string | null;
  /** `success`, or the Signalbox error code of the failure. */
  status: string;
  upstreamStatus: number | null;
  startedAt: Date;
  latencyMs: number;
  ttftMs: number | null;
  costNanoUsd: bigint | null;
  costSource: CostSource | null;
}

export interface RequestRecord extends TokenCounts {
  /** The `x-request-id` the client's response carried. */
  id: string;
  createdAt: Date;
  /** The model the client asked for. */
  model: string;
  /** The provider of the final attempt, null when none ran. */
  provider: string | null;
  servedModel: string | null;
  /** `success` or the error code the client received. */
  status: string;
  httpStatus: number;
  stream: boolean;
  generationId: string | null;
  latencyMs: number;
  ttftMs: number | null;
  costNanoUsd: bigint | null;
  costSource: CostSource | null;
  /** The routing policy (`signalbox/<name>` → `<name>`), its version and variant; null for a plain model. */
  policy: string | null;
  policyVersion: number | null;
  policyVariant: string | null;
  /** Position in the plan of the target that served (0 = first choice, 1 = first fallback); null when none did. */
  servedCandidate: number | null;
  /**
   * The routing decision in its stored form (`expandRoutingDecision` gives what
   * `POST /v1/route/explain` shows); null when the request never reached routing.
   */
  routingDecision: StoredRoutingDecision | null;
  attempts: AttemptRecord[];
}

/** What one page of `GET /admin/requests` holds. */
export interface RequestPage {
  data: RequestRecord[];
  nextCursor: string | null;
}
