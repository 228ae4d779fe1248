/**
 * Cost accuracy, measured (issue 10 "Cost truth"; the seed's "cost tracking accuracy within
 * 1 %"): for the attempts whose cost the upstream itself reported (or reconciliation fetched),
 * the cost Signalbox computes from their tokens at the catalogue price in force when they ran
 * (src/pricing/cost.ts), and the relative error |computed − upstream| / upstream — what
 * `GET /admin/analytics/reconciliation` answers.
 */
import type { Usage } from '../contracts/chat.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import type { CostAccuracyRepository, PricedAttempt } from '../storage/index.ts';

export type ReconciliationReader = Pick<CostAccuracyRepository, 'pricedAttempts'>;

/** Most attempts one report reads (the newest of the period). */
export const MAX_COMPARED_ATTEMPTS = 100_000;

/** The attempt's usage as the price computation reads it; null when its tokens are unknown. */
function usageOf(attempt: PricedAttempt): Usage | null {
  if (attempt.promptTokens === null || attempt.completionTokens === null) return null;
  return {
    prompt_tokens: attempt.promptTokens,
    completion_tokens: attempt.completionTokens,
    total_tokens: attempt.promptTokens + attempt.completionTokens,
    prompt_tokens_details: { cached_tokens: attempt.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: attempt.reasoningTokens ?? 0 },
  };
}

interface Errors {
  count: number;
  sum: number;
  max: number;
}

function add(errors: Errors, error: number): void {
  errors.count += 1;
  errors.sum += error;
  errors.max = Math.max(errors.max, error);
}

/**
 * The report over [from, to). Attempts without tokens or without a catalogue price, and those
 * the upstream billed 0 (no relative error), are counted as `skipped`.
 */
export async function costAccuracyReport(
  reader: ReconciliationReader,
  options: { from: Date; to: Date; model: string | null },
) {
  const attempts = await reader.pricedAttempts({ ...options, limit: MAX_COMPARED_ATTEMPTS });
  const overall: Errors = { count: 0, sum: 0, max: 0 };
  const byModel = new Map<string, Errors>();
  let within = 0;
  let skipped = 0;
  let upstream = 0n;
  let computedTotal = 0n;
  for (const attempt of attempts) {
    const usage = usageOf(attempt);
    const computed = usage === null ? null : computeCostNanoUsd(usage, attempt.pricing);
    if (computed === null || attempt.costNanoUsd === 0n) {
      skipped += 1;
      continue;
    }
    const difference = computed - attempt.costNanoUsd;
    const error = Number(difference < 0n ? -difference : difference) / Number(attempt.costNanoUsd);
    add(overall, error);
    const model = byModel.get(attempt.model) ?? { count: 0, sum: 0, max: 0 };
    add(model, error);
    byModel.set(attempt.model, model);
    if (error <= 0.01) within += 1;
    upstream += attempt.costNanoUsd;
    computedTotal += computed;
  }
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    count: overall.count,
    skipped,
    mean_relative_error: overall.count === 0 ? null : overall.sum / overall.count,
    max_relative_error: overall.count === 0 ? null : overall.max,
    within_1_percent: overall.count === 0 ? null : within / overall.count,
    upstream_cost_nanousd: upstream.toString(),
    computed_cost_nanousd: computedTotal.toString(),
    models: [...byModel]
      .map(([model, errors]) => ({
        model,
        count: errors.count,
        mean_relative_error: errors.sum / errors.count,
        max_relative_error: errors.max,
      }))
      .sort((left, right) => right.count - left.count || left.model.localeCompare(right.model)),
  };
}
