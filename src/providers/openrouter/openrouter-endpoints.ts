/**
 * A model's per-provider endpoints from OpenRouter (`GET /models/{author}/{slug}/endpoints`,
 * spec `ListEndpointsResponse`, docs/upstream-api-notes.md §1.3), fetched on demand for the admin model
 * detail — never in the bulk sync, which would be one call per model — with a short cache.
 */
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { SignalboxError } from '../../contracts/errors.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { parseEndpointsResponse, type ModelEndpoint } from '../../catalog/parse-endpoints.ts';
import { parseJsonSafely } from '../shared/map-upstream-error.ts';
import { sendRequest } from '../shared/upstream-http.ts';
import { parseOpenRouterError } from './openrouter-error.ts';

export interface OpenRouterEndpointsOptions {
  /** OpenRouter's API base, e.g. `https://openrouter.ai/api/v1` (no trailing slash). */
  baseUrl: string;
  /**
   * The route is public; with a key OpenRouter also fills in latency and throughput
   * percentiles (null for unauthenticated callers, spec `PercentileStats`).
   */
  apiKey: string | null;
  /** Connection pool; default undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** ms; keep them short, an admin page waits on this. */
  timeouts: Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs' | 'totalMs'>;
}

/** `openai/gpt-4o` → `/models/openai/gpt-4o/endpoints`, each segment percent-encoded. */
function endpointsPath(modelId: string): string {
  return `/models/${modelId.split('/').map(encodeURIComponent).join('/')}/endpoints`;
}

/**
 * Fetches and parses a model's endpoints.
 * @param modelId a catalogue id (`author/slug`, variants such as `:free` included)
 * @returns the endpoints, or null when OpenRouter does not know the model (404)
 * @throws SignalboxError `upstream_*` for transport failures and error answers (via the
 *   OpenRouter error mapping), `upstream_invalid_response` for a body that is not an endpoints answer.
 */
export async function fetchOpenRouterEndpoints(
  options: OpenRouterEndpointsOptions,
  modelId: string,
): Promise<ModelEndpoint[] | null> {
  const response = await sendRequest({
    dispatcher: options.dispatcher ?? getGlobalDispatcher(),
    method: 'GET',
    url: `${options.baseUrl}${endpointsPath(modelId)}`,
    headers: {
      accept: 'application/json',
      ...(options.apiKey === null ? {} : { authorization: `Bearer ${options.apiKey}` }),
    },
    timeouts: options.timeouts,
  });
  const body = await response.readBody();
  if (response.status === 404) return null;
  if (response.status < 200 || response.status >= 300)
    throw parseOpenRouterError(response.status, body, response.headers);
  try {
    return parseEndpointsResponse(parseJsonSafely(body));
  } catch (error) {
    throw new SignalboxError(
      'upstream_invalid_response',
      'OpenRouter answered with something that is not an endpoints list.',
      { upstreamStatus: response.status, cause: error },
    );
  }
}

export interface ModelEndpointsCacheOptions {
  /** How long an answer (endpoints or a 404's null) is kept, ms. */
  ttlMs: number;
  /** Most models kept; the oldest answer is dropped first. Default 1 000. */
  maxEntries?: number;
  /** ms clock; default `Date.now`. */
  now?: () => number;
}

/**
 * Wraps an endpoints fetch with a per-model cache. Concurrent calls for one model share a
 * fetch; failures are not cached, so the next call tries again.
 */
export function cacheModelEndpoints(
  fetchEndpoints: (modelId: string) => Promise<ModelEndpoint[] | null>,
  options: ModelEndpointsCacheOptions,
): (modelId: string) => Promise<ModelEndpoint[] | null> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000;
  const cache = new Map<string, { expiresAt: number; answer: Promise<ModelEndpoint[] | null> }>();
  return (modelId) => {
    const cached = cache.get(modelId);
    if (cached !== undefined && cached.expiresAt > now()) return cached.answer;
    cache.delete(modelId);
    const answer = fetchEndpoints(modelId);
    const entry = { expiresAt: now() + options.ttlMs, answer };
    cache.set(modelId, entry);
    answer.catch(() => {
      if (cache.get(modelId) === entry) cache.delete(modelId);
    });
    // Map keeps insertion order, so the first key is the oldest answer.
    for (const key of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(key);
    }
    return answer;
  };
}
