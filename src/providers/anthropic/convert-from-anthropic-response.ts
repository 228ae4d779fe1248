/**
 * Anthropic Messages answer → Chat Completions answer (docs "Messages", docs/upstream-api-notes.md §3):
 * text blocks concatenate into `content`, `thinking` blocks into `reasoning`, `tool_use` blocks
 * become `tool_calls` (`arguments` = the JSON of `input`); `stop_reason` is mapped, and kept in
 * `native_finish_reason`. `thinking` (with its `signature`) and `redacted_thinking` blocks are
 * also kept, in order, as OpenRouter's `message.reasoning_details` (anthropic-reasoning-details.ts)
 * so the client can send them back. Server-tool blocks are not carried over.
 */
import type { ChatCompletion, ToolCall, Usage } from '../../contracts/chat.ts';
import { anthropicMessageSchema, type AnthropicUsage } from './anthropic-api.ts';
import { toReasoningDetail, type AnthropicReasoningDetail } from './anthropic-reasoning-details.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';

/**
 * Anthropic usage → Chat Completions usage. `input_tokens` excludes cached input, so
 * prompt_tokens = input + cache read + cache write; `cached_tokens` = cache read and
 * `cache_write_tokens` = cache write (OpenRouter's names), in tokens.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const input = usage.input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const promptTokens = input + cacheRead + cacheWrite;
  const completionTokens = usage.output_tokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/** The parsed body → a ChatCompletion, or null when it is not a Messages answer. */
export function convertFromAnthropicResponse(body: unknown): ChatCompletion | null {
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) return null;
  const message = parsed.data;
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ToolCall[] = [];
  const reasoningDetails: AnthropicReasoningDetail[] = [];
  for (const block of message.content) {
    const detail = toReasoningDetail(block, reasoningDetails.length);
    if (detail !== null) reasoningDetails.push(detail);
    if (block.type === 'text' && typeof block.text === 'string') text = (text ?? '') + block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning = (reasoning ?? '') + block.thinking;
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? `call_${toolCalls.length}`,
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const stopReason = message.stop_reason ?? null;
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text,
          ...(reasoning === null ? {} : { reasoning }),
          ...(reasoningDetails.length === 0 ? {} : { reasoning_details: reasoningDetails }),
          ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
        },
        finish_reason: stopReason === null ? null : mapAnthropicFinishReason(stopReason),
        native_finish_reason: stopReason,
      },
    ],
    usage: mapAnthropicUsage(message.usage),
  };
}
