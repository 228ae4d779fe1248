/**
 * Upstream HTTP error → SignalboxError, for OpenAI-shaped error bodies
 * (`{"error":{"message","type","param","code"}}`, OpenAI error object) and OpenRouter's
 * (`{"error":{"code","message","metadata"}}`, docs errors-and-debugging.mdx; docs/upstream-api-notes.md §1.8).
 * The client-facing message is always "Upstream: " + a sanitised upstream message: URLs and
 * key-like tokens redacted, at most 500 characters; a body that is not JSON is never quoted.
 */
import { SignalboxError, type ErrorCode } from '../../contracts/errors.ts';

/** Response headers as undici gives them (lower-case names). */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What an adapter extracted from an upstream error body; every field optional. */
export interface UpstreamErrorDetails {
  /** `error.message`. */
  message?: string | null;
  /** Extra text worth showing, e.g. OpenRouter's `metadata.raw` for "Provider returned error". */
  detail?: string | null;
  /** The upstream flagged the content (OpenRouter 403 with `metadata.reasons`). */
  contentFiltered?: boolean;
}

const MAX_MESSAGE_LENGTH = 500;
const MAX_DETAIL_LENGTH = 300;
const URL_PATTERN = /https?:\/\/\S+/g;
const SECRET_PATTERNS = [/sk-[A-Za-z0-9_-]{8,}/g, /Bearer\s+\S+/gi];

/** The Signalbox code for an upstream HTTP status (docs/upstream-api-notes.md §1.8; OpenRouter spec error responses). */
export function errorCodeForStatus(status: number, contentFiltered = false): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'upstream_invalid_request';
    case 401:
      return 'upstream_auth_failed';
    case 402:
      return 'upstream_insufficient_credits';
    case 403:
      return contentFiltered ? 'upstream_content_filtered' : 'upstream_auth_failed';
    case 404:
      return 'model_not_found';
    case 408:
    case 524:
      return 'upstream_timeout';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limited';
    case 503:
      return 'upstream_unavailable';
    default:
      if (status >= 400 && status < 500) return 'upstream_invalid_request';
      // 500, 502, 529, other 5xx, and 3xx (redirects are never followed: a misconfigured base URL).
      return 'upstream_error';
  }
}

/**
 * Redacts URLs and key-like tokens, then truncates to 500 characters.
 * Redaction runs first so truncation can never leave the start of a secret behind.
 */
export function sanitizeUpstreamMessage(message: string): string {
  let safe = message.replace(URL_PATTERN, '[url]');
  for (const pattern of SECRET_PATTERNS) safe = safe.replace(pattern, '[redacted]');
  safe = safe.replace(/\s+/g, ' ').trim();
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

/**
 * Milliseconds to wait, at millisecond precision: `retry-after-ms` (OpenAI's header, ms, may be
 * fractional; rounded up to whole ms) wins over `retry-after` (delta-seconds, decimals accepted as
 * openai-node does, or an HTTP date, RFC 9110 § 10.2.3; a date in the past gives 0). Undefined
 * when absent or unparseable. A 200 ms hint stays 200 ms.
 * @param now ms since the epoch, for HTTP dates
 */
export function parseRetryAfterMs(
  headers: ResponseHeaders,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = firstHeader(headers, 'retry-after-ms');
  if (milliseconds !== undefined) {
    const trimmed = milliseconds.trim();
    if (DECIMAL_PATTERN.test(trimmed)) return Math.ceil(Number(trimmed));
  }
  const retryAfter = firstHeader(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const trimmed = retryAfter.trim();
  if (DECIMAL_PATTERN.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const DECIMAL_PATTERN = /^\d+(?:\.\d+)?$/;

/** The first value of a response header, by lower-case name. */
export function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds the SignalboxError for an upstream error answer.
 * @param status the upstream HTTP status (or the in-body `error.code` of a 200 answer)
 * @param details what the adapter read from the body (nothing when it was not JSON)
 */
export function mapUpstreamError(
  status: number,
  details: UpstreamErrorDetails,
  headers: ResponseHeaders = {},
): SignalboxError {
  const code = errorCodeForStatus(status, details.contentFiltered === true);
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfterMs(headers) : undefined;
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  return new SignalboxError(code, upstreamMessage(status, details), {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

function upstreamMessage(status: number, details: UpstreamErrorDetails): string {
  const message = typeof details.message === 'string' ? details.message.trim() : '';
  if (message === '') return `Upstream: HTTP ${status}`;
  const detail = typeof details.detail === 'string' ? details.detail.trim() : '';
  const full =
    detail !== '' && detail.length <= MAX_DETAIL_LENGTH ? `${message}: ${detail}` : message;
  return `Upstream: ${sanitizeUpstreamMessage(full)}`;
}

/**
 * Reads `error.message` from an OpenAI-shaped body (`{"error":{"message",…}}`). Accepts
 * anything; provider folders add what their bodies carry beyond that (openrouter-error.ts).
 */
export function readErrorDetails(body: unknown): UpstreamErrorDetails {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  return error !== null && typeof error.message === 'string' ? { message: error.message } : {};
}

/** Parses a JSON error body; a body that is not JSON yields `undefined` and is never quoted. */
export function parseJsonSafely(bytes: Buffer | string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The HTTP status an in-body error means: its numeric `code` when that is an error status, else 502. */
export function statusFromErrorCode(code: unknown): number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599
    ? code
    : 502;
}

/** The default `parseError` hook: status + JSON body (OpenAI or OpenRouter shape) → SignalboxError. */
export function mapUpstreamErrorResponse(
  status: number,
  body: Buffer,
  headers: ResponseHeaders,
): SignalboxError {
  return mapUpstreamError(status, readErrorDetails(parseJsonSafely(body)), headers);
}

/**
 * The error an in-band error chunk carries (OpenRouter's mid-stream shape
 * `{"error":{"code","message"}}`, whose `code` is an HTTP-like status as a number or a string;
 * the Anthropic and Gemini translators build the same shape), classified exactly as an HTTP
 * answer with that status would be. Undefined when the chunk carries no error.
 */
export function inBandChunkError(error: unknown): SignalboxError | undefined {
  if (!isRecord(error)) return undefined;
  const code =
    typeof error.code === 'string' && /^\d{3}$/.test(error.code) ? Number(error.code) : error.code;
  const message = typeof error.message === 'string' ? error.message : null;
  return mapUpstreamError(statusFromErrorCode(code), { message });
}

/** Plain-object guard shared by the lenient readers in this folder. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
