/**
 * zod schemas of the admin routing API (`/admin/routing/...`): request bodies and query strings
 * the handlers parse, and the response bodies they send — the source for the admin OpenAPI
 * document. The policy document itself is src/routing/policy-schema.ts.
 */
import { z } from 'zod';
import { exclusionCodes } from '../../contracts/routing-decision.ts';
import { routingPolicySchema, strategyNames } from '../../routing/policy-schema.ts';

/** `{name}` in the paths. */
export const policyNameParams = z.object({ name: z.string().min(1).max(64) });

/** A policy as stored: the document plus its version and who made it. */
export const storedPolicyResponse = routingPolicySchema.extend({
  version: z.int().positive(),
  updated_at: z.iso.datetime(),
  updated_by: z.string(),
});

export const policyListResponse = z.object({ data: z.array(storedPolicyResponse) });

const diffEntry = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const policyVersionResponse = z.object({
  name: z.string(),
  version: z.int().positive(),
  action: z.enum(['create', 'update', 'delete', 'rollback', 'promote']),
  /** null for a delete. */
  policy: routingPolicySchema.nullable(),
  diff: z.array(diffEntry),
  created_at: z.iso.datetime(),
  created_by: z.string(),
  note: z.string().nullable(),
});

export const policyVersionsResponse = z.object({ data: z.array(policyVersionResponse) });

export const rollbackBody = z.strictObject({ version: z.int().positive() });

export const promoteBody = z.strictObject({ variant: z.string().min(1).max(32) });

/** A chat completion request, as explain takes it (validated by the chat validator). */
const chatRequest = z.looseObject({ messages: z.array(z.looseObject({})) });

/** Explain against the current version or a draft body, for one or many sample requests. */
export const policyTestBody = z
  .strictObject({
    /** A draft policy document (its name may be omitted); absent = the current version. */
    policy: z.looseObject({}).optional(),
    request: chatRequest.optional(),
    requests: z.array(chatRequest).min(1).max(100).optional(),
  })
  .refine((body) => (body.request === undefined) !== (body.requests === undefined), {
    message: 'give "request" or "requests" (exactly one)',
    path: ['requests'],
  });

const costEstimate = z.object({ min: z.number(), expected: z.number(), max: z.number() });
const latencyEstimate = z.object({ ttft: z.number().nullable(), total: z.number().nullable() });
const exclusionCode = z.enum(exclusionCodes);

/** The routing decision (src/contracts/routing-decision.ts). */
export const routingDecisionResponse = z.object({
  requested_model: z.string(),
  selected_model: z.string().nullable(),
  selected_provider: z.string().nullable(),
  fallback_models: z.array(
    z.object({
      model: z.string(),
      provider: z.string(),
      by_provider: z.literal(true).optional(),
      cooling_down: z.literal(true).optional(),
    }),
  ),
  reasoning: z.array(z.string()),
  estimated_cost_usd: costEstimate.nullable(),
  estimated_latency_ms: latencyEstimate,
  confidence_score: z.number().min(0).max(1),
  policy: z
    .object({ name: z.string(), version: z.int(), variant: z.string().nullable() })
    .nullable(),
  strategy: z.enum(strategyNames),
  requirements: z.array(z.string()),
  max_cost_usd: z.number().nullable(),
  provider_preferences: z.record(z.string(), z.unknown()).nullable(),
  candidates: z.array(
    z.object({
      model: z.string(),
      provider: z.string(),
      rank: z.int().positive(),
      scores: z.object({
        cost: z.number().nullable(),
        latency: z.number().nullable(),
        quality: z.number().nullable(),
        weight: z.number().nullable(),
        total: z.number(),
      }),
      estimated_cost_usd: costEstimate.nullable(),
      estimated_latency_ms: latencyEstimate.nullable(),
      latency_source: z.enum(['observed', 'published']).nullable(),
    }),
  ),
  candidates_considered: z.int().nonnegative(),
  excluded: z.array(
    z.object({
      model: z.string(),
      provider: z.string(),
      reason_code: exclusionCode,
      reason: z.string(),
    }),
  ),
  excluded_counts: z.partialRecord(exclusionCode, z.int()),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  decided_in_us: z.int().nonnegative(),
});

export const policyTestResponse = z.object({
  policy: z.object({ name: z.string(), version: z.int(), draft: z.boolean() }),
  decisions: z.array(routingDecisionResponse),
});

/** `from` inclusive, `to` exclusive, ISO 8601; absent = unbounded. */
export const timeRangeQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const decisionsQuery = timeRangeQuery.extend({ policy: z.string().min(1).optional() });

export const experimentResponse = z.object({
  policy: z.string(),
  version: z.int(),
  variants: z.array(
    z.object({
      /** null: requests made while the policy had no variants. */
      name: z.string().nullable(),
      /** The variant's current weight; null when it is no longer in the policy. */
      weight: z.number().nullable(),
      requests: z.int(),
      cost_nanousd: z.number().nullable(),
      cost_usd: z.number().nullable(),
      latency_p50_ms: z.number().nullable(),
      latency_p95_ms: z.number().nullable(),
      ttft_p50_ms: z.number().nullable(),
      error_rate: z.number(),
      fallback_rate: z.number(),
    }),
  ),
});

export const decisionsResponse = z.object({
  policy: z.string().nullable(),
  requests: z.int(),
  excluded_by_reason: z.record(z.string(), z.int()),
  models: z.array(
    z.object({
      model: z.string(),
      selected: z.int(),
      fallen_back_to: z.int(),
      excluded: z.record(z.string(), z.int()),
    }),
  ),
});
