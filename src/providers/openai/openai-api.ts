/**
 * OpenAI's wire format is the Chat Completions contract itself; its lenient schemas live in
 * shared/openai-compatible-api.ts. This file adds the error body (OpenAI error object:
 * `{"error":{"message","type","param","code"}}`) whose `type`/`code` decide a few mappings.
 */
import { z } from 'zod';

export const openAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});
