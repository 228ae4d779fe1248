/**
 * A ModelInfo for a model listed by a direct provider's own model endpoint (Anthropic, Gemini),
 * which gives ids and names but no prices: pricing is `"-1"` (OpenRouter's marker for "not a
 * fixed price", as on `openrouter/auto`), so nothing bills from it; the catalogue supplies prices.
 */
import type { ModelInfo } from '../../contracts/model-info.ts';

export interface NativeModelFields {
  id: string;
  name?: string | undefined;
  /** Unix seconds; 0 when unknown. */
  created?: number | undefined;
  contextLength?: number | null | undefined;
  maxCompletionTokens?: number | null | undefined;
}

/** Builds the OpenRouter-shaped entry. */
export function nativeModelInfo(fields: NativeModelFields): ModelInfo {
  return {
    id: fields.id,
    name: fields.name ?? fields.id,
    created: fields.created !== undefined && Number.isFinite(fields.created) ? fields.created : 0,
    context_length: fields.contextLength ?? null,
    architecture: {},
    pricing: { prompt: '-1', completion: '-1' },
    top_provider: {
      context_length: fields.contextLength ?? null,
      max_completion_tokens: fields.maxCompletionTokens ?? null,
    },
    per_request_limits: null,
    supported_parameters: [],
  };
}
