/**
 * Stage 6, settle: runs exactly once per request, after the response ended, whatever happened.
 * Builds the ledger record from the context — tokens from the last attempt that reported usage
 * (the one that served the client), cost the sum of every attempt's known cost (a failed attempt
 * can still be billed), null when none is known — then releases the admission's reservation
 * with the actual cost and fans the record out to the settlement listeners (ledger, health,
 * budgets, metrics). Nothing here can change what the client received.
 */
import {
  weakestCostSource,
  type AttemptRecord,
  type CostSource,
  type RequestRecord,
} from '../contracts/ledger.ts';
import { compactRoutingDecision } from '../contracts/routing-decision.ts';
import { featureBitsOfNames } from '../routing/request-requirements.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/** The ledger record of a request that ended with `context.result`. */
export function buildRequestRecord(context: RequestContext, now: number): RequestRecord {
  const attempts: AttemptRecord[] = context.attempts;
  const result = context.result ?? {
    status: 'internal_error',
    httpStatus: 500,
    ttftMs: null,
    error: null,
  };
  const last = attempts.at(-1);
  const decision = context.plan?.decision ?? null;
  let served: AttemptRecord | undefined = last;
  for (let index = attempts.length - 1; index >= 0; index -= 1) {
    if (attempts[index]?.promptTokens !== null) {
      served = attempts[index];
      break;
    }
  }
  let cost: bigint | null = null;
  let costSource: CostSource | null = null;
  for (const attempt of attempts) {
    if (attempt.costNanoUsd === null) continue;
    cost = (cost ?? 0n) + attempt.costNanoUsd;
    costSource = weakestCostSource(costSource, attempt.costSource);
  }
  return {
    id: context.id,
    createdAt: new Date(context.receivedAt),
    model: decision?.requested_model ?? requestedModelOf(context.input),
    provider: last?.provider ?? null,
    servedModel: served?.servedModel ?? null,
    status: result.status,
    httpStatus: result.httpStatus,
    stream: context.stream,
    generationId: served?.generationId ?? null,
    promptTokens: served?.promptTokens ?? null,
    completionTokens: served?.completionTokens ?? null,
    reasoningTokens: served?.reasoningTokens ?? null,
    cachedTokens: served?.cachedTokens ?? null,
    latencyMs: Math.max(0, Math.round(now - context.receivedAt)),
    ttftMs: result.ttftMs === null ? null : Math.max(0, Math.round(result.ttftMs)),
    costNanoUsd: cost,
    costSource,
    policy: decision?.policy?.name ?? null,
    policyVersion: decision?.policy?.version ?? null,
    policyVariant: decision?.policy?.variant ?? null,
    servedCandidate: context.servedCandidate,
    routingDecision: decision === null ? null : compactRoutingDecision(decision),
    keyId: context.principal.keyId,
    projectId: context.principal.projectId,
    queueWaitMs: context.queueWaitMs,
    requiredFeatures: decision === null ? null : featureBitsOfNames(decision.requirements),
    attempts,
  };
}

function requestedModelOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const model = (body as { model?: unknown }).model;
  return typeof model === 'string' ? model : '';
}

/** Settles the request; never throws (listener failures are logged by the hub). */
export async function settle(context: RequestContext, services: GatewayServices): Promise<void> {
  const record = buildRequestRecord(context, services.now());
  // Listeners are called synchronously here (the ledger journals the record in this turn, so a
  // read that follows the response sees it); the reservation is settled while they run.
  const fanout = services.settlement.settle({
    record,
    principal: context.principal,
    decision: context.plan?.decision ?? null,
    tags: context.tags,
    trace: context.trace,
  });
  const reservation = context.reservation;
  context.reservation = null;
  if (reservation !== null) {
    try {
      await reservation.settle(record.costNanoUsd, context);
    } catch (error) {
      services.logger.error({ err: error, requestId: context.id }, 'reservation settle failed');
    }
  }
  services.logger.info(
    {
      requestId: record.id,
      keyId: context.principal.keyId,
      model: record.model,
      provider: record.provider,
      status: record.status,
      httpStatus: record.httpStatus,
      stream: record.stream,
      attempts: record.attempts.length,
      latencyMs: record.latencyMs,
      ttftMs: record.ttftMs,
      costNanoUsd: record.costNanoUsd === null ? null : record.costNanoUsd.toString(),
    },
    'chat request',
  );
  await fanout;
}
