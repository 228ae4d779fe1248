/**
 * The cost stage: each remaining target's estimated cost for this request, then the cap — the
 * stricter of the `x-signalbox-max-cost-usd` header and the policy's `max_cost_usd`. A target whose
 * worst case (estimated prompt + the longest answer allowed) is above the cap is excluded
 * (`over_cost_cap`), and so is an unpriced one, whose cost cannot be bounded (`cost_unknown`).
 */
import type { CostEstimate } from '../contracts/routing-decision.ts';
import type { Target } from './candidate-filters.ts';
import type { DecisionDraft } from './decision-draft.ts';
import { estimateCost } from './estimates.ts';
import type { RequestRequirements } from './request-requirements.ts';
import type { RouteInput } from './route-plan.ts';
import { resolveModel, type RoutingCatalog } from './routing-catalog.ts';

/** A target with its cost for this request (USD; null when unpriced). */
export interface Priced {
  target: Target;
  cost: CostEstimate | null;
}

export interface CostCap {
  usd: number;
  source: 'header' | 'policy';
}

/** The cap in force: the stricter of the header and the policy; null when neither sets one. */
export function costCap(headerUsd: number | null, policyUsd: number | null): CostCap | null {
  if (headerUsd === null && policyUsd === null) return null;
  if (policyUsd === null || (headerUsd !== null && headerUsd <= policyUsd))
    return { usd: headerUsd ?? 0, source: 'header' };
  return { usd: policyUsd, source: 'policy' };
}

/** With OpenRouter's `models` list any listed model may serve: the worst case is the largest. */
function modelsListCost(
  request: RouteInput['request'],
  catalog: RoutingCatalog,
  first: CostEstimate | null,
  target: Target,
  requirements: RequestRequirements,
): CostEstimate | null {
  if (first === null || request.models === undefined) return first;
  let max = first.max;
  for (const id of request.models) {
    const info = resolveModel(catalog, id).model;
    const cost = estimateCost({ ...target, model: id, native: id, info }, requirements);
    if (cost === null) return null;
    max = Math.max(max, cost.max);
  }
  return { ...first, max };
}

/** Every target with its cost. */
export function priceTargets(
  targets: readonly Target[],
  request: RouteInput['request'],
  catalog: RoutingCatalog,
  requirements: RequestRequirements,
): Priced[] {
  return targets.map((target) => ({
    target,
    cost: modelsListCost(
      request,
      catalog,
      estimateCost(target, requirements),
      target,
      requirements,
    ),
  }));
}

/**
 * The targets within the cap; the others are excluded in the draft. `cheapest` is the excluded
 * target with the lowest worst case (for the error), null when none was priced.
 */
export function applyCostCap(
  priced: readonly Priced[],
  cap: CostCap,
  draft: DecisionDraft,
): { kept: Priced[]; cheapest: { model: string; provider: string; cost: CostEstimate } | null } {
  const kept: Priced[] = [];
  let cheapest: { model: string; provider: string; cost: CostEstimate } | null = null;
  for (const entry of priced) {
    const { target, cost } = entry;
    if (cost === null) {
      draft.excludeOne(
        target.model,
        target.provider,
        'cost_unknown',
        () => `${target.model} is unpriced: its cost cannot be capped.`,
      );
    } else if (cost.max > cap.usd) {
      if (cheapest === null || cost.max < cheapest.cost.max)
        cheapest = { model: target.model, provider: target.provider, cost };
      draft.excludeOne(
        target.model,
        target.provider,
        'over_cost_cap',
        () =>
          `${target.model} may cost up to $${cost.max.toPrecision(3)}, above the $${cap.usd} cap.`,
      );
    } else kept.push(entry);
  }
  return { kept, cheapest };
}
