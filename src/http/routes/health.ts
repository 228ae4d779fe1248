/** `GET /health/live` (the process answers) and `GET /health/ready` (database reachable, catalogue loaded). */
import type { FastifyInstance } from 'fastify';
import type { HttpDependencies } from '../http-dependencies.ts';

export function registerHealthRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  app.get('/health/live', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const report = await dependencies.readiness();
    const body = {
      status: report.ready ? 'ready' : 'not_ready',
      mode: report.mode,
      ...(report.mode === 'demo'
        ? {
            notice:
              'demo mode: no OPENROUTER_API_KEY is set, so the built-in OpenRouter emulator answers every request',
          }
        : {}),
      database: report.database,
      catalogue: { models: report.catalogue.models, loaded_at: report.catalogue.loadedAt },
    };
    return reply.code(report.ready ? 200 : 503).send(body);
  });
}
