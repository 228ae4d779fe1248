/**
 * Anthropic error bodies (`{"type":"error","error":{"type","message"},"request_id"}`, docs
 * "Errors") → SignalboxError. The HTTP status decides the code (shared/map-upstream-error.ts),
 * except `overloaded_error` (HTTP 529), which is a temporary capacity problem: reported as
 * `upstream_unavailable` so the gateway may fall back. In-stream `error` events carry only the
 * type; `statusForAnthropicErrorType` gives the HTTP status the docs pair with it.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import {
  mapUpstreamError,
  parseJsonSafely,
  type ResponseHeaders,
} from '../shared/map-upstream-error.ts';
import { anthropicErrorBodySchema } from './anthropic-api.ts';

const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The HTTP status Anthropic documents for an error `type`; 502 for an unknown one. */
export function statusForAnthropicErrorType(type: string | undefined): number {
  return type !== undefined && Object.hasOwn(STATUS_BY_ERROR_TYPE, type)
    ? (STATUS_BY_ERROR_TYPE[type] ?? 502)
    : 502;
}

/** The adapter's `parseError` hook: status + body bytes → SignalboxError (message sanitised). */
export function parseAnthropicError(
  status: number,
  body: Buffer,
  headers: ResponseHeaders,
): SignalboxError {
  const parsed = anthropicErrorBodySchema.safeParse(parseJsonSafely(body));
  const error = parsed.success ? parsed.data.error : undefined;
  const mapped = mapUpstreamError(status, { message: error?.message ?? null }, headers);
  if (error?.type !== 'overloaded_error' && status !== 529) return mapped;
  return new SignalboxError('upstream_unavailable', mapped.message, {
    upstreamStatus: status,
    ...(mapped.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: mapped.retryAfterSeconds }),
  });
}
