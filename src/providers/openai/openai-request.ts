/**
 * The Chat Completions body a native OpenAI-compatible upstream gets, when it differs from what
 * the client sent (else null, so the client's bytes are forwarded unchanged):
 * - OpenRouter-only routing fields (`models`, `provider`, `plugins`, `transforms`, `route`,
 *   `usage`) are dropped: OpenAI rejects unknown request arguments.
 * - OpenRouter's `reasoning: {effort}` becomes OpenAI's `reasoning_effort`.
 * - `max_tokens` becomes `max_completion_tokens` (reasoning models reject `max_tokens`), for the
 *   native OpenAI adapter only (`renameMaxTokens`).
 * - a streamed request gets `stream_options.include_usage: true`, so the usage-only final chunk
 *   (`choices: []`) always comes.
 */
import type { ChatCompletionRequest } from '../../contracts/chat.ts';
import { isRecord } from '../shared/map-upstream-error.ts';

const OPENROUTER_ONLY_FIELDS = ['models', 'provider', 'plugins', 'transforms', 'route', 'usage'];

export interface OpenAIRequestOptions {
  stream: boolean;
  renameMaxTokens: boolean;
}

/** The rewritten request, or null when `request` can be sent as is. */
export function toOpenAIRequest(
  request: ChatCompletionRequest,
  options: OpenAIRequestOptions,
): ChatCompletionRequest | null {
  let changed = false;
  const body: ChatCompletionRequest = { ...request };
  for (const field of OPENROUTER_ONLY_FIELDS) {
    if (field in body) {
      Reflect.deleteProperty(body, field);
      changed = true;
    }
  }
  if (isRecord(body.reasoning)) {
    const effort = body.reasoning.effort;
    Reflect.deleteProperty(body, 'reasoning');
    if (typeof effort === 'string' && body.reasoning_effort === undefined) {
      body.reasoning_effort = effort;
    }
    changed = true;
  }
  if (options.renameMaxTokens && typeof body.max_tokens === 'number') {
    body.max_completion_tokens ??= body.max_tokens;
    Reflect.deleteProperty(body, 'max_tokens');
    changed = true;
  }
  if ((body.stream === true) !== options.stream) {
    body.stream = options.stream;
    changed = true;
  }
  if (options.stream && body.stream_options?.include_usage !== true) {
    body.stream_options = { ...body.stream_options, include_usage: true };
    changed = true;
  }
  if (!options.stream && body.stream_options !== undefined) {
    Reflect.deleteProperty(body, 'stream_options');
    changed = true;
  }
  return changed ? body : null;
}
