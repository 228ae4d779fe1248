/**
 * `POST /admin/providers/{id}/test`: what the test checks against one provider instance — its
 * model list (reachable, and with the model count) and, for OpenRouter, that `/key` accepts the
 * key (authenticated). Every step has a 10 s timeout.
 */
import type { Dispatcher } from 'undici';
import { SignalboxError } from '../../contracts/errors.ts';
import { fetchOpenRouterAccount, type ProviderInstance } from '../../providers/index.ts';
import type { ProviderTestResult } from './provider-schemas.ts';

const TEST_TIMEOUT_MS = 10_000;

/**
 * Tests `instance` (reached with `target`'s key, base URL and dispatcher: undefined = the global
 * one). Never throws for upstream failures: they are the result's `error` (`{code, message}`).
 */
export async function testProviderInstance(
  instance: ProviderInstance,
  target: {
    apiKey: string | null;
    baseUrl: string;
    dispatcher: Dispatcher | undefined;
  },
): Promise<ProviderTestResult> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  const timeouts = { firstByteMs: TEST_TIMEOUT_MS, totalMs: TEST_TIMEOUT_MS };
  const failure = (error: unknown): { code: string; message: string } =>
    error instanceof SignalboxError
      ? { code: error.code, message: error.message }
      : { code: 'internal_error', message: 'The test failed.' };
  let modelCount: number;
  try {
    modelCount = (await instance.adapter.listModels({ timeouts })).length;
  } catch (error) {
    const code = error instanceof SignalboxError ? error.code : 'internal_error';
    const reached =
      code !== 'upstream_unavailable' && code !== 'upstream_timeout' && code !== 'internal_error';
    return {
      id: instance.id,
      ok: false,
      reachable: reached,
      authenticated: code === 'upstream_auth_failed' ? false : null,
      model_count: null,
      latency_ms: elapsed(),
      error: failure(error),
    };
  }
  const latency = elapsed();
  // OpenRouter lists models without a key: its /key answers only to a valid one.
  if (instance.kind === 'openrouter' && target.apiKey !== null) {
    try {
      await fetchOpenRouterAccount('/key', {
        apiKey: target.apiKey,
        baseUrl: target.baseUrl,
        ...(target.dispatcher === undefined ? {} : { dispatcher: target.dispatcher }),
        timeouts: {
          firstByteMs: TEST_TIMEOUT_MS,
          idleMs: TEST_TIMEOUT_MS,
          totalMs: TEST_TIMEOUT_MS,
        },
      });
    } catch (error) {
      return {
        id: instance.id,
        ok: false,
        reachable: true,
        authenticated: false,
        model_count: modelCount,
        latency_ms: latency,
        error: failure(error),
      };
    }
    return {
      id: instance.id,
      ok: true,
      reachable: true,
      authenticated: true,
      model_count: modelCount,
      latency_ms: latency,
      error: null,
    };
  }
  return {
    id: instance.id,
    ok: true,
    reachable: true,
    // Vendors' model lists need the key; a keyless local server checks nothing.
    authenticated: target.apiKey === null ? null : true,
    model_count: modelCount,
    latency_ms: latency,
    error: null,
  };
}
