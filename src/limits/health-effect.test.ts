import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../contracts/errors.ts';
import { classifiedStatuses, healthEffect, type HealthEffect } from './health-effect.ts';

/** The expected effect of every error code, written out independently of the table. */
const expected: Record<ErrorCode, HealthEffect> = {
  invalid_request: 'ignored',
  invalid_json: 'ignored',
  missing_api_key: 'ignored',
  invalid_api_key: 'ignored',
  route_not_found: 'ignored',
  model_not_found: 'ignored',
  request_timeout: 'ignored',
  request_too_large: 'ignored',
  unsupported_media_type: 'ignored',
  upstream_invalid_request: 'ignored',
  upstream_content_filtered: 'ignored',
  unsupported_capability: 'ignored',
  cost_limit_exceeded: 'ignored',
  policy_not_found: 'ignored',
  conflict: 'ignored',
  rate_limited: 'target_failure',
  internal_error: 'ignored',
  upstream_error: 'target_failure',
  upstream_auth_failed: 'provider_failure',
  upstream_insufficient_credits: 'provider_failure',
  upstream_invalid_response: 'target_failure',
  upstream_unavailable: 'target_failure',
  upstream_timeout: 'target_failure',
  stream_interrupted: 'target_failure',
  deadline_exceeded: 'ignored',
  client_closed_request: 'ignored',
};

describe('healthEffect', () => {
  it.each(Object.keys(errorCodes) as ErrorCode[])('classifies %s explicitly', (code) => {
    expect(classifiedStatuses).toContain(code);
    expect(healthEffect(code)).toBe(expected[code]);
  });

  it('counts every retryable code as a target failure', () => {
    for (const [code, spec] of Object.entries(errorCodes)) {
      if (spec.retryable) expect(healthEffect(code)).toBe('target_failure');
    }
  });

  it('counts success, and ignores the deadline and codes it does not know', () => {
    expect(healthEffect('success')).toBe('success');
    expect(healthEffect('deadline_exceeded')).toBe('ignored');
    expect(healthEffect('some_future_code')).toBe('ignored');
    expect(healthEffect('toString')).toBe('ignored');
    expect(healthEffect('')).toBe('ignored');
  });
});
