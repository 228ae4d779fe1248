/**
 * OpenRouter's record of one generation (`GET /generation?id=`, openapi.yaml `getGeneration`,
 * docs/upstream-api-notes.md §1.9) read as a GenerationCost, for the cost reconciler: what an attempt that ended
 * without reporting its `usage.cost` was billed. Goes through the shared upstream client (same
 * pool, auth headers and error mapping as chat). The record appears a few seconds after the
 * generation ends: until then OpenRouter answers 404, read here as null ("not known yet").
 */
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { usdNumberToNanoUsd } from '../../pricing/cost.ts';
import type { CallOptions, GenerationCost } from '../provider-adapter.ts';
import { parseJsonSafely } from '../shared/map-upstream-error.ts';
import { createUpstreamClient } from '../shared/upstream-client.ts';
import { openRouterGenerationSchema } from './openrouter-api.ts';
import { parseOpenRouterError } from './openrouter-error.ts';

export interface OpenRouterGenerationOptions {
  /** e.g. `https://openrouter.ai/api/v1`, no trailing slash. */
  baseUrl: string;
  dispatcher: Dispatcher;
  /** Auth and attribution headers (the adapter's). */
  headers: () => Record<string, string>;
  /** Connect timeout of the pool; first byte, idle and total are capped for this small lookup. */
  timeouts: UpstreamTimeouts;
}

/** Longest a lookup may take, ms: it runs in the background and is retried. */
const LOOKUP_TIMEOUT_MS = 15_000;

/**
 * Returns the adapter's `fetchGeneration`: resolves the generation's cost, null when OpenRouter
 * does not know the id (404).
 * @throws SignalboxError `rate_limited` (with `retryAfterSeconds` from `retry-after`),
 *   `upstream_*` for other error answers and transport failures, `upstream_invalid_response` for
 *   a 2xx body that is not a generation record.
 */
export function createOpenRouterGenerationFetcher(
  options: OpenRouterGenerationOptions,
): (generationId: string, callOptions?: CallOptions) => Promise<GenerationCost | null> {
  const timeouts: UpstreamTimeouts = {
    connectMs: options.timeouts.connectMs,
    firstByteMs: Math.min(options.timeouts.firstByteMs, LOOKUP_TIMEOUT_MS),
    idleMs: Math.min(options.timeouts.idleMs, LOOKUP_TIMEOUT_MS),
    totalMs: LOOKUP_TIMEOUT_MS,
  };
  const { send, rejectWithError } = createUpstreamClient({
    dispatcher: options.dispatcher,
    headers: options.headers,
    timeouts,
    parseError: parseOpenRouterError,
  });
  return async (generationId, callOptions) => {
    const url = `${options.baseUrl}/generation?id=${encodeURIComponent(generationId)}`;
    const response = await send('GET', url, { accept: 'application/json' }, undefined, callOptions);
    if (response.status === 404) {
      response.drain();
      return null;
    }
    if (response.status < 200 || response.status >= 300) return rejectWithError(response);
    const parsed = openRouterGenerationSchema.safeParse(parseJsonSafely(await response.readBody()));
    if (!parsed.success) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'Upstream answered with something that is not a generation record.',
        { upstreamStatus: response.status },
      );
    }
    const data = parsed.data.data;
    return {
      generationId: data.id,
      costNanoUsd: usdNumberToNanoUsd(data.total_cost),
      promptTokens: data.native_tokens_prompt ?? data.tokens_prompt ?? null,
      completionTokens: data.native_tokens_completion ?? data.tokens_completion ?? null,
      reasoningTokens: data.native_tokens_reasoning ?? null,
      cachedTokens: data.native_tokens_cached ?? null,
      model: data.model ?? null,
      cancelled: data.cancelled ?? null,
    };
  };
}
