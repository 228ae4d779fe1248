/**
 * Ledger records: one `requests` row per client request, one `attempts` row per upstream
 * attempt. Tokens are counts; times are milliseconds; money is integer nano-USD
 * (1 USD = 1e9) and NULL when unknown — never 0 for unknown.
 */

import type { StoredRoutingDecision } from './routing-decision.ts';

/**
 * Where a cost comes from, strongest first:
 * - `provider`: the upstream reported it in its answer (OpenRouter `usage.cost`);
 * - `reconciled`: the upstream's own accounting, fetched after the attempt ended (OpenRouter
 *   `GET /generation`), for an attempt that ended without reporting it;
 * - `computed`: from token counts and catalogue prices;
 * - `estimated`: an upper bound (the whole prompt plus the most completion tokens the request
 *   allowed, at catalogue prices), for an attempt whose usage is unknown — a request
 *   interrupted by a crash of the gateway, until reconciliation replaces it.
 * A request's cost is the sum of its attempts' known costs, and its source the weakest of theirs
 * (`weakestCostSource`): a total is only as trustworthy as its least trustworthy part.
 */
export type CostSource = 'provider' | 'reconciled' | 'computed' | 'estimated';

/** Every CostSource, strongest first (the order `weakestCostSource` uses). */
export const COST_SOURCES: readonly CostSource[] = [
  'provider',
  'reconciled',
  'computed',
  'estimated',
];

/** The weaker of two sources (null, unknown, is ignored: it adds nothing to a total). */
export function weakestCostSource(
  left: CostSource | null,
  right: CostSource | null,
): CostSource | null {
  if (left === null) return right;
  if (right === null) return left;
  return COST_SOURCES.indexOf(left) >= COST_SOURCES.indexOf(right) ? left : right;
}

/**
 * Ledger status of a request (and its attempts) that was in flight when the gateway stopped
 * without settling it (a crash): rebuilt at the next start from the journaled intent.
 */
export const INTERRUPTED_STATUS = 'interrupted';

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
  /** `success`, the error code the client received, or `interrupted` (INTERRUPTED_STATUS). */
  status: string;
  /** The HTTP status the client received; 0 when unknown (an `interrupted` request). */
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
  /** The caller's key id (`master` for the master key); null for rows written before keys. */
  keyId: string | null;
  /** The caller's project, null when it has none. */
  projectId: string | null;
  /**
   * Time the request waited in the queue for its key's concurrency limit before it was admitted
   * (or refused), ms; null when it did not wait.
   */
  queueWaitMs: number | null;
  /**
   * What the request required of a model: routing's Feature bits (tools, tool_choice, structured
   * outputs, JSON mode, reasoning, image/file/audio/video input — src/routing/routing-catalog.ts);
   * null when the request never reached routing.
   */
  requiredFeatures: number | null;
  attempts: AttemptRecord[];
}

/** What one page of `GET /admin/requests` holds. */
export interface RequestPage {
  data: RequestRecord[];
  nextCursor: string | null;
}
