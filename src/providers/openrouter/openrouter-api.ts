/**
 * OpenRouter wire schemas, lenient (docs/conventions.md §5): only the fields Signalbox reads.
 * Chat completions and chunks are OpenAI-shaped with extensions (`provider`, `usage.cost`,
 * in-band `error`), so their schemas are the shared ones; this file adds the error body.
 * Source: OpenRouter OpenAPI (OpenRouter's OpenAPI spec, docs/upstream-api-notes.md) `ErrorResponse`,
 * docs errors-and-debugging.mdx; real bodies in __fixtures__ (docs/upstream-api-notes.md §1.8).
 */
import { z } from 'zod';

export {
  chatCompletionChunkSchema as openRouterChunkSchema,
  chatCompletionSchema as openRouterChatCompletionSchema,
  modelSchema as openRouterModelSchema,
  usageSchema as openRouterUsageSchema,
} from '../shared/openai-compatible-api.ts';

/**
 * `error.metadata`: `raw` (the provider's own error, often a JSON string) and `provider_name`
 * for "Provider returned error"; `reasons`/`flagged_input` for a moderation block (403).
 */
export const openRouterErrorMetadataSchema = z.looseObject({
  raw: z.unknown().optional(),
  provider_name: z.string().nullish(),
  reasons: z.array(z.string()).optional(),
});

/** `{"error":{"code","message","metadata"},"user_id"}`; `code` mirrors the HTTP status. */
export const openRouterErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.union([z.number(), z.string()]).nullish(),
    message: z.string().optional(),
    metadata: openRouterErrorMetadataSchema.nullish(),
  }),
});

export type OpenRouterErrorBody = z.infer<typeof openRouterErrorBodySchema>;

const count = z.number().nullish();

/**
 * `GET /generation?id=` answer (spec `GenerationResponse`, docs/upstream-api-notes.md §1.9): the fields the cost
 * reconciler reads. `total_cost` is USD credits as a JSON number, like `usage.cost`.
 */
export const openRouterGenerationSchema = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    total_cost: z.number().nullish(),
    model: z.string().nullish(),
    cancelled: z.boolean().nullish(),
    tokens_prompt: count,
    tokens_completion: count,
    native_tokens_prompt: count,
    native_tokens_completion: count,
    native_tokens_reasoning: count,
    native_tokens_cached: count,
  }),
});
