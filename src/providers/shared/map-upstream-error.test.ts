import { describe, expect, it } from 'vitest';
import { readFixture } from './__fixtures__/upstream-test-server.ts';
import {
  errorCodeForStatus,
  mapUpstreamError,
  mapUpstreamErrorResponse,
  parseRetryAfterMs,
  sanitizeUpstreamMessage,
} from './map-upstream-error.ts';

describe('errorCodeForStatus', () => {
  it.each([
    [400, 'upstream_invalid_request'],
    [422, 'upstream_invalid_request'],
    [401, 'upstream_auth_failed'],
    [403, 'upstream_auth_failed'],
    [402, 'upstream_insufficient_credits'],
    [404, 'model_not_found'],
    [408, 'upstream_timeout'],
    [524, 'upstream_timeout'],
    [413, 'request_too_large'],
    [429, 'rate_limited'],
    [500, 'upstream_error'],
    [502, 'upstream_error'],
    [529, 'upstream_error'],
    [503, 'upstream_unavailable'],
    [599, 'upstream_error'],
    [409, 'upstream_invalid_request'],
    [301, 'upstream_error'],
  ])('%i → %s', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });

  it('maps a 403 with moderation metadata to upstream_content_filtered', () => {
    expect(errorCodeForStatus(403, true)).toBe('upstream_content_filtered');
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('keeps retry-after-ms in milliseconds and prefers it to retry-after', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': '200' }, now)).toBe(200);
    expect(parseRetryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(parseRetryAfterMs({ 'retry-after-ms': '0.4' }, now)).toBe(1);
    expect(parseRetryAfterMs({ 'retry-after-ms': ['250', '900'] }, now)).toBe(250);
  });

  it('reads retry-after seconds (decimals too) and HTTP dates in milliseconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '7' }, now)).toBe(7_000);
    expect(parseRetryAfterMs({ 'retry-after': '0.25' }, now)).toBe(250);
    expect(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores unparseable values', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now)).toBe(3_000);
    expect(parseRetryAfterMs({ 'retry-after-ms': '-5' }, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '12abc' }, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfterMs({}, now)).toBeUndefined();
  });
});

describe('sanitizeUpstreamMessage', () => {
  it('redacts URLs and key-like tokens and caps the length at 500', () => {
    const message = sanitizeUpstreamMessage(
      'Visit https://openrouter.ai/settings/credits?x=1 with key sk-or-v1-abcdef0123456789 and Bearer abc.def',
    );
    expect(message).toBe('Visit [url] with key [redacted] and [redacted]');
    expect(sanitizeUpstreamMessage('x'.repeat(2000))).toHaveLength(500);
  });
});

describe('mapUpstreamError', () => {
  it('maps the recorded OpenAI 429 quota body, with retry-after-ms', () => {
    const error = mapUpstreamErrorResponse(
      429,
      readFixture('shared', 'openai__openai-error.1.json'),
      {
        'retry-after-ms': '20000',
      },
    );
    expect(error.code).toBe('rate_limited');
    expect(error.upstreamStatus).toBe(429);
    expect(error.retryAfterSeconds).toBe(20);
    expect(error.message).toBe(
      'Upstream: You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: [url]',
    );
  });

  it('never quotes a body that is not JSON', () => {
    const error = mapUpstreamErrorResponse(
      502,
      Buffer.from('<html>Bad gateway at https://internal.example</html>'),
      {},
    );
    expect(error.message).toBe('Upstream: HTTP 502');
    expect(error.code).toBe('upstream_error');
  });

  it('appends a short detail and ignores a long one', () => {
    expect(
      mapUpstreamError(400, { message: 'Provider returned error', detail: 'bad image' }).message,
    ).toBe('Upstream: Provider returned error: bad image');
    expect(
      mapUpstreamError(400, { message: 'Provider returned error', detail: 'x'.repeat(400) })
        .message,
    ).toBe('Upstream: Provider returned error');
  });
});
