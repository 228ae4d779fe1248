/**
 * The upper bound of one upstream attempt's cost, journaled with its intent (ADR 0009) so that a
 * request interrupted by a crash is recorded with a cost it cannot have exceeded (`estimated`)
 * until reconciliation replaces it with what was billed. Pure.
 *
 * Bounds, in tokens:
 * - prompt: the request body's UTF-8 byte count. Byte-level BPE tokenizers (GPT, Claude, Llama,
 *   Gemini's SentencePiece with byte fallback) never make more tokens than bytes, and the chat
 *   template's few tokens per message are fewer than the JSON framing bytes of that message.
 *   Not bounded this way: images or files given by URL (their tokens do not come from the body's
 *   bytes) and server tools such as web search — those requests' estimates can fall short.
 * - completion: `max_completion_tokens`, else `max_tokens`, else the model's largest completion
 *   (`top_provider.max_completion_tokens`), else its context length; times `n` choices. Every
 *   completion token is priced at the dearer of the completion and reasoning prices.
 * Null when the model is unknown or unpriced, or no completion bound exists.
 */
import type { ChatCompletionRequest, Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

/**
 * Upper bound of the attempt's cost in nano-USD (see the file comment), or null.
 * @param promptBytes the UTF-8 size of the body sent (the client's raw body when forwarded);
 *   null to measure `request` serialised.
 */
export function maxAttemptCostNanoUsd(
  request: ChatCompletionRequest,
  promptBytes: number | null,
  model: ModelInfo | undefined,
): bigint | null {
  if (model === undefined) return null;
  const completionBound =
    positiveInteger(request.max_completion_tokens) ??
    positiveInteger(request.max_tokens) ??
    positiveInteger(model.top_provider.max_completion_tokens) ??
    positiveInteger(model.context_length);
  if (completionBound === null) return null;
  const choices = positiveInteger(request.n) ?? 1;
  const promptTokens = promptBytes ?? Buffer.byteLength(JSON.stringify(request), 'utf8');
  const completionTokens = completionBound * choices;
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const plain = computeCostNanoUsd(usage, model.pricing);
  if (plain === null) return null;
  const asReasoning = computeCostNanoUsd(
    { ...usage, completion_tokens_details: { reasoning_tokens: completionTokens } },
    model.pricing,
  );
  return asReasoning !== null && asReasoning > plain ? asReasoning : plain;
}
