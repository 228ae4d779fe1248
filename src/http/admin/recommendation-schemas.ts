/**
 * zod schemas of the admin recommendations API (`/admin/recommendations`, docs/admin-api.md,
 * docs/decisions/0019-recommendations.md) — the source for the admin OpenAPI document.
 */
import { z } from 'zod';
import { policyNamePattern } from '../../routing/policy-schema.ts';
import { MAX_RECOMMENDATION_DAYS } from '../../usage/recommendation-report.ts';
import { storedPolicyResponse } from './routing-schemas.ts';

export const recommendationsQuery = z.object({
  /** The period: the last `days` days up to now. */
  days: z.coerce.number().int().min(1).max(MAX_RECOMMENDATION_DAYS).default(30),
  /** Key × project × model groups with fewer requests in the period get no recommendation. */
  min_requests: z.coerce.number().int().min(1).max(1_000_000_000).default(20),
  /** Most alternatives per key × project × model (the largest savings). */
  per_model: z.coerce.number().int().min(1).max(50).default(3),
});

const observed = z.object({
  /** The alternative's requests in the period (asked for by that model id), 0 when none. */
  requests: z.int(),
  /** ms; null when the period holds none. */
  latency_p50_ms: z.number().nullable(),
  latency_p95_ms: z.number().nullable(),
  /** 0–1; null when the period holds none. */
  error_rate: z.number().nullable(),
});

export const recommendationBody = z.object({
  /** Stable: the same scope, model and alternative always get the same id. */
  id: z.string(),
  scope: z.object({ key_id: z.string().nullable(), project_id: z.string().nullable() }),
  current_model: z.string(),
  /** Requests of this scope and model in the period. */
  requests: z.int(),
  /** What the traffic used, so what the alternative supports. */
  requirements: z.object({
    tools: z.boolean(),
    structured_output: z.boolean(),
    image_input: z.boolean(),
    reasoning: z.boolean(),
    /** Tokens: the largest prompt seen. */
    max_prompt_tokens: z.int(),
  }),
  /** What the ledger recorded for this traffic (known costs), USD. */
  current_cost_usd: z.number(),
  alternative: z.object({
    model: z.string(),
    /** The same token counts at the alternative's catalogue price, USD. */
    projected_cost_usd: z.number(),
    saving_usd: z.number(),
    /** Of the current cost, 0–100. */
    saving_pct: z.number(),
    observed,
  }),
});

export const recommendationsResponse = z.object({
  period: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  /** Largest saving first. */
  recommendations: z.array(recommendationBody),
});

export const recommendationIdParams = z.object({ id: z.string().min(1).max(64) });

export const experimentBody = z.strictObject({
  /** Share of the traffic the alternative gets, percent; default 10. */
  traffic_pct: z.number().gt(0).max(100).optional(),
  /** The policy to create or replace; default `rec-<12 hex of the id>`. */
  policy: z
    .string()
    .regex(policyNamePattern, 'lower-case letters, digits, ".", "_" or "-" (1–64)')
    .optional(),
});

export const experimentResultResponse = z.object({
  recommendation_id: z.string(),
  /** What clients address to take part: `signalbox/<policy>`. */
  model: z.string(),
  traffic_pct: z.number(),
  /** Where the experiment's per-variant figures are read. */
  results_path: z.string(),
  policy: storedPolicyResponse,
});
