/**
 * `GET /admin/requests?limit=&cursor=&from=&to=&model=&provider=&status=&policy=&key_id=
 * &project_id=&min_cost_usd=&max_cost_usd=` (viewer): the ledger, newest first, filtered, and
 * `GET /admin/requests/{id}`: one request with every attempt. Each entry's `id` is the
 * `x-request-id` its response carried; money is integer nano-USD; `routing_decision` is the
 * decision routing took for it (what `POST /v1/route/explain` shows).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import type { AttemptRecord, RequestRecord } from '../../contracts/ledger.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { registerAdminRoutes } from '../admin/register-admin-routes.ts';
import { expandRoutingDecision } from '../../contracts/routing-decision.ts';
import type { HttpDependencies } from '../http-dependencies.ts';
import type { RequestFilter } from '../../storage/index.ts';
import { ledgerPageSchema, ledgerRequestSchema } from './admin-requests-schemas.ts';

function nano(value: bigint | null): number | null {
  return value === null ? null : Number(value);
}

function usage(record: RequestRecord | AttemptRecord) {
  return {
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    reasoning_tokens: record.reasoningTokens,
    cached_tokens: record.cachedTokens,
  };
}

function attemptBody(attempt: AttemptRecord) {
  return {
    attempt: attempt.attemptNumber,
    provider: attempt.provider,
    model: attempt.model,
    served_model: attempt.servedModel,
    status: attempt.status,
    upstream_status: attempt.upstreamStatus,
    generation_id: attempt.generationId,
    started_at: attempt.startedAt.toISOString(),
    latency_ms: attempt.latencyMs,
    ttft_ms: attempt.ttftMs,
    usage: usage(attempt),
    cost_nanousd: nano(attempt.costNanoUsd),
    cost_source: attempt.costSource,
  };
}

/** One ledger request in the admin API's shape. */
export function requestBody(record: RequestRecord) {
  return {
    id: record.id,
    created_at: record.createdAt.toISOString(),
    model: record.model,
    served_model: record.servedModel,
    provider: record.provider,
    status: record.status,
    http_status: record.httpStatus,
    stream: record.stream,
    usage: usage(record),
    cost_nanousd: nano(record.costNanoUsd),
    cost_source: record.costSource,
    generation_id: record.generationId,
    latency_ms: record.latencyMs,
    ttft_ms: record.ttftMs,
    policy:
      record.policy === null
        ? null
        : { name: record.policy, version: record.policyVersion, variant: record.policyVariant },
    served_candidate: record.servedCandidate,
    key_id: record.keyId,
    project_id: record.projectId,
    queue_wait_ms: record.queueWaitMs,
    routing_decision:
      record.routingDecision === null ? null : expandRoutingDecision(record.routingDecision),
    attempts: record.attempts.map(attemptBody),
  };
}

const limitSchema = z
  .string()
  .optional()
  .describe('Page size, 1..200, default 50.')
  .transform((raw, context): number => {
    if (raw === undefined) return 50;
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      context.addIssue({
        code: 'custom',
        message: '"limit" must be a whole number from 1 to 200.',
      });
      return z.NEVER;
    }
    return limit;
  });

const isoTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .describe('ISO 8601 time');

/** USD as a decimal string → nano-USD. */
const usdBound = z
  .string()
  .regex(/^\d+(\.\d{1,9})?$/, 'a non-negative USD amount, e.g. 0.002')
  .transform((value) => {
    const [whole = '0', fraction = ''] = value.split('.');
    return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  });

const requestFilterQuery = {
  from: isoTime.optional().describe('created_at >= from (ISO 8601).'),
  to: isoTime.optional().describe('created_at < to (ISO 8601).'),
  model: z.string().min(1).optional().describe('The requested or the served model id.'),
  provider: z.string().min(1).optional().describe('The provider instance that served.'),
  status: z
    .string()
    .min(1)
    .optional()
    .describe('`success`, `error` (any failure), or an error code from docs/errors.md.'),
  policy: z.string().min(1).optional().describe('A routing policy name (without `signalbox/`).'),
  key_id: z.string().min(1).optional(),
  project_id: z.string().min(1).optional(),
  min_cost_usd: usdBound.optional().describe('Known cost >= this, USD.'),
  max_cost_usd: usdBound.optional().describe('Known cost <= this, USD.'),
};

/** The ledger's routes, as definitions (see admin-route.ts). */
export function adminRequestsRoutes(
  dependencies: Pick<HttpDependencies, 'ledger' | 'ledgerRepository'>,
): AdminRoute[] {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/requests',
      summary: 'The ledger, newest first, with every upstream attempt; filters combine (AND)',
      tags: ['requests'],
      minimumRole: 'viewer',
      request: {
        query: z.object({
          limit: limitSchema,
          cursor: z
            .string()
            .optional()
            .describe('`next_cursor` of the previous page (with the same filters).'),
          ...requestFilterQuery,
        }),
      },
      responses: { 200: ledgerPageSchema },
      async handler({ query }) {
        // Read-your-writes: rows still in the journal are committed first (ADR 0003).
        await dependencies.ledger.flush();
        const { limit, cursor, key_id, project_id, min_cost_usd, max_cost_usd, ...rest } = query;
        const filter: RequestFilter = {};
        for (const [name, value] of Object.entries({
          ...rest,
          keyId: key_id,
          projectId: project_id,
          minCostNanoUsd: min_cost_usd,
          maxCostNanoUsd: max_cost_usd,
        }))
          if (value !== undefined) Object.assign(filter, { [name]: value });
        const page = await dependencies.ledgerRepository.listRequests({
          limit,
          cursor: cursor ?? null,
          filter,
        });
        return { data: page.data.map(requestBody), next_cursor: page.nextCursor };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/requests/:id',
      summary: 'One ledger request with every upstream attempt',
      tags: ['requests'],
      minimumRole: 'viewer',
      request: { params: z.object({ id: z.string().describe('The `x-request-id`.') }) },
      responses: { 200: ledgerRequestSchema },
      async handler({ params }) {
        await dependencies.ledger.flush();
        const record = await dependencies.ledgerRepository.getRequest(params.id);
        if (record === null)
          throw new SignalboxError('route_not_found', `No request "${params.id}" in the ledger.`);
        return requestBody(record);
      },
    }),
  ];
}

export function registerAdminRequestsRoute(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  registerAdminRoutes(app, adminRequestsRoutes(dependencies));
}
