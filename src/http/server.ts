/**
 * The Fastify server: size limits, JSON parsing that keeps the raw bytes, request ids,
 * master-key auth, routes under /v1, /api/v1 (OpenRouter's paths) and /admin, and one edge
 * error handler rendering OpenAI-shaped errors. No route builds its own error body.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SignalboxError } from '../contracts/errors.ts';
import { createRequestId } from '../lib/ids.ts';
import { bearerToken, verifyKey } from '../security/master-key.ts';
import { toHttpError } from './errors.ts';
import type { HttpDependencies } from './http-dependencies.ts';
import { registerAdminRequestsRoute } from './routes/admin-requests.ts';
import { registerChatCompletionsRoute } from './routes/chat-completions.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerModelsRoutes } from './routes/models.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's original bytes (forwarded upstream unchanged when possible). */
    rawBody: Buffer | undefined;
  }
}

function authenticate(masterKeyHash: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearerToken(request.headers.authorization);
    if (key === null) {
      throw new SignalboxError('missing_api_key', 'Missing API key: send "Authorization: Bearer <key>".');
    }
    if (!verifyKey(key, masterKeyHash)) throw new SignalboxError('invalid_api_key', 'Invalid API key.');
  };
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = toHttpError(error);
  request.log[failure.logLevel]({ code: failure.code, status: failure.status, err: failure.cause ?? failure }, failure.message);
  if (failure.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(failure.retryAfterSeconds)));
  return reply.code(failure.status).type('application/json').send(failure.toBody());
}

/** Builds (does not start) the HTTP server. */
export function createHttpServer(dependencies: HttpDependencies): FastifyInstance {
  const { config } = dependencies;
  const app = Fastify({
    loggerInstance: dependencies.logger,
    disableRequestLogging: true,
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.clientRequestTimeoutMs,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => createRequestId(),
    requestIdLogLabel: 'requestId',
    return503OnClosing: true,
  });

  app.decorateRequest('rawBody', undefined);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    parseJson(request, bytes.toString('utf8'), done);
  });
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(new SignalboxError('route_not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`), request, reply),
  );

  registerHealthRoutes(app, dependencies);
  const api = async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRequest', authenticate(dependencies.masterKeyHash));
    registerChatCompletionsRoute(scope, dependencies);
    registerModelsRoutes(scope, dependencies);
  };
  void app.register(api, { prefix: '/v1' });
  void app.register(api, { prefix: '/api/v1' });
  void app.register(
    async (scope) => {
      scope.addHook('onRequest', authenticate(dependencies.masterKeyHash));
      registerAdminRequestsRoute(scope, dependencies);
    },
    { prefix: '/admin' },
  );
  return app;
}
