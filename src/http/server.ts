/**
 * The Fastify server: size limits, JSON parsing that keeps the raw bytes, request ids,
 * master-key auth, routes under /v1, /api/v1 (OpenRouter's paths) and /admin, and one edge
 * error handler rendering OpenAI-shaped errors. No route builds its own error body.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { parse as secureJsonParse } from 'secure-json-parse';
import { SignalboxError } from '../contracts/errors.ts';
import { createRequestId } from '../lib/ids.ts';
import { bearerToken, verifyKey } from '../security/master-key.ts';
import { sendError } from './errors.ts';
import type { HttpDependencies } from './http-dependencies.ts';
import { registerAdminCatalogRoutes } from './routes/admin-catalog.ts';
import { registerAdminRequestsRoute } from './routes/admin-requests.ts';
import { registerAdminRoutingRoutes } from './routes/admin-routing.ts';
import { registerChatCompletionsRoute } from './routes/chat-completions.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerModelsRoutes } from './routes/models.ts';
import { registerRouteExplainRoute } from './routes/route-explain.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's original bytes (forwarded upstream unchanged when possible). */
    rawBody: Buffer | undefined;
  }
}

function authenticate(masterKeyHash: string) {
  return (request: FastifyRequest): Promise<void> => {
    const key = bearerToken(request.headers.authorization);
    if (key === null) {
      return Promise.reject(
        new SignalboxError(
          'missing_api_key',
          'Missing API key: send "Authorization: Bearer <key>".',
        ),
      );
    }
    if (!verifyKey(key, masterKeyHash))
      return Promise.reject(new SignalboxError('invalid_api_key', 'Invalid API key.'));
    return Promise.resolve();
  };
}

/** Builds (does not start) the HTTP server. */
export function createHttpServer(dependencies: HttpDependencies): FastifyInstance {
  const { config } = dependencies;
  const app = Fastify({
    loggerInstance: dependencies.logger,
    // One log line per chat request is written by the gateway (settle), not by Fastify.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.clientRequestTimeoutMs,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => createRequestId(),
    return503OnClosing: true,
  });

  app.decorateRequest('rawBody', undefined);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) {
      done(
        new SignalboxError('invalid_json', 'The request body is empty; send a JSON object.'),
        undefined,
      );
      return;
    }
    try {
      // Fastify's own prototype-poisoning protection (secure-json-parse), called directly so a
      // poisoned body gets its own clear error instead of "not valid JSON".
      done(null, secureJsonParse(bytes, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new SignalboxError(
        'route_not_found',
        `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      ),
      request,
      reply,
    ),
  );

  registerHealthRoutes(app, dependencies);
  const api = (scope: FastifyInstance, _options: unknown, done: () => void): void => {
    scope.addHook('onRequest', authenticate(dependencies.masterKeyHash));
    registerChatCompletionsRoute(scope, dependencies);
    registerModelsRoutes(scope, dependencies);
    registerRouteExplainRoute(scope, dependencies);
    done();
  };
  void app.register(api, { prefix: '/v1' });
  void app.register(api, { prefix: '/api/v1' });
  void app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticate(dependencies.masterKeyHash));
      registerAdminRequestsRoute(scope, dependencies);
      registerAdminCatalogRoutes(scope, dependencies.catalogAdmin);
      registerAdminRoutingRoutes(scope, dependencies.routingAdmin);
      done();
    },
    { prefix: '/admin' },
  );
  return app;
}
