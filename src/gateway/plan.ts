/**
 * Stage 2, plan: routing (src/routing/) turns the request into a RoutePlan — the ordered targets
 * (provider instance × model) and the inspectable decision — and the `x-signalbox-route` header
 * names the first choice (execute updates it when a fallback serves).
 */
import { planRoute } from '../routing/plan-route.ts';
import { routeHeader } from '../routing/route-header.ts';
import type { RoutePlan } from '../routing/route-plan.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/** The plan for the context's validated request (also what `POST /v1/route/explain` returns). */
export function routeOf(context: RequestContext, services: GatewayServices): RoutePlan {
  if (context.body === null) throw new Error('plan before validate');
  const { keyId } = context.principal;
  return planRoute(
    {
      request: context.body.request,
      stream: context.stream,
      maxCostUsd: context.maxCostUsd,
      keyId: keyId === 'master' ? null : keyId,
      now: services.now(),
    },
    services.routing,
  );
}

/**
 * @throws SignalboxError when the request cannot be routed: `model_not_found` (unknown policy,
 *   disabled model), `unsupported_capability`, `cost_limit_exceeded`, `upstream_unavailable`,
 *   `invalid_request`. The decision is kept in the context either way (the ledger stores it).
 */
export function plan(context: RequestContext, services: GatewayServices): void {
  const planned = routeOf(context, services);
  context.plan = planned;
  // Also on a request routing refuses (`provider=none`), so every routed response says how.
  context.responseHeaders['x-signalbox-route'] = routeHeader(planned.decision);
  if (planned.failure !== null) throw planned.failure;
}
