/**
 * Gemini error bodies (`google.rpc.Status`: `{"error":{"code","message","status","details"}}`)
 * → SignalboxError. The HTTP status decides the code (shared/map-upstream-error.ts);
 * `RESOURCE_EXHAUSTED` is `rate_limited`, and the wait comes from the `RetryInfo` detail's
 * `retryDelay` (a protobuf Duration such as `"34.4s"`, rounded up to whole seconds) when no
 * `retry-after` header says otherwise.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import {
  mapUpstreamError,
  parseJsonSafely,
  type ResponseHeaders,
} from '../shared/map-upstream-error.ts';
import { geminiErrorBodySchema } from './gemini-api.ts';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** Seconds from a Duration string (`"34.4s"`), rounded up; undefined when unparseable. */
export function parseRetryDelay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match === null ? undefined : Math.ceil(Number(match[1]));
}

/** The adapter's `parseError` hook: status + body bytes → SignalboxError (message sanitised). */
export function parseGeminiError(
  status: number,
  body: Buffer,
  headers: ResponseHeaders,
): SignalboxError {
  const parsed = geminiErrorBodySchema.safeParse(parseJsonSafely(body));
  const error = parsed.success ? parsed.data.error : undefined;
  const effectiveStatus = error?.status === 'RESOURCE_EXHAUSTED' ? 429 : status;
  const mapped = mapUpstreamError(effectiveStatus, { message: error?.message ?? null }, headers);
  const retryInfo = error?.details?.find((detail) => detail['@type'] === RETRY_INFO_TYPE);
  const retryDelay = parseRetryDelay(retryInfo?.retryDelay);
  const retryAfterSeconds = mapped.retryAfterSeconds ?? retryDelay;
  return new SignalboxError(mapped.code, mapped.message, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}
