import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../contracts/errors.ts';
import { healthEffect, type HealthEffect } from './health-effect.ts';

/** The codes that count against an upstream, written out independently of the table; every other code is ignored. */
const counted: Partial<Record<ErrorCode, HealthEffect>> = {
  rate_limited: 'target_failure',
  upstream_error: 'target_failure',
  upstream_invalid_response: 'target_failure',
  upstream_unavailable: 'target_failure',
  upstream_timeout: 'target_failure',
  stream_interrupted: 'target_failure',
  upstream_auth_failed: 'provider_failure',
  upstream_insufficient_credits: 'provider_failure',
};

describe('healthEffect', () => {
  it.each(Object.keys(errorCodes) as ErrorCode[])('classifies %s', (code) => {
    expect(healthEffect(code)).toBe(counted[code] ?? 'ignored');
  });

  it('counts every retryable upstream code as a target failure', () => {
    for (const [code, spec] of Object.entries(errorCodes)) {
      const upstream = code.startsWith('upstream_') || code === 'rate_limited';
      if (spec.retryable && upstream) expect(healthEffect(code)).toBe('target_failure');
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
