/**
 * The health probe both base adapters use: one cheap GET with short timeouts. Never rejects:
 * a refused, failed or non-2xx answer is reported as `ok: false` with the Signalbox error code.
 */
import type { UpstreamTimeouts } from '../../config/config.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { HealthStatus } from '../provider-adapter.ts';
import type { ResponseHeaders } from './map-upstream-error.ts';
import type { UpstreamResponse } from './upstream-http.ts';

/**
 * @param get sends the probe with the given timeouts (all `timeoutMs`).
 * @param parseError maps a non-2xx answer to the adapter's SignalboxError.
 */
export async function probeHealth(
  get: (timeouts: UpstreamTimeouts) => Promise<UpstreamResponse>,
  parseError: (status: number, body: Buffer, headers: ResponseHeaders) => SignalboxError,
  timeoutMs: number,
): Promise<HealthStatus> {
  const timeouts = {
    connectMs: timeoutMs,
    firstByteMs: timeoutMs,
    idleMs: timeoutMs,
    totalMs: timeoutMs,
  };
  const startedAt = performance.now();
  const latencyMs = (): number => Math.round(performance.now() - startedAt);
  try {
    const response = await get(timeouts);
    const bytes = await response.readBody();
    if (response.status >= 200 && response.status < 300)
      return { ok: true, latencyMs: latencyMs() };
    const error = parseError(response.status, bytes, response.headers);
    return {
      ok: false,
      latencyMs: latencyMs(),
      message: `${error.code}: upstream answered HTTP ${response.status}`,
    };
  } catch (error) {
    const message =
      error instanceof SignalboxError ? `${error.code}: ${error.message}` : 'Health check failed.';
    return { ok: false, latencyMs: latencyMs(), message };
  }
}
