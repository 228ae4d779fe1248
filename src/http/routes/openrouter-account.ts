/**
 * OpenRouter's account routes, for drop-in OpenRouter apps (mounted under /api/v1 and /v1,
 * master key required):
 * - `GET /generation?id=` answers from the ledger, for requests this Signalbox served, in
 *   OpenRouter's `GenerationResponse` shape (openapi.yaml, GET /generation). Fields Signalbox
 *   does not know are null; `total_cost`/`usage` are USD and null when the cost is unknown
 *   (never 0 for unknown, although the spec types them as numbers); `provider_name` is the
 *   Signalbox provider id that served it; `request_id` the Signalbox request id.
 * - `GET /key` and `GET /credits` are OpenRouter's answers for the key Signalbox uses, passed
 *   through unchanged (the built-in emulator's in demo mode).
 */
import type { FastifyInstance } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import type { RequestRecord } from '../../contracts/ledger.ts';
import { nanoToUsdNumber } from '../../pricing/decimal.ts';
import type { HttpDependencies } from '../http-dependencies.ts';

/** `2026-05-12T10:00:00.000+00:00`, the spec's `created_at` style. */
function timestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** A ledger request as OpenRouter's `GenerationResponse.data`. */
export function generationBody(record: RequestRecord): Record<string, unknown> {
  const cost = record.costNanoUsd === null ? null : nanoToUsdNumber(record.costNanoUsd);
  const final = record.attempts.at(-1);
  return {
    id: record.generationId,
    upstream_id: null,
    total_cost: cost,
    cache_discount: null,
    upstream_inference_cost: null,
    created_at: timestamp(record.createdAt),
    model: record.servedModel ?? record.model,
    app_id: null,
    streamed: record.stream,
    cancelled: record.status === 'client_closed_request',
    provider_name: record.provider,
    latency: record.latencyMs,
    moderation_latency: null,
    generation_time:
      final === undefined || final.ttftMs === null ? null : final.latencyMs - final.ttftMs,
    finish_reason: null,
    native_finish_reason: null,
    service_tier: null,
    tokens_prompt: record.promptTokens,
    tokens_completion: record.completionTokens,
    native_tokens_prompt: record.promptTokens,
    native_tokens_completion: record.completionTokens,
    native_tokens_completion_images: null,
    native_tokens_reasoning: record.reasoningTokens,
    native_tokens_cached: record.cachedTokens,
    num_media_prompt: null,
    num_input_audio_prompt: null,
    num_media_completion: null,
    num_search_results: null,
    num_fetches: null,
    web_search_engine: null,
    origin: '',
    usage: cost,
    is_byok: false,
    external_user: null,
    api_type: 'completions',
    preset_id: null,
    router: null,
    provider_responses: null,
    user_agent: null,
    http_referer: null,
    // Required and non-null in the spec; Signalbox does not restrict where data goes.
    data_region: 'global',
    request_id: record.id,
    session_id: null,
    response_cache_source_id: null,
    workspace_id: null,
  };
}

export function registerOpenRouterAccountRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  app.get<{ Querystring: { id?: string } }>('/generation', async (request) => {
    const id = request.query.id;
    if (typeof id !== 'string' || id === '') {
      throw new SignalboxError('invalid_request', '"id" (a generation id) is required.', {
        param: 'id',
      });
    }
    const { ledgerRepository } = dependencies;
    let record = await ledgerRepository.findByGenerationId(id);
    if (record === null) {
      // Read-your-writes: the row may still be in the journal (ADR 0003).
      await dependencies.ledger.flush();
      record = await ledgerRepository.findByGenerationId(id);
    }
    if (record === null) {
      throw new SignalboxError(
        'generation_not_found',
        `No request served by this gateway has the generation id "${id.slice(0, 200)}".`,
        { param: 'id' },
      );
    }
    return { data: generationBody(record) };
  });
  for (const path of ['/key', '/credits'] as const) {
    app.get(path, async (_request, reply) => {
      const body = await dependencies.openRouterAccount(path);
      return reply.type('application/json').send(body);
    });
  }
}
