/**
 * Stage 2, plan: routing (src/routing/) turns the request into an ordered list of candidates
 * (provider instance × model) with the reasons for what it kept and dropped.
 */
import { SignalboxError } from '../contracts/errors.ts';
import { planRoute } from '../routing/plan-route.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/**
 * @throws SignalboxError `model_not_found` for a model the operator disabled,
 *   `upstream_unavailable` when no candidate is left (e.g. `provider.only` names nobody).
 */
export function plan(context: RequestContext, services: GatewayServices): void {
  if (context.body === null) throw new Error('plan before validate');
  const decision = planRoute(context.body.request, services.routing);
  context.decision = decision;
  if (decision.disabled) {
    throw new SignalboxError(
      'model_not_found',
      `The model "${decision.requestedModel.slice(0, 200)}" is disabled on this gateway.`,
      { param: 'model' },
    );
  }
  if (decision.candidates.length === 0) {
    throw new SignalboxError(
      'upstream_unavailable',
      'No upstream can serve this model with these provider preferences.',
    );
  }
}
