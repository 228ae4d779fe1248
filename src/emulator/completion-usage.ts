/**
 * The `usage` object of a synthesized answer in OpenRouter's 2026 shape (recorded key order:
 * prompt_tokens, completion_tokens, total_tokens, cost, is_byok, prompt_tokens_details,
 * cost_details, completion_tokens_details). `cost` is computeCostNanoUsd of the catalogue price,
 * converted with nanoToUsdNumber, so a client converting it back gets the exact nano-USD.
 */
import type { Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import { nanoToUsdNumber } from '../pricing/decimal.ts';

function tokensOnly(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** Cost in nano-USD, or null when the model is unpriced or priced "-1" (routers: variable price). */
function costOf(usage: Usage, model: ModelInfo): bigint | null {
  const cost = computeCostNanoUsd(usage, model.pricing);
  return cost === null || cost < 0n ? null : cost;
}

/** Usage for `promptTokens` (tokens) in and `completionTokens` (tokens) out on `model`. */
export function completionUsage(
  promptTokens: number,
  completionTokens: number,
  model: ModelInfo,
): Usage {
  const counts = tokensOnly(promptTokens, completionTokens);
  const total = costOf(counts, model);
  const promptCost = costOf(tokensOnly(promptTokens, 0), model);
  const cost = total === null ? null : nanoToUsdNumber(total);
  const costDetails =
    total === null || promptCost === null
      ? null
      : {
          upstream_inference_cost: cost,
          upstream_inference_prompt_cost: nanoToUsdNumber(promptCost),
          upstream_inference_completions_cost: nanoToUsdNumber(total - promptCost),
        };
  return {
    ...counts,
    cost,
    is_byok: false,
    prompt_tokens_details: {
      cached_tokens: 0,
      cache_write_tokens: 0,
      audio_tokens: 0,
      video_tokens: 0,
    },
    cost_details: costDetails,
    completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0, audio_tokens: 0 },
  };
}
