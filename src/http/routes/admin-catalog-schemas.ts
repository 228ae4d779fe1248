/**
 * Response schemas of the admin catalogue (OpenAPI only: responses are not re-validated at run
 * time). Objects that carry OpenRouter's Model are open (`looseObject`): OpenRouter adds fields
 * and they are passed through. Money is integer nano-USD as a JSON number; prices per 1M tokens
 * are USD; latencies are ms.
 */
import { z } from 'zod';

const capabilityFlags = z.object({
  tools: z.boolean(),
  structured_outputs: z.boolean(),
  reasoning: z.boolean(),
  vision: z.boolean(),
});

/** OpenRouter's pricing object: USD per token (or per request/image) as decimal strings. */
export const pricingSchema = z
  .looseObject({
    prompt: z.string(),
    completion: z.string(),
    request: z.string().optional(),
    image: z.string().optional(),
    web_search: z.string().optional(),
    internal_reasoning: z.string().optional(),
    input_cache_read: z.string().optional(),
    input_cache_write: z.string().optional(),
  })
  .meta({ id: 'ModelPricing' });

/** A catalogue entry: OpenRouter's Model plus its lifecycle here. */
export const catalogModelSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    created: z.number(),
    description: z.string().optional(),
    context_length: z.number().nullable(),
    architecture: z.looseObject({
      modality: z.string().optional(),
      input_modalities: z.array(z.string()).optional(),
      output_modalities: z.array(z.string()).optional(),
      tokenizer: z.string().optional(),
    }),
    pricing: pricingSchema,
    top_provider: z.looseObject({
      context_length: z.number().nullable().optional(),
      max_completion_tokens: z.number().nullable().optional(),
      is_moderated: z.boolean().optional(),
    }),
    supported_parameters: z.array(z.string()),
    status: z.enum(['active', 'retired']),
    enabled: z.boolean(),
    retired_at: z.string().nullable(),
  })
  .meta({ id: 'CatalogModel' });

export const catalogPageSchema = z.object({
  data: z.array(catalogModelSchema),
  total: z.number().int(),
  next_cursor: z.string().nullable(),
});

const percentiles = z.object({
  p50: z.number(),
  p75: z.number(),
  p90: z.number(),
  p99: z.number(),
});

export const modelEndpointSchema = z
  .looseObject({
    name: z.string(),
    model_id: z.string().nullable(),
    provider_name: z.string(),
    tag: z.string().nullable(),
    quantization: z.string().nullable(),
    context_length: z.number().nullable(),
    max_completion_tokens: z.number().nullable(),
    max_prompt_tokens: z.number().nullable(),
    pricing: pricingSchema.nullable(),
    status: z.number().nullable().optional(),
    uptime_last_30m: z.number().nullable().optional(),
    latency_last_30m: percentiles.nullable().optional(),
    throughput_last_30m: percentiles.nullable().optional(),
  })
  .meta({ id: 'ModelEndpoint' });

export const catalogModelDetailSchema = catalogModelSchema
  .extend({
    price_history: z.array(z.object({ pricing: pricingSchema, effective_from: z.string() })),
    observed: z.object({
      latency_ms: z.number().nullable().describe('Median latency over 7 days, ms.'),
      requests: z.number().int(),
      error_rate: z.number().nullable().describe('Failed / all requests over 7 days, 0..1.'),
    }),
    endpoints: z
      .array(modelEndpointSchema)
      .nullable()
      .describe("OpenRouter's per-provider endpoints; null when unavailable."),
  })
  .meta({ id: 'CatalogModelDetail' });

export const compareResponseSchema = z.object({
  workload: z.object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    requests_per_day: z.number(),
  }),
  cheapest: z.string().nullable(),
  models: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['active', 'retired']),
      enabled: z.boolean(),
      context_length: z.number().nullable(),
      max_completion_tokens: z.number().nullable(),
      pricing: pricingSchema,
      prompt_price_per_million_usd: z.number().nullable(),
      completion_price_per_million_usd: z.number().nullable(),
      capabilities: capabilityFlags,
      input_modalities: z.array(z.string()),
      output_modalities: z.array(z.string()),
      observed_latency_ms: z.number().nullable(),
      cost_per_request_nanousd: z.number().nullable(),
      cost_per_day_nanousd: z.number().nullable(),
    }),
  ),
});

export const recommendResponseSchema = z.object({
  data: z.array(
    z.object({
      rank: z.number().int(),
      id: z.string(),
      name: z.string(),
      context_length: z.number().nullable(),
      cost_per_1k_requests_nanousd: z.number(),
      observed_latency_ms: z.number().nullable(),
      reason: z.string(),
    }),
  ),
  excluded: z.array(z.object({ id: z.string(), name: z.string(), reasons: z.array(z.string()) })),
});

export const syncRunSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
    phase: z.string().describe('`fetching`, `writing` or `done`.'),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    new_models: z.number().int(),
    changed_models: z.number().int(),
    unchanged_models: z.number().int(),
    retired_models: z.number().int(),
    prices_changed: z.number().int(),
    errors: z.number().int(),
    error: z.string().nullable(),
    instance: z.string(),
  })
  .meta({ id: 'CatalogSyncRun' });
