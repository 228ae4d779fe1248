/**
 * What a request reserves against a budget: its worst case over every candidate of the plan
 * (any of them may serve), from `maxAttemptCostNanoUsd` (src/usage/attempt-cost-bound.ts: the
 * body's bytes bound the prompt tokens; the completion bound is `max_completion_tokens`, else
 * `max_tokens`, else the model's largest completion; every completion token at the dearer of the
 * completion and reasoning prices; the per-request fee). Pure.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { maxAttemptCostNanoUsd } from '../usage/attempt-cost-bound.ts';

/** The models a plan may send the request to (their prices), resolved from the catalogue. */
export type CandidateModels = readonly (ModelInfo | undefined)[];

/** Whether the client bounded the completion itself. */
export function hasCompletionBound(request: ChatCompletionRequest): boolean {
  return (
    (typeof request.max_completion_tokens === 'number' && request.max_completion_tokens > 0) ||
    (typeof request.max_tokens === 'number' && request.max_tokens > 0)
  );
}

/**
 * The largest worst case over `models` with the request as it is (`completionTokens` null) or
 * with its completion bounded to `completionTokens`, nano-USD; null when a model is unknown,
 * unpriced or has no completion bound.
 */
export function worstCaseNanoUsd(
  request: ChatCompletionRequest,
  promptBytes: number,
  models: CandidateModels,
  completionTokens: number | null,
): bigint | null {
  const bounded =
    completionTokens === null
      ? request
      : { ...request, max_tokens: completionTokens, max_completion_tokens: null };
  let worst: bigint | null = null;
  for (const model of models) {
    const cost = maxAttemptCostNanoUsd(bounded, promptBytes, model);
    if (cost === null) return null;
    if (worst === null || cost > worst) worst = cost;
  }
  return worst;
}

/**
 * The largest completion (tokens, ≥ 1) whose worst case over `models` is at most
 * `amountNanoUsd`, searching up to `upperTokens`; 0 when not even one token fits.
 * Binary search: the worst case grows with the completion.
 */
export function affordableCompletionTokens(
  request: ChatCompletionRequest,
  promptBytes: number,
  models: CandidateModels,
  amountNanoUsd: bigint,
  upperTokens: number,
): number {
  let low = 0;
  let high = Math.max(0, Math.floor(upperTokens));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const cost = worstCaseNanoUsd(request, promptBytes, models, middle);
    if (cost !== null && cost <= amountNanoUsd) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The largest completion any of `models` allows (tokens); null when none says. */
export function largestCompletionTokens(models: CandidateModels): number | null {
  let largest: number | null = null;
  for (const model of models) {
    const bound = model?.top_provider.max_completion_tokens ?? model?.context_length ?? null;
    if (typeof bound === 'number' && bound > 0 && (largest === null || bound > largest))
      largest = bound;
  }
  return largest;
}
