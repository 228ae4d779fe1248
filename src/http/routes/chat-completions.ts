/**
 * `POST /chat/completions` (mounted under /v1 and /api/v1): OpenAI Chat Completions with
 * OpenRouter's extensions. The pipeline (src/gateway/) writes the answer through the HTTP
 * ResponseWriter (src/http/chat-response-writer.ts). A client disconnect aborts the request.
 */
import type { FastifyInstance } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import { handleChat } from '../../gateway/index.ts';
import { chatInputOf } from '../chat-input.ts';
import { createChatResponseWriter } from '../chat-response-writer.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

export function registerChatCompletionsRoute(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  app.post('/chat/completions', async (request, reply) => {
    // When the request arrived, in whole ms never before the true arrival: Date.now() is
    // truncated, so subtracting the exact elapsed time could land up to 1 ms early, and a
    // request sent just after a client's `from=` time would be listed before it.
    const receivedAt = Date.now() - Math.floor(reply.elapsedTime);
    const abort = new AbortController();
    const input = chatInputOf(request, receivedAt, abort);
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) {
        abort.abort(
          new SignalboxError('client_closed_request', 'The client closed the connection.'),
        );
      }
    });
    await handleChat(input, dependencies.gateway, createChatResponseWriter(request, reply));
    return reply;
  });
}
