/** Response schemas of the ledger routes (OpenAPI). Money is integer nano-USD; times are ms. */
import { z } from 'zod';
import { routingDecisionResponse } from '../admin/routing-schemas.ts';

const usageSchema = z.object({
  prompt_tokens: z.number().int().nullable(),
  completion_tokens: z.number().int().nullable(),
  reasoning_tokens: z.number().int().nullable(),
  cached_tokens: z.number().int().nullable(),
});

const costSource = z
  .enum(['provider', 'reconciled', 'computed', 'estimated'])
  .nullable()
  .describe(
    '`provider` when the upstream reported it, `reconciled` when read later from its own ' +
      'accounting, `computed` from catalogue prices, `estimated` for an upper bound, null when unknown.',
  );

export const ledgerAttemptSchema = z
  .object({
    attempt: z.number().int(),
    provider: z.string(),
    model: z.string(),
    served_model: z.string().nullable(),
    status: z.string(),
    upstream_status: z.number().int().nullable(),
    generation_id: z.string().nullable(),
    started_at: z.string(),
    latency_ms: z.number().nullable(),
    ttft_ms: z.number().nullable(),
    usage: usageSchema,
    cost_nanousd: z.number().nullable(),
    cost_source: costSource,
  })
  .meta({ id: 'LedgerAttempt' });

export const ledgerRequestSchema = z
  .object({
    id: z.string().describe('The `x-request-id` of the response.'),
    created_at: z.string(),
    model: z.string().describe('The model the client asked for.'),
    served_model: z.string().nullable(),
    provider: z.string().nullable(),
    status: z.string().describe('`success` or an error code from docs/errors.md.'),
    http_status: z.number().int(),
    stream: z.boolean(),
    usage: usageSchema,
    cost_nanousd: z.number().nullable(),
    cost_source: costSource,
    generation_id: z.string().nullable(),
    latency_ms: z.number().nullable(),
    ttft_ms: z.number().nullable(),
    policy: z
      .object({
        name: z.string(),
        version: z.number().int().nullable(),
        variant: z.string().nullable(),
      })
      .nullable()
      .describe('The routing policy (`signalbox/<name>`) that planned it; null for a plain model.'),
    served_candidate: z
      .number()
      .int()
      .nullable()
      .describe("Index in the decision's candidates of the target that served it."),
    key_id: z.string().nullable().describe("The caller's key id (`master` for the master key)."),
    project_id: z.string().nullable().describe("The caller's project, when it has one."),
    queue_wait_ms: z
      .number()
      .int()
      .nullable()
      .describe("Time it waited in the queue for its key's max_concurrency, ms; null when none."),
    routing_decision: routingDecisionResponse
      .nullable()
      .describe('What routing decided for it, as `POST /v1/route/explain` shows it.'),
    attempts: z.array(ledgerAttemptSchema),
  })
  .meta({ id: 'LedgerRequest' });

export const ledgerPageSchema = z.object({
  data: z.array(ledgerRequestSchema),
  next_cursor: z.string().nullable(),
});
