/**
 * A catalogue model in OpenRouter's `Model` shape (GET /api/v1/models; spec `Model`).
 * Prices are decimal strings in USD per token (per request/image/search for those keys),
 * kept exactly as OpenRouter sends them.
 */
export interface ModelPricing {
  prompt: string;
  completion: string;
  request?: string;
  image?: string;
  web_search?: string;
  internal_reasoning?: string;
  input_cache_read?: string;
  input_cache_write?: string;
  [key: string]: unknown;
}

export interface ModelInfo {
  id: string;
  canonical_slug?: string | null;
  hugging_face_id?: string | null;
  name: string;
  created: number;
  description?: string;
  context_length: number | null;
  architecture: {
    modality?: string;
    input_modalities?: string[];
    output_modalities?: string[];
    tokenizer?: string;
    instruct_type?: string | null;
  };
  pricing: ModelPricing;
  top_provider: {
    context_length?: number | null;
    max_completion_tokens?: number | null;
    is_moderated?: boolean;
  };
  per_request_limits: unknown;
  supported_parameters: string[];
  [extra: string]: unknown;
}
