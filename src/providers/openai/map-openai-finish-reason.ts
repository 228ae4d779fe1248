/**
 * OpenAI `finish_reason` → FinishReason: the enum values pass through, and the deprecated
 * `function_call` (legacy `functions` API) is `tool_calls`. Anything else is null.
 */
import type { FinishReason } from '../../contracts/chat.ts';

const OPENAI_FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  error: 'error',
};

/** `finish_reason` → FinishReason, or null for an unknown value. */
export function mapOpenAIFinishReason(finishReason: string): FinishReason | null {
  return Object.hasOwn(OPENAI_FINISH_REASONS, finishReason)
    ? (OPENAI_FINISH_REASONS[finishReason] ?? null)
    : null;
}
