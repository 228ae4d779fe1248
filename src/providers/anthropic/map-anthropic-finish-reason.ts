/**
 * Anthropic `stop_reason` → Chat Completions `finish_reason` (docs "Handling stop reasons"):
 * `end_turn`, `stop_sequence` and `pause_turn` (a server tool paused the turn; the text so far is
 * the answer) end normally; `max_tokens` is `length`; `tool_use` is `tool_calls`; `refusal` is
 * `content_filter`. `model_context_window_exceeded` is `length`. Anything else is null.
 */
import type { FinishReason } from '../../contracts/chat.ts';

const ANTHROPIC_FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** `stop_reason` → FinishReason, or null for an unknown value. */
export function mapAnthropicFinishReason(stopReason: string): FinishReason | null {
  return Object.hasOwn(ANTHROPIC_FINISH_REASONS, stopReason)
    ? (ANTHROPIC_FINISH_REASONS[stopReason] ?? null)
    : null;
}
