/**
 * The admin routing API under /admin: policies with their versions, rollback, test (explain
 * against the current version or a draft), experiments (per-variant figures, promote) and
 * decision analytics. Schemas are in src/http/admin/routing-schemas.ts; each handler is one call
 * to the policy service or the analytics repository. Every mutation records the caller as its
 * author and writes its audit-log row in the change's own transaction.
 */
import { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import { MASTER_PRINCIPAL, type Principal } from '../../contracts/principal.ts';
import type { RoutingDecision } from '../../contracts/routing-decision.ts';
import { explainRoute, type GatewayServices } from '../../gateway/index.ts';
import type { CompiledPolicy } from '../../routing/compiled-policy.ts';
import type { PolicyVersionRecord, StoredPolicy } from '../../routing/policy-repository.ts';
import type { Actor, PolicyService } from '../../routing/policy-service.ts';
import { routingPolicySchema, type RoutingPolicy } from '../../routing/policy-schema.ts';
import type { RoutingAnalytics, TimeRange } from '../../routing/routing-analytics.ts';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import type { SqlExecutor } from '../../storage/index.ts';
import type { AuditScope } from '../admin/admin-audit.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import {
  decisionsQuery,
  decisionsResponse,
  experimentResponse,
  policyListResponse,
  policyNameParams,
  policyTestBody,
  policyTestResponse,
  policyVersionResponse,
  policyVersionsResponse,
  promoteBody,
  rollbackBody,
  storedPolicyResponse,
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

/** The caller as the policy service records it, with the audit row written in its transaction. */
function actorOf(principal: Principal | null, audit: AuditScope, targetId: string | null): Actor {
  return {
    keyId: (principal ?? MASTER_PRINCIPAL).keyId,
    onCommit: (transaction, version) =>
      audit.within(transaction as SqlExecutor, {
        targetId: targetId ?? version.name,
        after: { version: version.version, action: version.action, diff: version.diff },
      }),
  };
}

const tags = ['routing'];
const policyAudit = (action: string) => ({
  action: `routing.policies.${action}`,
  targetType: 'policy',
});

/** The admin routing API, as route definitions (src/http/admin/admin-route.ts). */
export function adminRoutingRoutes(dependencies: RoutingAdminDependencies): AdminRoute[] {
  const { service, analytics } = dependencies;
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/routing/policies',
      summary: 'Every routing policy (`signalbox/<name>`), current version',
      tags,
      minimumRole: 'viewer',
      responses: { 200: policyListResponse },
      async handler() {
        return { data: (await service.list()).map(storedPolicyBody) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/routing/policies',
      summary: 'Create a routing policy (version 1)',
      tags,
      minimumRole: 'admin',
      audit: policyAudit('create'),
      // The document is validated by the service, whose rules name the bad field.
      request: { body: z.unknown() },
      responses: { 201: storedPolicyResponse },
      async handler({ body, principal, audit, reply }) {
        const created = await service.create(body, actorOf(principal, audit, null));
        return reply.code(201).send(storedPolicyBody(created));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/routing/policies/:name',
      summary: 'One routing policy, current version',
      tags,
      minimumRole: 'viewer',
      request: { params: policyNameParams },
      responses: { 200: storedPolicyResponse },
      async handler({ params }) {
        return storedPolicyBody(await service.get(params.name));
      },
    }),
    defineAdminRoute({
      method: 'PUT',
      url: '/routing/policies/:name',
      summary: 'Replace a routing policy (a new version; none when nothing changed)',
      tags,
      minimumRole: 'admin',
      audit: policyAudit('update'),
      request: { params: policyNameParams, body: z.unknown() },
      responses: { 200: storedPolicyResponse },
      async handler({ params, body, principal, audit }) {
        return storedPolicyBody(
          await service.update(params.name, body, actorOf(principal, audit, params.name)),
        );
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/routing/policies/:name',
      summary: 'Delete a routing policy (its history is kept)',
      tags,
      minimumRole: 'admin',
      audit: policyAudit('delete'),
      request: { params: policyNameParams },
      responses: { 200: policyVersionResponse },
      async handler({ params, principal, audit }) {
        return policyVersionBody(
          await service.remove(params.name, actorOf(principal, audit, params.name)),
        );
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/routing/policies/:name/versions',
      summary: 'Every version of a policy, oldest first: who, when, the diff',
      tags,
      minimumRole: 'viewer',
      request: { params: policyNameParams },
      responses: { 200: policyVersionsResponse },
      async handler({ params }) {
        return { data: (await service.versions(params.name)).map(policyVersionBody) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/routing/policies/:name/rollback',
      summary: 'Make an old version current again (itself a new version)',
      tags,
      minimumRole: 'admin',
      audit: policyAudit('rollback'),
      request: { params: policyNameParams, body: rollbackBody },
      responses: { 200: storedPolicyResponse },
      async handler({ params, body, principal, audit }) {
        return storedPolicyBody(
          await service.rollback(params.name, body.version, actorOf(principal, audit, params.name)),
        );
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/routing/policies/:name/test',
      summary: 'Explain sample requests against the current version or a draft (nothing is saved)',
      tags,
      minimumRole: 'viewer',
      readOnly: true,
      request: { params: policyNameParams, body: policyTestBody },
      responses: { 200: policyTestResponse },
      async handler({ params, body }) {
        const policy = await service.testTarget(params.name, body.policy);
        const samples = body.requests ?? (body.request === undefined ? [] : [body.request]);
        return {
          policy: { name: policy.name, version: policy.version, draft: body.policy !== undefined },
          decisions: testDecisions(dependencies.gateway, policy, samples),
        };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/routing/policies/:name/experiment',
      summary: 'Per-variant figures of a policy’s experiment, from the ledger',
      tags,
      minimumRole: 'viewer',
      request: { params: policyNameParams, query: timeRangeQuery },
      responses: { 200: experimentResponse },
      async handler({ params, query }) {
        const name = params.name;
        const current = await service.get(name);
        await dependencies.ledger.flush();
        const weights = new Map(
          current.policy.variants?.map((entry) => [entry.name, entry.weight]),
        );
        return {
          policy: name,
          version: current.version,
          variants: (await analytics.experiment(name, rangeOf(query))).map((entry) => ({
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
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/routing/policies/:name/experiment/promote',
      summary: 'End the experiment: keep one variant (a new version)',
      tags,
      minimumRole: 'admin',
      audit: policyAudit('promote'),
      request: { params: policyNameParams, body: promoteBody },
      responses: { 200: storedPolicyResponse },
      async handler({ params, body, principal, audit }) {
        return storedPolicyBody(
          await service.promote(params.name, body.variant, actorOf(principal, audit, params.name)),
        );
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/routing/decisions',
      summary: 'How often each model was selected, excluded (by reason) and fallen back to',
      tags,
      minimumRole: 'viewer',
      request: { query: decisionsQuery },
      responses: { 200: decisionsResponse },
      async handler({ query }) {
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
              (left, right) =>
                right.selected - left.selected || left.model.localeCompare(right.model),
            ),
        };
      },
    }),
  ];
}
