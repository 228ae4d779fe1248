/**
 * Gemini `Candidate.FinishReason` → Chat Completions `finish_reason` (proto enum, docs/upstream-api-notes.md §4).
 * Gemini says `STOP` even when it called functions, so a candidate with function calls finishes
 * with `tool_calls`. Safety-type stops are `content_filter`; a malformed or unexpected function
 * call and `OTHER`-type stops are `error`; unknown values are null.
 */
import type { FinishReason } from '../../contracts/chat.ts';

const GEMINI_FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  LANGUAGE: 'error',
  OTHER: 'error',
  IMAGE_OTHER: 'error',
  NO_IMAGE: 'error',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
};

/** `finishReason` → FinishReason; `hasToolCalls` turns a `STOP` into `tool_calls`. */
export function mapGeminiFinishReason(
  finishReason: string,
  hasToolCalls = false,
): FinishReason | null {
  if (finishReason === 'STOP' && hasToolCalls) return 'tool_calls';
  return Object.hasOwn(GEMINI_FINISH_REASONS, finishReason)
    ? (GEMINI_FINISH_REASONS[finishReason] ?? null)
    : null;
}
