/**
 * OpenRouter already normalises every model's finish reason to `ChatFinishReasonEnum`
 * (`tool_calls | stop | length | content_filter | error`; docs: "normalizes each model's
 * `finish_reason`"), keeping the provider's value in `native_finish_reason`. So this passes the
 * enum through and turns anything else into null rather than guessing.
 */
import type { FinishReason } from '../../contracts/chat.ts';

const OPENROUTER_FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  error: 'error',
};

/** `finish_reason` → FinishReason, or null for a value outside the enum. */
export function mapOpenRouterFinishReason(finishReason: string): FinishReason | null {
  return Object.hasOwn(OPENROUTER_FINISH_REASONS, finishReason)
    ? (OPENROUTER_FINISH_REASONS[finishReason] ?? null)
    : null;
}
