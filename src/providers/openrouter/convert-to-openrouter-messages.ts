/**
 * Why this file exists: every provider folder has the same file names (docs/conventions.md §2),
 * and for Anthropic or Gemini this is where Chat Completions messages become the upstream's
 * dialect. OpenRouter speaks the client dialect already (OpenAI messages plus its extensions such
 * as `cache_control` on content parts), so the conversion is the identity.
 *
 * It is deliberately NOT wired in as the adapter's `transformBody`: without a transform the
 * adapter forwards the client's original bytes (`CallOptions.rawBody`) and saves a JSON
 * serialisation per request (docs/performance.md). If OpenRouter ever needs a rewrite, put it
 * here and pass it as `transformBody` in openrouter-adapter.ts.
 */
import type { ChatMessage } from '../../contracts/chat.ts';

/** Returns the messages unchanged (same array). */
export function convertToOpenRouterMessages(
  messages: readonly ChatMessage[],
): readonly ChatMessage[] {
  return messages;
}
