/**
 * The `data` object of GET /api/v1/generation?id=… in the OpenAPI spec's example shape
 * (openapi.yaml, GET /generation 200): the fields the emulator knows are filled, the rest null.
 */
import type { Usage } from '../contracts/chat.ts';

export interface GenerationFacts {
  id: string;
  /** Unix seconds of the answer's `created`. */
  created: number;
  model: string;
  streamed: boolean;
  cancelled: boolean;
  providerName: string | null;
  /** Milliseconds from request to the last byte. */
  latencyMs: number;
  /** Milliseconds spent generating (after the headers). */
  generationTimeMs: number;
  finishReason: string | null;
  usage: Usage | null;
  userAgent: string | null;
  httpReferer: string | null;
}

/** `2026-05-12T10:00:00.000+00:00`, the spec's `created_at` style. */
function createdAt(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('Z', '+00:00');
}

/** Builds the spec-shaped record; `total_cost`/`usage` are USD (floats) as sent in `usage.cost`. */
export function generationRecord(facts: GenerationFacts): { id: string } & Record<string, unknown> {
  const usage = facts.usage;
  const cost = typeof usage?.cost === 'number' ? usage.cost : null;
  return {
    id: facts.id,
    upstream_id: null,
    total_cost: cost,
    cache_discount: null,
    upstream_inference_cost: null,
    created_at: createdAt(facts.created),
    model: facts.model,
    app_id: null,
    streamed: facts.streamed,
    cancelled: facts.cancelled,
    provider_name: facts.providerName,
    latency: facts.latencyMs,
    moderation_latency: null,
    generation_time: facts.generationTimeMs,
    finish_reason: facts.finishReason,
    native_finish_reason: facts.finishReason,
    service_tier: null,
    tokens_prompt: usage?.prompt_tokens ?? null,
    tokens_completion: usage?.completion_tokens ?? null,
    native_tokens_prompt: usage?.prompt_tokens ?? null,
    native_tokens_completion: usage?.completion_tokens ?? null,
    native_tokens_completion_images: null,
    native_tokens_reasoning: usage?.completion_tokens_details?.reasoning_tokens ?? null,
    native_tokens_cached: usage?.prompt_tokens_details?.cached_tokens ?? null,
    num_media_prompt: null,
    num_input_audio_prompt: null,
    num_media_completion: null,
    num_search_results: null,
    num_fetches: null,
    web_search_engine: null,
    origin: '',
    usage: cost,
    is_byok: usage?.is_byok ?? false,
    external_user: null,
    api_type: 'completions',
    preset_id: null,
    router: null,
    provider_responses: null,
    user_agent: facts.userAgent,
    http_referer: facts.httpReferer,
    data_region: 'global',
    request_id: null,
    session_id: null,
    response_cache_source_id: null,
    workspace_id: null,
  };
}
