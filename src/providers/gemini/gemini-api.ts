/**
 * Lenient wire schemas for the Gemini API v1beta `GenerateContentResponse` and `google.rpc.Status`
 * errors (googleapis `google/ai/generativelanguage/v1beta/generative_service.proto`; docs/upstream-api-notes.md §4).
 * Only the fields Signalbox reads are checked; everything else passes (`z.looseObject`).
 */
import { z } from 'zod';

export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  /**
   * Whole (`name` + `args`), or — Gemini 3 streamed arguments — a start (`name`, `willContinue`),
   * pieces (`partialArgs`, `willContinue`) and a bare `{}` that ends the call.
   */
  functionCall: z
    .looseObject({
      id: z.string().optional(),
      name: z.string().optional(),
      args: z.unknown().optional(),
      willContinue: z.boolean().optional(),
      partialArgs: z
        .array(
          z.looseObject({
            jsonPath: z.string(),
            stringValue: z.string().optional(),
            numberValue: z.number().optional(),
            boolValue: z.boolean().optional(),
            nullValue: z.unknown().optional(),
            willContinue: z.boolean().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type GeminiPart = z.infer<typeof geminiPartSchema>;

export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

export const geminiCandidateSchema = z.looseObject({
  content: z.looseObject({ parts: z.array(geminiPartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  index: z.number().optional(),
});
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;

/** One answer, or one stream event (each event is a whole `GenerateContentResponse`). */
export const geminiResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;

/** `google.rpc.Status` in `{"error":{…}}`: `code` = HTTP status, `status` = canonical name. */
export const geminiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ '@type': z.string().optional() })).optional(),
  }),
});

/** `GET /v1beta/models` answer. */
export const geminiModelListSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string(),
      displayName: z.string().optional(),
      inputTokenLimit: z.number().optional(),
      outputTokenLimit: z.number().optional(),
    }),
  ),
});
