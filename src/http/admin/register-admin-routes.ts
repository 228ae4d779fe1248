/**
 * Mounts AdminRoute definitions on a Fastify scope (the `/admin` prefix is the caller's).
 * Each route carries its minimum role in its Fastify config, where the admin auth hook reads
 * it; validation happens in the route's own `handle` with zod, so Fastify's global validator
 * (and the chat hot path) is untouched.
 */
import type { FastifyInstance } from 'fastify';
import type { AdminRoute, AdminRouteServices } from './admin-route.ts';

export function registerAdminRoutes(
  scope: FastifyInstance,
  routes: readonly AdminRoute[],
  services: AdminRouteServices = { audit: null },
): void {
  if (!scope.hasRequestDecorator('principal')) scope.decorateRequest('principal', null);
  for (const route of routes) {
    if (route.mount !== undefined) {
      const { mount, minimumRole } = route;
      void scope.register((child, _options, done) => {
        child.addHook('onRoute', (options) => {
          options.config = { ...options.config, minimumRole };
        });
        mount(child);
        done();
      });
      continue;
    }
    scope.route({
      method: route.method,
      url: route.url,
      config: { minimumRole: route.minimumRole },
      handler: (request, reply) => route.handle(request, reply, services),
    });
  }
}
