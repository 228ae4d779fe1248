/**
 * `POST /route/explain` (under /v1 and /api/v1, same auth as chat): the routing decision a chat
 * completion request would get (docs/routing.md), without calling any upstream or writing the
 * ledger. The body is a chat request; `x-signalbox-max-cost-usd` applies as for chat. A request
 * that could not be routed still gets its decision (200), with `error` set to what chat answers.
 */
import type { FastifyInstance } from 'fastify';
import { explainRoute } from '../../gateway/index.ts';
import { routeHeader } from '../../routing/route-header.ts';
import { chatInputOf } from '../chat-input.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

export function registerRouteExplainRoute(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  app.post('/route/explain', async (request, reply) => {
    const input = chatInputOf(request, Date.now(), new AbortController());
    const decision = explainRoute(input, dependencies.gateway);
    if (decision.error === null) reply.header('x-signalbox-route', routeHeader(decision));
    return decision;
  });
}
