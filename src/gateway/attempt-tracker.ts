/**
 * One AttemptRecord per upstream attempt: timed from dispatch, priced from its usage, appended
 * to the request context and announced to the settlement listeners as soon as it ends (the
 * health registry learns of a failure before the request is over).
 */
import type { Usage } from '../contracts/chat.ts';
import type { AttemptRecord, CostSource, TokenCounts } from '../contracts/ledger.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import { computeCostNanoUsd, reportedCostNanoUsd } from '../pricing/cost.ts';
import type { RouteCandidate } from '../routing/route-plan.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

export interface AttemptOutcome {
  /** `success` or the SignalboxError code the attempt ended with. */
  status: string;
  upstreamStatus: number | null;
  servedModel: string | null;
  generationId: string | null;
  /** From dispatch to the first byte (JSON) or first content event (stream), ms. */
  ttftMs: number | null;
  usage: Usage | null;
}

/** An attempt that was dispatched and has not ended yet. */
export interface OpenAttempt {
  readonly candidate: RouteCandidate;
  /** ms since the epoch. */
  readonly startedAt: number;
}

/** Token counts of a usage object; null fields when the upstream did not say. */
export function tokenCounts(usage: Usage | null): TokenCounts {
  return {
    promptTokens: usage?.prompt_tokens ?? null,
    completionTokens: usage?.completion_tokens ?? null,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
  };
}

/**
 * Cost of one attempt: the upstream's own `usage.cost` when reported (`provider`), else the
 * catalogue price of the served (or requested) model (`computed`), else null (unknown).
 * `pricing` is the price in force when the attempt started (`pricingInForce`).
 */
export function attemptCost(
  usage: Usage | null,
  pricing: ModelPricing | undefined,
): { costNanoUsd: bigint | null; costSource: CostSource | null } {
  if (usage === null) return { costNanoUsd: null, costSource: null };
  const reported = reportedCostNanoUsd(usage);
  if (reported !== null) return { costNanoUsd: reported, costSource: 'provider' };
  const computed = computeCostNanoUsd(usage, pricing);
  return computed === null
    ? { costNanoUsd: null, costSource: null }
    : { costNanoUsd: computed, costSource: 'computed' };
}

/**
 * The model's pricing in force at `at` (ms since the epoch): the catalogue's price history when
 * it knows the model, else the loaded entry's price; undefined for an unknown model.
 */
export function pricingInForce(
  services: Pick<GatewayServices, 'priceAt'>,
  model: ModelInfo | undefined,
  at: number,
): ModelPricing | undefined {
  if (model === undefined) return undefined;
  return services.priceAt?.(model.id, at) ?? model.pricing;
}

/** Starts timing an attempt on `candidate`. */
export function beginAttempt(services: GatewayServices, candidate: RouteCandidate): OpenAttempt {
  return { candidate, startedAt: services.now() };
}

/**
 * Records the attempt in the context and announces it. Prices come from the served model when
 * the catalogue knows it, else from the candidate's pricing model (the base model of a
 * `:nitro`-style id), in the version in force when the attempt started.
 */
export function finishAttempt(
  context: RequestContext,
  services: GatewayServices,
  attempt: OpenAttempt,
  outcome: AttemptOutcome,
): AttemptRecord {
  const { candidate, startedAt } = attempt;
  const pricedModel =
    (outcome.servedModel === null ? undefined : services.lookupModel(outcome.servedModel)) ??
    services.lookupModel(candidate.pricingModel);
  const record: AttemptRecord = {
    attemptNumber: context.attempts.length,
    provider: candidate.provider,
    model: candidate.model,
    servedModel: outcome.servedModel,
    generationId: outcome.generationId,
    status: outcome.status,
    upstreamStatus: outcome.upstreamStatus,
    startedAt: new Date(startedAt),
    latencyMs: Math.max(0, Math.round(services.now() - startedAt)),
    ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
    ...tokenCounts(outcome.usage),
    ...attemptCost(outcome.usage, pricingInForce(services, pricedModel, startedAt)),
  };
  context.attempts.push(record);
  services.settlement.attempt(record, context.id);
  return record;
}
