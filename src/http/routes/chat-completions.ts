/**
 * `POST /chat/completions` (mounted under /v1 and /api/v1): OpenAI Chat Completions with
 * OpenRouter's extensions. The pipeline (src/gateway/) writes the answer through the HTTP
 * ResponseWriter (src/http/chat-response-writer.ts). A client disconnect aborts the request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import { MASTER_PRINCIPAL } from '../../contracts/principal.ts';
import { handleChat } from '../../gateway/index.ts';
import { createChatResponseWriter } from '../chat-response-writer.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `x-signalbox-timeout-ms`: a whole number of ms ≥ 1. @throws SignalboxError `invalid_request`. */
function timeoutOf(request: FastifyRequest): number | undefined {
  const raw = header(request, 'x-signalbox-timeout-ms');
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < 1) {
    throw new SignalboxError(
      'invalid_request',
      'The x-signalbox-timeout-ms header must be a whole number of milliseconds (1 or more).',
      { param: 'x-signalbox-timeout-ms' },
    );
  }
  return value;
}

/** The client's own OpenRouter app attribution, forwarded instead of Signalbox's defaults. */
function attributionOf(request: FastifyRequest): { referer?: string; title?: string } | undefined {
  const referer = header(request, 'http-referer');
  const title = header(request, 'x-openrouter-title') ?? header(request, 'x-title');
  if (referer === undefined && title === undefined) return undefined;
  return {
    ...(referer === undefined ? {} : { referer }),
    ...(title === undefined ? {} : { title }),
  };
}

export function registerChatCompletionsRoute(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  app.post('/chat/completions', async (request, reply) => {
    const receivedAt = Date.now() - reply.elapsedTime;
    const timeoutMs = timeoutOf(request);
    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) {
        abort.abort(
          new SignalboxError('client_closed_request', 'The client closed the connection.'),
        );
      }
    });
    await handleChat(
      {
        body: request.body,
        rawBody: request.rawBody,
        requestId: request.id,
        abort,
        receivedAt,
        principal: request.principal ?? MASTER_PRINCIPAL,
        timeoutMs,
        attribution: attributionOf(request),
      },
      dependencies.gateway,
      createChatResponseWriter(request, reply),
    );
    return reply;
  });
}
