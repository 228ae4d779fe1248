/**
 * Step 1 of the pipeline: validate a chat request. Only the fields the gateway reads are
 * checked; every other field (OpenRouter's `provider`, `plugins`, `reasoning`, unknown
 * ones) passes through untouched.
 */
import { z } from 'zod';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { SignalboxError } from '../contracts/errors.ts';

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.looseObject({})), z.null()]).optional(),
});

const tokens = z.number().int().positive().nullable().optional();

const chatRequest = z.looseObject({
  model: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  messages: z.array(message).min(1),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: tokens,
  max_completion_tokens: tokens,
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
});

function paramOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    out +=
      typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  }
  return out;
}

/**
 * @returns the body typed as a ChatCompletionRequest (same object, nothing removed).
 * @throws SignalboxError `invalid_request` with `param` naming the first bad field.
 */
export function validateChatRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SignalboxError('invalid_request', 'The request body must be a JSON object.');
  }
  const result = chatRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue ? paramOf(issue.path) : null;
    const reason = issue?.message ?? 'invalid value';
    throw new SignalboxError('invalid_request', `Invalid request: ${param ?? 'body'}: ${reason}.`, {
      param,
    });
  }
  const request = body as ChatCompletionRequest;
  if (request.model === undefined && request.models === undefined) {
    throw new SignalboxError(
      'invalid_request',
      'Invalid request: "model" is required (or "models").',
      { param: 'model' },
    );
  }
  return request;
}
