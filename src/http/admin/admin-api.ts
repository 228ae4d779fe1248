/**
 * The whole admin API under /admin: every route definition in one list (`adminRoutes`), and
 * `registerAdminApi`, which mounts them behind the admin auth hook with the cookie parser
 * scoped to /admin (the /v1 hot path parses no cookies). New admin features add a module
 * returning `AdminRoute[]` and one line in `adminRoutes`.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDependencies } from '../http-dependencies.ts';
import { adminAlertRoutes } from '../routes/admin-alerts.ts';
import { adminAnalyticsRoutes } from '../routes/admin-analytics.ts';
import { adminAuditRoutes } from '../routes/admin-audit.ts';
import { adminCatalogRoutes } from '../routes/admin-catalog.ts';
import { adminKeyRoutes } from '../routes/admin-keys.ts';
import { adminPlaygroundRoutes } from '../routes/admin-playground.ts';
import { adminProviderRoutes } from '../routes/admin-providers.ts';
import { adminRecommendationRoutes } from '../routes/admin-recommendations.ts';
import { adminSettingsRoutes } from '../routes/admin-settings.ts';
import { adminRequestsRoutes } from '../routes/admin-requests.ts';
import { adminRoutingRoutes } from '../routes/admin-routing.ts';
import { adminSessionRoutes } from '../routes/admin-session.ts';
import { createAdminAuthHook } from './admin-auth.ts';
import { buildAdminOpenApi } from './admin-openapi.ts';
import { defineAdminRoute, type AdminRoute } from './admin-route.ts';
import { registerAdminRoutes } from './register-admin-routes.ts';

/** Every admin route, in documentation order. */
export function adminRoutes(dependencies: HttpDependencies): AdminRoute[] {
  const routes: AdminRoute[] = [
    ...adminSessionRoutes({
      resolver: dependencies.principalResolver,
      sessions: dependencies.sessions,
    }),
    ...adminRequestsRoutes(dependencies),
    ...adminCatalogRoutes(dependencies.catalogAdmin),
    ...adminPlaygroundRoutes(dependencies),
    ...adminRoutingRoutes(dependencies.routingAdmin),
    ...adminKeyRoutes(dependencies.keysAdmin),
    ...adminAuditRoutes(dependencies.audit),
    ...adminAnalyticsRoutes(dependencies.analyticsAdmin),
    ...adminAlertRoutes(dependencies.alertsAdmin),
    ...adminRecommendationRoutes(dependencies.recommendationsAdmin),
    ...adminProviderRoutes(dependencies.providerAdmin),
    ...adminSettingsRoutes(dependencies.settingsAdmin),
  ];
  let document: Record<string, unknown> | null = null;
  routes.push(
    defineAdminRoute({
      method: 'GET',
      url: '/openapi.json',
      summary: 'This document: the admin API as OpenAPI 3.1',
      tags: ['meta'],
      minimumRole: 'public',
      responses: { 200: z.record(z.string(), z.unknown()) },
      handler() {
        document ??= buildAdminOpenApi(routes, {
          title: 'Signalbox admin API',
          version: '1',
          description:
            'Everything under /admin. Authenticate with `Authorization: Bearer <key>` or the ' +
            'dashboard session cookie (mutations then need `x-csrf-token`). Each operation ' +
            'names its least role in `x-minimum-role`. Errors are OpenAI-shaped (ErrorBody).',
        });
        return document;
      },
    }),
  );
  return routes;
}

/** Mounts the admin API on the `/admin` scope. */
export function registerAdminApi(scope: FastifyInstance, dependencies: HttpDependencies): void {
  void scope.register(cookie);
  scope.decorateRequest('adminSession', null);
  scope.addHook(
    'onRequest',
    createAdminAuthHook({
      resolver: dependencies.principalResolver,
      sessions: dependencies.sessions,
    }),
  );
  registerAdminRoutes(scope, adminRoutes(dependencies), { audit: dependencies.audit });
}
