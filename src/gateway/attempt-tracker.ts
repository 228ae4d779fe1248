/**
 * Collects one AttemptRecord per upstream attempt and the request's token counts and cost,
 * so every path through the pipeline (success, failure, mid-stream error, client abort)
 * settles the same way.
 */
import type { Usage } from '../contracts/chat.ts';
import type { AttemptRecord, CostSource, TokenCounts } from '../contracts/ledger.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { computeCostNanoUsd, reportedCostNanoUsd } from '../pricing/cost.ts';

export interface AttemptOutcome {
  status: string;
  upstreamStatus: number | null;
  servedModel: string | null;
  generationId: string | null;
  ttftMs: number | null;
  usage: Usage | null;
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
 */
export function attemptCost(
  usage: Usage | null,
  pricedModel: ModelInfo | undefined,
): { costNanoUsd: bigint | null; costSource: CostSource | null } {
  if (usage === null) return { costNanoUsd: null, costSource: null };
  const reported = reportedCostNanoUsd(usage);
  if (reported !== null) return { costNanoUsd: reported, costSource: 'provider' };
  const computed = computeCostNanoUsd(usage, pricedModel?.pricing);
  return computed === null
    ? { costNanoUsd: null, costSource: null }
    : { costNanoUsd: computed, costSource: 'computed' };
}

export class AttemptTracker {
  readonly attempts: AttemptRecord[] = [];
  private readonly lookupModel: (id: string) => ModelInfo | undefined;
  private readonly now: () => number;

  constructor(lookupModel: (id: string) => ModelInfo | undefined, now: () => number) {
    this.lookupModel = lookupModel;
    this.now = now;
  }

  /** Starts timing an attempt; call `finish` with the returned start time. */
  begin(): number {
    return this.now();
  }

  /**
   * Records the attempt. `target.model` is the name sent upstream; prices come from the
   * served model when the catalogue knows it, else from `target.canonicalModel`.
   */
  finish(
    startedAt: number,
    target: { provider: string; model: string; canonicalModel: string },
    outcome: AttemptOutcome,
  ): AttemptRecord {
    const { provider, model } = target;
    const pricedModel =
      (outcome.servedModel === null ? undefined : this.lookupModel(outcome.servedModel)) ??
      this.lookupModel(target.canonicalModel);
    const record: AttemptRecord = {
      attemptNumber: this.attempts.length,
      provider,
      model,
      servedModel: outcome.servedModel,
      generationId: outcome.generationId,
      status: outcome.status,
      upstreamStatus: outcome.upstreamStatus,
      startedAt: new Date(startedAt),
      latencyMs: Math.max(0, Math.round(this.now() - startedAt)),
      ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
      ...tokenCounts(outcome.usage),
      ...attemptCost(outcome.usage, pricedModel),
    };
    this.attempts.push(record);
    return record;
  }
}
