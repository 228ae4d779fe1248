/**
 * OpenRouter's account routes for the key Signalbox itself uses: `GET /key` (the key's label,
 * limit and usage, spec `GetCurrentKeyResponse`) and `GET /credits` (total credits and usage in
 * USD, spec `getCredits`; OpenRouter requires a management key for it). Signalbox serves them
 * to drop-in OpenRouter apps under `/api/v1/key` and `/api/v1/credits`. In demo mode the base
 * URL is the built-in emulator's, which answers both.
 */
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { SignalboxError } from '../../contracts/errors.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { parseJsonSafely } from '../shared/map-upstream-error.ts';
import { sendRequest } from '../shared/upstream-http.ts';
import { parseOpenRouterError } from './openrouter-error.ts';

/** The account routes this function may fetch. */
export type OpenRouterAccountPath = '/key' | '/credits';

export interface OpenRouterAccountOptions {
  /** `sk-or-…`, the key whose account is read. */
  apiKey: string;
  /** OpenRouter's API base, e.g. `https://openrouter.ai/api/v1` (no trailing slash). */
  baseUrl: string;
  /** Connection pool; default undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** ms; a client waits on this. */
  timeouts: Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs' | 'totalMs'>;
  signal?: AbortSignal;
}

/**
 * Fetches one account route.
 * @returns the 2xx answer's body bytes, unchanged (a JSON object `{"data":{…}}`)
 * @throws SignalboxError `upstream_*` mapped like a chat request's upstream errors (401/403 →
 *   `upstream_auth_failed`, 429 → `rate_limited`, 5xx and transport failures → `upstream_*`),
 *   `upstream_invalid_response` when a 2xx body is not a JSON object.
 */
export async function fetchOpenRouterAccount(
  path: OpenRouterAccountPath,
  options: OpenRouterAccountOptions,
): Promise<Buffer> {
  const response = await sendRequest({
    dispatcher: options.dispatcher ?? getGlobalDispatcher(),
    method: 'GET',
    url: `${options.baseUrl}${path}`,
    headers: { accept: 'application/json', authorization: `Bearer ${options.apiKey}` },
    timeouts: options.timeouts,
    signal: options.signal,
  });
  const body = await response.readBody();
  if (response.status < 200 || response.status >= 300)
    throw parseOpenRouterError(response.status, body, response.headers);
  const parsed = parseJsonSafely(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SignalboxError(
      'upstream_invalid_response',
      `OpenRouter answered ${path} with something that is not a JSON object.`,
      { upstreamStatus: response.status },
    );
  }
  return body;
}
