/**
 * A recommendation as a routing experiment (docs/decisions/0019-recommendations.md): a policy
 * whose `control` variant keeps the current model and whose `candidate` variant tries the
 * alternative first, falling back to the current model — so a failure of the alternative costs
 * the client nothing and shows as the variant's fallback rate. The existing experiment report
 * (`GET /admin/routing/policies/{name}/experiment`) then measures cost, latency and errors per
 * variant. Pure.
 */
import type { RoutingPolicy } from '../routing/policy-schema.ts';
import type { Recommendation } from './recommendations.ts';

/** Share of the traffic the alternative gets when the caller does not say, percent. */
export const DEFAULT_TRAFFIC_PCT = 10;

/** The policy name used when the caller names none: `rec-` + 12 hex of the id. */
export function defaultExperimentPolicyName(recommendation: Pick<Recommendation, 'id'>): string {
  return `rec-${recommendation.id.replace(/^rec_/, '').slice(0, 12)}`;
}

function scopeText(recommendation: Recommendation): string {
  const parts = [
    recommendation.keyId === null ? null : `key ${recommendation.keyId}`,
    recommendation.projectId === null ? null : `project ${recommendation.projectId}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? 'all callers' : parts.join(', ');
}

/**
 * The experiment policy document.
 * @param trafficPct share of the traffic for the alternative, (0, 100]
 */
export function experimentPolicy(
  recommendation: Recommendation,
  name: string,
  trafficPct: number,
): RoutingPolicy {
  const current = { model: recommendation.currentModel };
  const alternative = { model: recommendation.alternative };
  return {
    name,
    description:
      `Experiment from recommendation ${recommendation.id} (${scopeText(recommendation)}): ` +
      `${recommendation.currentModel} (control) against ${recommendation.alternative} ` +
      `(candidate, ${String(trafficPct)} % of traffic, falling back to the control model).`,
    candidates: [current],
    strategy: 'ordered',
    variants: [
      { name: 'control', weight: 100 - trafficPct, candidates: [current] },
      { name: 'candidate', weight: trafficPct, candidates: [alternative, current] },
    ],
  };
}
