/**
 * The Fastify server: size limits, JSON parsing that keeps the raw bytes, request ids,
 * key auth (the master key or a client key), routes under /v1, /api/v1 (OpenRouter's paths) and /admin, and one edge
 * error handler rendering OpenAI-shaped errors. No route builds its own error body; what the
 * HTTP parser refuses before a route exists is answered in the same shape by client-error.ts.
 * One access line per request (method, route pattern, status, duration, request id; never
 * content or keys); a client error is that one line with its `code`, a server error also gets
 * an error line with the cause's stack.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { parse as secureJsonParse } from 'secure-json-parse';
import { SignalboxError } from '../contracts/errors.ts';
import { bearerToken } from '../security/master-key.ts';
import type { PrincipalResolver } from '../security/principal-resolver.ts';
import { createClientErrorHandler } from './client-error.ts';
import { sendError } from './errors.ts';
import { createGracefulClose } from './graceful-close.ts';
import type { HttpDependencies } from './http-dependencies.ts';
import { registerAdminApi } from './admin/admin-api.ts';
import { registerDashboard } from './ui/serve-dashboard.ts';
import { registerChatCompletionsRoute } from './routes/chat-completions.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerModelsRoutes } from './routes/models.ts';
import { registerOpenRouterAccountRoutes } from './routes/openrouter-account.ts';
import { createRequestIdSource } from './request-id.ts';
import { registerRouteExplainRoute } from './routes/route-explain.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's original bytes (forwarded upstream unchanged when possible). */
    rawBody: Buffer | undefined;
    /** The error code the response carries, for the access line; null on success. */
    errorCode: string | null;
  }
  interface FastifyInstance {
    /**
     * Stops accepting, lets in-flight requests finish for up to `timeoutMs`, then destroys the
     * remaining connections (src/http/graceful-close.ts). Use instead of `close()`.
     * @returns how many handlers were still running at the forced close (0 = drained)
     */
    closeGracefully(timeoutMs: number): Promise<number>;
  }
}

/** How often Node checks the client timeouts, ms: often enough to honour short ones closely. */
function connectionsCheckingInterval(clientTimeoutMs: number): number {
  return Math.max(50, Math.min(1_000, Math.floor(clientTimeoutMs / 4)));
}

/**
 * The /v1 and /api/v1 scopes' auth: the master key (owner) or a client key. Admin and viewer
 * keys are for the admin API only.
 */
function authenticate(resolver: PrincipalResolver) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearerToken(request.headers.authorization);
    if (key === null)
      throw new SignalboxError(
        'missing_api_key',
        'Missing API key: send "Authorization: Bearer <key>".',
      );
    const principal = await resolver.resolve(key);
    if (principal === null) throw new SignalboxError('invalid_api_key', 'Invalid API key.');
    if (principal.role === 'admin' || principal.role === 'viewer')
      throw new SignalboxError(
        'permission_denied',
        `The key "${principal.name}" is a ${principal.role} key, for the admin API only; use a client key here.`,
      );
    request.principal = principal;
  };
}

/** Builds (does not start) the HTTP server. */
export function createHttpServer(dependencies: HttpDependencies): FastifyInstance {
  const { config } = dependencies;
  const graceful = createGracefulClose();
  const requestId = createRequestIdSource();
  const app = Fastify({
    loggerInstance: dependencies.logger,
    // Fastify's own request lines are off: the access line below is the HTTP layer's, and the
    // gateway writes one `chat request` line per chat request at settle.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    bodyLimit: config.bodyLimitBytes,
    // The whole request (headers and body) within SIGNALBOX_CLIENT_TIMEOUT_MS. Node checks
    // these only every `connectionsCheckingInterval` (default 30 s), so check more often.
    requestTimeout: config.clientRequestTimeoutMs,
    http: {
      headersTimeout: config.clientRequestTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingInterval(config.clientRequestTimeoutMs),
    },
    clientErrorHandler: createClientErrorHandler(dependencies.logger),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: (raw) => requestId(raw.headers['x-request-id']),
    // Our own onRequest hook answers 503 in the OpenAI shape (Fastify's would not).
    return503OnClosing: false,
  });

  app.decorate('closeGracefully', (timeoutMs: number) => graceful.close(app, timeoutMs));
  app.addHook('onRoute', (route) => {
    graceful.onRoute(route);
  });
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('errorCode', null);
  app.decorateRequest('principal', null);
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
    // On the raw response, so an answer written outside Fastify (a 408) carries it too.
    reply.raw.setHeader('x-request-id', request.id);
    graceful.track(reply.raw);
    reply.raw.once('close', () => {
      graceful.untrack(reply.raw);
      const finished = reply.raw.writableFinished;
      dependencies.metrics?.httpRequest(
        request.method,
        request.routeOptions.url ?? null,
        finished ? reply.raw.statusCode : 499,
        reply.elapsedTime,
      );
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          // 499 (client closed request) when the response could not be completed.
          status: finished ? reply.raw.statusCode : 499,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
          ...(request.errorCode === null ? {} : { code: request.errorCode }),
        },
        'request',
      );
    });
    if (graceful.closing && !request.url.startsWith('/health/')) {
      done(
        new SignalboxError(
          'server_shutting_down',
          'The server is shutting down; retry on another instance.',
        ),
      );
      return;
    }
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

  registerHealthRoutes(app, dependencies, () => graceful.closing);
  if (dependencies.metrics !== null) registerMetricsRoute(app, dependencies.metrics, dependencies);
  const api = (scope: FastifyInstance, _options: unknown, done: () => void): void => {
    scope.addHook('onRequest', authenticate(dependencies.principalResolver));
    registerChatCompletionsRoute(scope, dependencies);
    registerModelsRoutes(scope, dependencies);
    registerOpenRouterAccountRoutes(scope, dependencies);
    registerRouteExplainRoute(scope, dependencies);
    done();
  };
  void app.register(api, { prefix: '/v1' });
  void app.register(api, { prefix: '/api/v1' });
  void app.register(
    (scope, _options, done) => {
      registerAdminApi(scope, dependencies);
      done();
    },
    { prefix: '/admin' },
  );
  if (dependencies.dashboardDirectory !== null)
    registerDashboard(app, { directory: dependencies.dashboardDirectory });
  return app;
}
