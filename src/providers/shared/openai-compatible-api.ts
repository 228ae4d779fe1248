/**
 * Lenient wire schemas for Chat Completions upstreams (docs/conventions.md §5): they check only
 * the fields Signalbox reads and let every other field through (`z.looseObject`).
 * Sources: OpenAI OpenAPI `CreateChatCompletionResponse` / `CreateChatCompletionStreamResponse`;
 * OpenRouter OpenAPI `ChatResponse` / `ChatStreamingResponseChunk` / `ChatUsage`.
 * Validation is a gate: callers keep the original parsed object (all fields intact).
 */
import { z } from 'zod';
import type { ChatCompletion, ChatCompletionChunk } from '../../contracts/chat.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';

/** `usage`: the three counts we account; details, `cost` and the rest pass through. */
export const usageSchema = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number().optional(),
});

/** `error` in a body or a chunk; `code` is a number (OpenRouter) or a string (OpenAI, some OpenRouter docs). */
export const upstreamErrorSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish(),
  message: z.string().optional(),
  metadata: z.unknown().optional(),
});

const toolCallDeltaSchema = z.looseObject({
  index: z.number().optional(),
  id: z.string().nullish(),
  function: z
    .looseObject({ name: z.string().nullish(), arguments: z.string().nullish() })
    .nullish(),
});

export const chunkChoiceSchema = z.looseObject({
  index: z.number(),
  delta: z
    .looseObject({
      content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(toolCallDeltaSchema).nullish(),
    })
    .optional(),
  finish_reason: z.string().nullish(),
});

export const chatCompletionChunkSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  created: z.number().optional(),
  choices: z.array(chunkChoiceSchema).optional(),
  usage: usageSchema.nullish(),
  error: upstreamErrorSchema.nullish(),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      message: z.looseObject({ content: z.string().nullish() }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
});

/** A body with `error` and no `choices`: OpenRouter answers some failures this way with HTTP 200. */
export const errorBodySchema = z.looseObject({ error: upstreamErrorSchema });

/** `GET /models` entries in OpenRouter's `Model` shape, as far as the catalogue needs them. */
export const modelSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  created: z.number(),
  context_length: z.number().nullable(),
  architecture: z.looseObject({}),
  pricing: z.looseObject({ prompt: z.string(), completion: z.string() }),
  top_provider: z.looseObject({}),
  supported_parameters: z.array(z.string()),
});

export const modelListSchema = z.looseObject({ data: z.array(z.unknown()) });

/** The parsed value when it is a chat completion, else null. */
export function asChatCompletion(value: unknown): ChatCompletion | null {
  return chatCompletionSchema.safeParse(value).success ? (value as ChatCompletion) : null;
}

/**
 * The parsed value when it is a chunk, else null. A chunk without `choices` (an error-only
 * chunk) gets `choices: []` so consumers can always iterate them.
 */
export function asChatCompletionChunk(value: unknown): ChatCompletionChunk | null {
  if (!chatCompletionChunkSchema.safeParse(value).success) return null;
  const chunk = value as ChatCompletionChunk;
  if (!Array.isArray(chunk.choices)) chunk.choices = [];
  return chunk;
}

/**
 * Reads a `{"data":[Model…]}` answer, keeping the entries that have the fields the catalogue
 * needs (one malformed model must not hide the other 355). Null when the envelope is wrong.
 */
export function readModelList(value: unknown): ModelInfo[] | null {
  const envelope = modelListSchema.safeParse(value);
  if (!envelope.success) return null;
  const models: ModelInfo[] = [];
  for (const entry of envelope.data.data) {
    if (modelSchema.safeParse(entry).success) models.push(entry as ModelInfo);
  }
  return models;
}
