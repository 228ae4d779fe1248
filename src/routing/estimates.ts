/**
 * Per-candidate estimates for one request: cost in USD (prompt only / with a typical answer /
 * with the longest answer allowed) and latency (observed, else published). Estimates: the prompt
 * size is characters / 4 (request-requirements.ts), so figures can be off by tens of percent.
 */
import type { CostEstimate } from '../contracts/routing-decision.ts';
import type { Target } from './candidate-filters.ts';
import type { RequestRequirements } from './request-requirements.ts';
import type { RoutingSignals } from './route-signals.ts';
import type { LatencyView } from './strategies/index.ts';

/** A typical answer, tokens (the catalogue's recommendation uses the same). */
export const EXPECTED_OUTPUT_TOKENS = 500;
/** The longest answer when neither the request nor the catalogue bounds it, tokens. */
const UNBOUNDED_OUTPUT_TOKENS = 4096;

/** The most output tokens the target may produce for this request. */
export function maxOutputTokens(target: Target, requirements: RequestRequirements): number {
  if (requirements.maxOutputTokens !== null) return requirements.maxOutputTokens;
  const info = target.info;
  if (info?.maxCompletionTokens !== null && info?.maxCompletionTokens !== undefined)
    return info.maxCompletionTokens;
  if (info?.contextLength !== null && info?.contextLength !== undefined)
    return Math.max(0, info.contextLength - requirements.promptTokens);
  return UNBOUNDED_OUTPUT_TOKENS;
}

/** USD for this request on this target; null when the model is unpriced or uncatalogued. */
export function estimateCost(
  target: Target,
  requirements: RequestRequirements,
): CostEstimate | null {
  const info = target.info;
  if (info === undefined || info.promptPrice === null || info.completionPrice === null) return null;
  const longest = maxOutputTokens(target, requirements);
  const base = requirements.promptTokens * info.promptPrice + info.requestPrice;
  return {
    min: base,
    expected: base + Math.min(longest, EXPECTED_OUTPUT_TOKENS) * info.completionPrice,
    max: base + longest * info.completionPrice,
  };
}

/**
 * Observed figures from the health registry when it has any for this target, completed by
 * OpenRouter's published p50s for the model; null when neither knows anything.
 */
export function estimateLatency(
  target: Target,
  signals: RoutingSignals,
  publishedFor: string,
): LatencyView | null {
  const observed = signals.observed(target.provider, target.native);
  const published = signals.published(publishedFor);
  const publishedTtft = published?.ttftMs ?? null;
  const tps = published?.tokensPerSecond ?? null;
  const publishedTotal =
    publishedTtft !== null && tps !== null && tps > 0
      ? publishedTtft + (EXPECTED_OUTPUT_TOKENS / tps) * 1000
      : null;
  const hasObserved =
    observed !== undefined && (observed.latencyMs !== null || observed.ttftMs !== null);
  if (!hasObserved && publishedTtft === null && publishedTotal === null) return null;
  return {
    ttft: (hasObserved ? observed.ttftMs : null) ?? publishedTtft,
    total: (hasObserved ? observed.latencyMs : null) ?? publishedTotal,
    source: hasObserved ? 'observed' : 'published',
    samples: hasObserved ? observed.requests : 0,
    errorRate: observed?.errorRate ?? 0,
  };
}
