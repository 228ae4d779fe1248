/**
 * `GET /metrics`: the Prometheus exposition (src/usage/prometheus-metrics.ts) on the main port,
 * for an admin credential (any admin role: `Authorization: Bearer <key>`), and
 * `startMetricsServer`: the same text WITHOUT auth on its own port (SIGNALBOX_METRICS_PORT),
 * for a scraper inside a private network.
 */
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import { bearerToken } from '../../security/master-key.ts';
import type { PrometheusMetrics } from '../../usage/prometheus-metrics.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

/** Mounts `GET /metrics`, admin roles only (client keys get 403 `permission_denied`). */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: PrometheusMetrics,
  dependencies: Pick<HttpDependencies, 'principalResolver'>,
): void {
  app.get('/metrics', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token === null)
      throw new SignalboxError(
        'missing_api_key',
        'Missing API key: send "Authorization: Bearer <key>".',
      );
    const principal = await dependencies.principalResolver.resolve(token);
    if (principal === null) throw new SignalboxError('invalid_api_key', 'Invalid API key.');
    if (principal.role === 'client')
      throw new SignalboxError('permission_denied', 'Metrics need an admin key.');
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}

/**
 * Serves `GET /metrics` without auth on `port` (0 = any free port) at `host`; every other path
 * is 404. Resolves once listening, with the server and its port.
 * @throws the listen error (port in use).
 */
export async function startMetricsServer(
  metrics: PrometheusMetrics,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType }).end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : port };
}
