/**
 * `POST /chat/completions` (mounted under /v1 and /api/v1): OpenAI Chat Completions with
 * OpenRouter's extensions. JSON answers are sent as the upstream's bytes; streams are relayed
 * event by event (src/http/sse-sink.ts). Client disconnects abort the upstream request.
 */
import type { FastifyInstance } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import { handleChat } from '../../gateway/index.ts';
import type { HttpDependencies } from '../http-dependencies.ts';
import { createSseSink, sendRawJson } from '../sse-sink.ts';

export function registerChatCompletionsRoute(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  app.post('/chat/completions', async (request, reply) => {
    const receivedAt = Date.now() - reply.elapsedTime;
    const controller = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) {
        controller.abort(
          new SignalboxError('client_closed_request', 'The client closed the connection.'),
        );
      }
    });
    const outcome = await handleChat(
      {
        body: request.body,
        ...(request.rawBody === undefined ? {} : { rawBody: request.rawBody }),
        requestId: request.id,
        signal: controller.signal,
        receivedAt,
      },
      createSseSink(reply),
      dependencies.gateway,
    );
    if (outcome.kind === 'json') {
      const headers: Record<string, string> = { 'x-signalbox-provider': outcome.provider };
      if (outcome.generationId !== null) headers['x-generation-id'] = outcome.generationId;
      sendRawJson(reply, outcome.body, headers);
    }
    return reply;
  });
}
