/**
 * `GET /models` and `GET /models/{id}` (under /v1 and /api/v1): OpenAI's list shape, each
 * model also carrying OpenRouter's fields (pricing, context_length, architecture,
 * supported_parameters, top_provider). Bodies are serialised once per catalogue load.
 */
import type { FastifyInstance } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

export function registerModelsRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  app.get('/models', async (_request, reply) => {
    return reply.type('application/json').send(dependencies.catalog().listBody);
  });
  app.get<{ Params: { '*': string } }>('/models/*', async (request, reply) => {
    const id = decodeURIComponent(request.params['*']);
    const body = dependencies.catalog().modelBody(id);
    if (body === undefined) {
      throw new SignalboxError(
        'model_not_found',
        `The model "${id.slice(0, 200)}" does not exist in the catalogue.`,
        { param: 'model' },
      );
    }
    return reply.type('application/json').send(body);
  });
}
