/**
 * `POST /v1/route/explain`: the routing decision a chat request would get, from the same
 * validate and plan stages as the real request, without admitting, calling any upstream or
 * writing the ledger. With the same state (catalogue, policies, circuits, latency data) the
 * real request then uses the same first target (test/e2e/route-explain.test.ts).
 */
import type { RoutingDecision } from '../contracts/routing-decision.ts';
import type { GatewayServices } from './gateway-services.ts';
import { createRequestContext, type ChatInput } from './handle-chat.ts';
import { routeOf } from './plan.ts';
import { authorize } from './authorize.ts';
import { validate } from './validate.ts';

/**
 * The decision, also when the request could not be routed (then `selected_model` is null and
 * `error` holds the error the real request gets).
 * @throws SignalboxError `invalid_request` / `invalid_json` for a body that is not a valid chat request
 */
export function explainRoute(input: ChatInput, services: GatewayServices): RoutingDecision {
  const context = createRequestContext(input, services);
  validate(context, null);
  authorize(context);
  return routeOf(context, services).decision;
}
