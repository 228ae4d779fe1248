/**
 * Lenient wire schemas for the Anthropic Messages API (docs/conventions.md §5): only the fields
 * Signalbox reads are checked, everything else passes (`z.looseObject`). Sources: Anthropic docs
 * "Messages" / "Streaming Messages" / "Errors" and the recordings in __fixtures__ (docs/upstream-api-notes.md §3).
 */
import { z } from 'zod';

/** `usage` of a message or a `message_delta` (cumulative; every field optional in deltas). */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export const anthropicContentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  /** The encrypted thinking of a `redacted_thinking` block. */
  data: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});
export type AnthropicContentBlock = z.infer<typeof anthropicContentBlockSchema>;

/** A non-streaming answer (`type: "message"`). */
export const anthropicMessageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  model: z.string(),
  content: z.array(anthropicContentBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema,
});
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

/** `{"type":"error","error":{"type","message"},"request_id"}` (docs "Errors"). */
export const anthropicErrorBodySchema = z.looseObject({
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }),
});

/** One stream event, by its `type`; the fields each kind needs are read where it is handled. */
export const anthropicStreamEventSchema = z.looseObject({
  type: z.string(),
  index: z.number().optional(),
  message: z
    .looseObject({ id: z.string(), model: z.string(), usage: anthropicUsageSchema.optional() })
    .optional(),
  content_block: anthropicContentBlockSchema.optional(),
  delta: z
    .looseObject({
      type: z.string().optional(),
      text: z.string().optional(),
      thinking: z.string().optional(),
      partial_json: z.string().optional(),
      signature: z.string().optional(),
      stop_reason: z.string().nullish(),
    })
    .optional(),
  usage: anthropicUsageSchema.optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/** `GET /v1/models` answer: `{"data":[{"id","display_name","created_at"}],…}`. */
export const anthropicModelListSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      display_name: z.string().optional(),
      created_at: z.string().optional(),
    }),
  ),
});
