/**
 * The admin routing API under /admin (master key): policies with their versions, rollback, test
 * (explain against the current version or a draft), experiments (per-variant figures, promote)
 * and decision analytics. Bodies and query strings are parsed with the zod schemas of
 * src/http/admin/routing-schemas.ts; each handler is one call to the policy service or the
 * analytics repository. Every mutation records the caller as its author.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import { MASTER_PRINCIPAL } from '../../contracts/principal.ts';
import type { RoutingDecision } from '../../contracts/routing-decision.ts';
import { explainRoute, type GatewayServices } from '../../gateway/index.ts';
import type { CompiledPolicy } from '../../routing/compiled-policy.ts';
import type { PolicyVersionRecord, StoredPolicy } from '../../routing/policy-repository.ts';
import type { Actor, PolicyService } from '../../routing/policy-service.ts';
import { routingPolicySchema, type RoutingPolicy } from '../../routing/policy-schema.ts';
import type { RoutingAnalytics, TimeRange } from '../../routing/routing-analytics.ts';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import {
  decisionsQuery,
  policyNameParams,
  policyTestBody,
  promoteBody,
  rollbackBody,
  timeRangeQuery,
} from '../admin/routing-schemas.ts';

export interface RoutingAdminDependencies {
  service: PolicyService;
  analytics: RoutingAnalytics;
  /** The pipeline's services: `test` explains with them. */
  gateway: GatewayServices;
  /** Flushed before ledger reads (read-your-writes). */
  ledger: Pick<LedgerWriter, 'flush'>;
}

function paramOf(path: readonly PropertyKey[]): string | null {
  return path.length === 0 ? null : path.map(String).join('.');
}

/** @throws SignalboxError `invalid_request` naming the first bad field */
function parse<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue === undefined ? null : paramOf(issue.path);
  throw new SignalboxError(
    'invalid_request',
    `Invalid ${param ?? 'body'}: ${issue?.message ?? 'invalid value'}.`,
    { param },
  );
}

/** The caller. Today only the master key reaches /admin (governance adds admin keys). */
function actorOf(_request: FastifyRequest): Actor {
  return { keyId: MASTER_PRINCIPAL.keyId };
}

/** The document in the schema's field order (JSONB stores keys in its own order). */
function ordered(policy: RoutingPolicy): RoutingPolicy {
  return routingPolicySchema.safeParse(policy).data ?? policy;
}

export function storedPolicyBody(stored: StoredPolicy) {
  return {
    ...ordered(stored.policy),
    version: stored.version,
    updated_at: stored.updatedAt.toISOString(),
    updated_by: stored.updatedBy,
  };
}

export function policyVersionBody(record: PolicyVersionRecord) {
  return {
    name: record.name,
    version: record.version,
    action: record.action,
    policy: record.policy === null ? null : ordered(record.policy),
    diff: record.diff,
    created_at: record.createdAt.toISOString(),
    created_by: record.createdBy,
    note: record.note,
  };
}

function rangeOf(query: { from?: string | undefined; to?: string | undefined }): TimeRange {
  return {
    from: query.from === undefined ? null : new Date(query.from),
    to: query.to === undefined ? null : new Date(query.to),
  };
}

/** Explains each sample request against `policy`, addressed as `signalbox/<name>`. */
function testDecisions(
  gateway: GatewayServices,
  policy: CompiledPolicy,
  samples: readonly Record<string, unknown>[],
): RoutingDecision[] {
  const routing = {
    ...gateway.routing,
    policy: (name: string) => (name === policy.name ? policy : gateway.routing.policy?.(name)),
  };
  const services: GatewayServices = { ...gateway, routing };
  return samples.map((sample, index) => {
    try {
      return explainRoute(
        {
          body: { ...sample, model: `signalbox/${policy.name}` },
          requestId: `test_${index}`,
          abort: new AbortController(),
          receivedAt: gateway.now(),
          principal: MASTER_PRINCIPAL,
        },
        services,
      );
    } catch (error) {
      if (!(error instanceof SignalboxError)) throw error;
      throw error.with({
        param: `requests[${index}]${error.param === null ? '' : `.${error.param}`}`,
      });
    }
  });
}

export function registerAdminRoutingRoutes(
  app: FastifyInstance,
  dependencies: RoutingAdminDependencies,
): void {
  const { service, analytics } = dependencies;
  const nameOf = (request: FastifyRequest): string => parse(policyNameParams, request.params).name;

  app.get('/routing/policies', async () => ({
    data: (await service.list()).map(storedPolicyBody),
  }));

  app.post('/routing/policies', async (request, reply) => {
    const created = await service.create(request.body, actorOf(request));
    return reply.code(201).send(storedPolicyBody(created));
  });

  app.get('/routing/policies/:name', async (request) =>
    storedPolicyBody(await service.get(nameOf(request))),
  );

  app.put('/routing/policies/:name', async (request) =>
    storedPolicyBody(await service.update(nameOf(request), request.body, actorOf(request))),
  );

  app.delete('/routing/policies/:name', async (request) =>
    policyVersionBody(await service.remove(nameOf(request), actorOf(request))),
  );

  app.get('/routing/policies/:name/versions', async (request) => ({
    data: (await service.versions(nameOf(request))).map(policyVersionBody),
  }));

  app.post('/routing/policies/:name/rollback', async (request) => {
    const { version } = parse(rollbackBody, request.body);
    return storedPolicyBody(await service.rollback(nameOf(request), version, actorOf(request)));
  });

  app.post('/routing/policies/:name/test', async (request) => {
    const body = parse(policyTestBody, request.body);
    const policy = await service.testTarget(nameOf(request), body.policy);
    const samples = body.requests ?? (body.request === undefined ? [] : [body.request]);
    return {
      policy: { name: policy.name, version: policy.version, draft: body.policy !== undefined },
      decisions: testDecisions(dependencies.gateway, policy, samples),
    };
  });

  app.get('/routing/policies/:name/experiment', async (request) => {
    const name = nameOf(request);
    const current = await service.get(name);
    const range = rangeOf(parse(timeRangeQuery, request.query));
    await dependencies.ledger.flush();
    const weights = new Map(current.policy.variants?.map((entry) => [entry.name, entry.weight]));
    return {
      policy: name,
      version: current.version,
      variants: (await analytics.experiment(name, range)).map((entry) => ({
        name: entry.variant,
        weight: entry.variant === null ? null : (weights.get(entry.variant) ?? null),
        requests: entry.requests,
        cost_nanousd: entry.costNanoUsd === null ? null : Number(entry.costNanoUsd),
        cost_usd: entry.costNanoUsd === null ? null : Number(entry.costNanoUsd) / 1e9,
        latency_p50_ms: entry.latencyP50Ms,
        latency_p95_ms: entry.latencyP95Ms,
        ttft_p50_ms: entry.ttftP50Ms,
        error_rate: entry.errorRate,
        fallback_rate: entry.fallbackRate,
      })),
    };
  });

  app.post('/routing/policies/:name/experiment/promote', async (request) => {
    const { variant } = parse(promoteBody, request.body);
    return storedPolicyBody(await service.promote(nameOf(request), variant, actorOf(request)));
  });

  app.get('/routing/decisions', async (request) => {
    const query = parse(decisionsQuery, request.query);
    await dependencies.ledger.flush();
    const statistics = await analytics.decisions(query.policy ?? null, rangeOf(query));
    return {
      policy: query.policy ?? null,
      requests: statistics.requests,
      excluded_by_reason: statistics.excludedByReason,
      models: [...statistics.models]
        .map(([model, entry]) => ({
          model,
          selected: entry.selected,
          fallen_back_to: entry.fallenBackTo,
          excluded: entry.excluded,
        }))
        .sort(
          (left, right) => right.selected - left.selected || left.model.localeCompare(right.model),
        ),
    };
  });
}
