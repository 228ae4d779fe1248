/**
 * Why this file exists: every provider folder has the same file names (docs/conventions.md §2).
 * OpenAI speaks the client dialect, so messages need no conversion; the request-level rewrites
 * (OpenRouter-only fields, `max_completion_tokens`, `stream_options`) are in openai-request.ts,
 * and a request that needs none is forwarded as the client's original bytes.
 */
import type { ChatMessage } from '../../contracts/chat.ts';

/** Returns the messages unchanged (same array). */
export function convertToOpenAIMessages(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  return messages;
}
