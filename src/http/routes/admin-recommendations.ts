/**
 * The admin recommendations API (docs/admin-api.md, docs/decisions/0019-recommendations.md):
 * `GET /admin/recommendations` — cheaper models for each key × project × model's real traffic,
 * with the projected saving — and `POST /admin/recommendations/{id}/experiment`, which turns one
 * into a routing experiment (a policy with `control` and `candidate` variants, created or
 * replaced through the policy service, audited in its transaction). The ledger is flushed before
 * it is read.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import { MASTER_PRINCIPAL } from '../../contracts/principal.ts';
import type { PolicyService } from '../../routing/policy-service.ts';
import type { StoredPolicy } from '../../routing/policy-repository.ts';
import type { SqlExecutor } from '../../storage/index.ts';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import {
  DEFAULT_TRAFFIC_PCT,
  defaultExperimentPolicyName,
  experimentPolicy,
} from '../../usage/recommendation-experiment.ts';
import {
  findRecommendation,
  recommendationsOver,
  type RecommendationSources,
} from '../../usage/recommendation-report.ts';
import type { Recommendation } from '../../usage/recommendations.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import {
  experimentBody,
  experimentResultResponse,
  recommendationIdParams,
  recommendationsQuery,
  recommendationsResponse,
} from '../admin/recommendation-schemas.ts';
import { storedPolicyBody } from './admin-routing.ts';

export interface RecommendationsAdminDependencies {
  sources: RecommendationSources;
  policies: PolicyService;
  ledger: Pick<LedgerWriter, 'flush'>;
  now(): Date;
}

const usd = (nano: bigint): number => Number(nano) / 1e9;

function recommendationView(recommendation: Recommendation) {
  const observed = recommendation.observed;
  return {
    id: recommendation.id,
    scope: { key_id: recommendation.keyId, project_id: recommendation.projectId },
    current_model: recommendation.currentModel,
    requests: recommendation.requests,
    requirements: {
      tools: recommendation.requirements.tools,
      structured_output: recommendation.requirements.structuredOutput,
      image_input: recommendation.requirements.imageInput,
      reasoning: recommendation.requirements.reasoning,
      max_prompt_tokens: recommendation.requirements.maxPromptTokens,
    },
    current_cost_usd: usd(recommendation.currentCostNanoUsd),
    alternative: {
      model: recommendation.alternative,
      projected_cost_usd: usd(recommendation.projectedCostNanoUsd),
      saving_usd: usd(recommendation.savingNanoUsd),
      saving_pct: recommendation.savingPct,
      observed: {
        requests: observed?.requests ?? 0,
        latency_p50_ms: observed?.latencyP50Ms ?? null,
        latency_p95_ms: observed?.latencyP95Ms ?? null,
        error_rate: observed?.errorRate ?? null,
      },
    },
  };
}

async function exists(policies: PolicyService, name: string): Promise<boolean> {
  try {
    await policies.get(name);
    return true;
  } catch (error) {
    if (error instanceof SignalboxError && error.code === 'policy_not_found') return false;
    throw error;
  }
}

const tags = ['recommendations'];

/** The admin recommendations API, as route definitions (src/http/admin/admin-route.ts). */
export function adminRecommendationRoutes(
  dependencies: RecommendationsAdminDependencies,
): AdminRoute[] {
  const { sources, policies } = dependencies;
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/recommendations',
      summary: 'Cheaper models that satisfy what each key × project × model’s traffic used',
      tags,
      minimumRole: 'viewer',
      request: { query: recommendationsQuery },
      responses: { 200: recommendationsResponse },
      async handler({ query }) {
        await dependencies.ledger.flush();
        const to = dependencies.now();
        const from = new Date(to.getTime() - query.days * 86_400_000);
        const found = await recommendationsOver(sources, {
          from,
          to,
          minRequests: query.min_requests,
          perModel: query.per_model,
        });
        return {
          period: { from: from.toISOString(), to: to.toISOString() },
          recommendations: found.map(recommendationView),
        };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/recommendations/:id/experiment',
      summary: 'Turn a recommendation into a routing experiment (a policy with two variants)',
      tags,
      minimumRole: 'admin',
      audit: { action: 'recommendations.experiment', targetType: 'recommendation' },
      request: { params: recommendationIdParams, body: experimentBody },
      responses: { 200: experimentResultResponse },
      async handler({ params, body, principal, audit }) {
        await dependencies.ledger.flush();
        const recommendation = await findRecommendation(sources, params.id, dependencies.now());
        if (recommendation === null)
          throw new SignalboxError(
            'recommendation_not_found',
            `No recommendation ${params.id} in the last 90 days of traffic.`,
            { param: 'id' },
          );
        const name = body.policy ?? defaultExperimentPolicyName(recommendation);
        const trafficPct = body.traffic_pct ?? DEFAULT_TRAFFIC_PCT;
        const document = experimentPolicy(recommendation, name, trafficPct);
        const actor = {
          keyId: (principal ?? MASTER_PRINCIPAL).keyId,
          onCommit: (transaction: unknown, version: { version: number; action: string }) =>
            audit.within(transaction as SqlExecutor, {
              targetId: recommendation.id,
              after: {
                policy: name,
                version: version.version,
                policy_action: version.action,
                current_model: recommendation.currentModel,
                alternative: recommendation.alternative,
                traffic_pct: trafficPct,
              },
            }),
        };
        const stored: StoredPolicy = (await exists(policies, name))
          ? await policies.update(name, document, actor)
          : await policies.create(document, actor);
        return {
          recommendation_id: recommendation.id,
          model: `signalbox/${name}`,
          traffic_pct: trafficPct,
          results_path: `/admin/routing/policies/${name}/experiment`,
          policy: storedPolicyBody(stored),
        };
      },
    }),
  ];
}
