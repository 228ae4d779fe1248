/**
 * Step 6, settle: the request's ledger row from its attempts. Tokens come from the last
 * attempt that reported usage (the one that served the client); cost is the sum of every
 * attempt's known cost (a failed attempt can still be billed), null when none is known.
 */
import {
  weakestCostSource,
  type AttemptRecord,
  type CostSource,
  type RequestRecord,
} from '../contracts/ledger.ts';

export interface Settlement {
  /** `success` or the error code the client received. */
  status: string;
  httpStatus: number;
  /** From receipt to the first byte of content sent, ms. */
  ttftMs: number | null;
  /** Now, ms since the epoch. */
  now: number;
}

export function buildRequestRecord(
  input: { requestId: string; receivedAt: number },
  model: string,
  stream: boolean,
  attempts: AttemptRecord[],
  settlement: Settlement,
): RequestRecord {
  const last = attempts.at(-1);
  const served = [...attempts].reverse().find((attempt) => attempt.promptTokens !== null) ?? last;
  let cost: bigint | null = null;
  let costSource: CostSource | null = null;
  for (const attempt of attempts) {
    if (attempt.costNanoUsd === null) continue;
    cost = (cost ?? 0n) + attempt.costNanoUsd;
    // crash-accounting: the weakest source of the attempts (contracts/ledger.ts CostSource).
    costSource = weakestCostSource(costSource, attempt.costSource);
  }
  return {
    id: input.requestId,
    createdAt: new Date(input.receivedAt),
    model,
    provider: last?.provider ?? null,
    servedModel: served?.servedModel ?? null,
    status: settlement.status,
    httpStatus: settlement.httpStatus,
    stream,
    generationId: served?.generationId ?? null,
    promptTokens: served?.promptTokens ?? null,
    completionTokens: served?.completionTokens ?? null,
    reasoningTokens: served?.reasoningTokens ?? null,
    cachedTokens: served?.cachedTokens ?? null,
    latencyMs: Math.max(0, Math.round(settlement.now - input.receivedAt)),
    ttftMs: settlement.ttftMs === null ? null : Math.max(0, Math.round(settlement.ttftMs)),
    costNanoUsd: cost,
    costSource,
    attempts,
  };
}
