/**
 * `GET /health/live` (the process answers) and `GET /health/ready`: 200 `ready`, 200 `degraded`
 * while a provider instance or model cools down (each instance's circuit state is listed), 503
 * `not_ready` when the database is unreachable, no catalogue is loaded, or no provider instance
 * can serve anything, and 503 `shutting_down` from the moment shutdown begins, so a load
 * balancer stops sending before the listener closes.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpDependencies } from '../http-dependencies.ts';

export function registerHealthRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
  shuttingDown: () => boolean,
): void {
  app.get('/health/live', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    if (shuttingDown()) return reply.code(503).send({ status: 'shutting_down' });
    const report = await dependencies.readiness();
    const body = {
      status: report.ready ? (report.degraded ? 'degraded' : 'ready') : 'not_ready',
      mode: report.mode,
      ...(report.mode === 'demo'
        ? {
            notice:
              'demo mode: no OPENROUTER_API_KEY is set, so the built-in OpenRouter emulator answers every request',
          }
        : {}),
      database: report.database,
      catalogue: { models: report.catalogue.models, loaded_at: report.catalogue.loadedAt },
      providers: report.providers.map((provider) => ({
        id: provider.id,
        circuit: provider.state,
        provider_circuit: provider.providerState,
        open_targets: provider.openTargets,
        open_until: provider.openUntil,
      })),
      health_registry: report.healthRegistry,
      ...(report.limits === undefined ? {} : { limits: report.limits }),
    };
    return reply.code(report.ready ? 200 : 503).send(body);
  });
}
