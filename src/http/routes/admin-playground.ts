/**
 * `POST /admin/playground/chat/completions`: the dashboard's playground chat. It is the very
 * chat-completions route of /v1 (same validation, routing, streaming, ledger), mounted under
 * /admin so a logged-in admin's session cookie and CSRF token authenticate it; /v1 keeps its
 * bearer-only hot path unchanged.
 */
import { z } from 'zod';
import { defineMountedAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import type { HttpDependencies } from '../http-dependencies.ts';
import { registerChatCompletionsRoute } from './chat-completions.ts';

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]),
});

/** The fields the playground sends; any other Chat Completions field passes through. */
const chatRequestSchema = z
  .looseObject({
    model: z.string(),
    messages: z.array(message),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
    temperature: z.number().optional(),
    max_tokens: z.number().int().optional(),
  })
  .meta({ id: 'ChatCompletionRequest' });

const chatCompletionSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z.looseObject({
        index: z.number(),
        message: z.looseObject({ role: z.string(), content: z.string().nullable() }),
        finish_reason: z.string().nullable(),
      }),
    ),
    usage: z
      .looseObject({
        prompt_tokens: z.number(),
        completion_tokens: z.number(),
        total_tokens: z.number(),
        cost: z.number().optional(),
      })
      .optional(),
  })
  .meta({ id: 'ChatCompletion' });

export function adminPlaygroundRoutes(dependencies: HttpDependencies): AdminRoute[] {
  return [
    defineMountedAdminRoute({
      method: 'POST',
      url: '/playground/chat/completions',
      summary: 'Playground chat: Chat Completions (JSON or SSE) for a logged-in admin',
      description:
        'Exactly `POST /v1/chat/completions`, authenticated by the admin API (session cookie + ' +
        '`x-csrf-token`, or a bearer key). Headers `x-signalbox-provider` and `x-request-id` ' +
        'name the provider and the ledger entry.',
      tags: ['playground'],
      minimumRole: 'admin',
      // A chat: the ledger records it, the audit log does not.
      readOnly: true,
      request: { body: chatRequestSchema },
      responses: {
        200: {
          description: 'A chat completion, or with `stream: true` an SSE stream of chunks.',
          content: {
            'application/json': chatCompletionSchema,
            'text/event-stream': z.string(),
          },
        },
      },
      mount(scope) {
        void scope.register(
          (child, _options, done) => {
            registerChatCompletionsRoute(child, dependencies);
            done();
          },
          { prefix: '/playground' },
        );
      },
    }),
  ];
}
