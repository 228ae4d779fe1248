/**
 * A cheap, stable fingerprint of a chat request's content, for deterministic choices that must
 * differ between requests but be the same for the same request (weighted spreading, the
 * experiment split when there is no sticky key): its model, `user`, and each of its last 16
 * messages' role, length and first and last 48 characters. O(messages), not O(bytes).
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { stableHash32 } from '../lib/stable-hash.ts';

const SAMPLED_MESSAGES = 16;
const EDGE = 48;

function edges(text: string): string {
  return text.length <= 2 * EDGE
    ? text
    : `${text.slice(0, EDGE)}\u0000${text.slice(-EDGE)}\u0000${text.length}`;
}

/** Eight hex digits. */
export function requestFingerprint(request: ChatCompletionRequest): string {
  const parts: string[] = [
    request.model ?? '',
    typeof request.user === 'string' ? request.user : '',
  ];
  const messages = request.messages;
  parts.push(String(messages.length));
  for (
    let index = Math.max(0, messages.length - SAMPLED_MESSAGES);
    index < messages.length;
    index += 1
  ) {
    const message = messages[index];
    if (message === undefined) continue;
    parts.push(message.role);
    const content = message.content;
    if (typeof content === 'string') parts.push(edges(content));
    else if (content !== null && content !== undefined)
      for (const part of content) {
        const text: unknown = part.text;
        parts.push(typeof text === 'string' ? edges(text) : String(part.type));
      }
  }
  return stableHash32(...parts)
    .toString(16)
    .padStart(8, '0');
}
