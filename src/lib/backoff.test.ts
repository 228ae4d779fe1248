import { describe, expect, it } from 'vitest';
import { fullJitterBackoffMs, nextRetryDelayMs, retryDelayMs, sleep } from './backoff.ts';

describe('fullJitterBackoffMs', () => {
  it('is uniform in [0, min(cap, base·2^n)) for the given random source', () => {
    const options = { initialMs: 100, maxMs: 1_000 };
    expect(fullJitterBackoffMs(0, { ...options, random: () => 0 })).toBe(0);
    expect(fullJitterBackoffMs(0, { ...options, random: () => 0.5 })).toBe(50);
    expect(fullJitterBackoffMs(2, { ...options, random: () => 0.5 })).toBe(200);
    expect(fullJitterBackoffMs(3, { ...options, random: () => 0.999 })).toBe(799);
    // 100·2^4 = 1600 is above the cap: the ceiling is 1000.
    expect(fullJitterBackoffMs(4, { ...options, random: () => 0.999 })).toBe(999);
    expect(fullJitterBackoffMs(2_000, { ...options, random: () => 0.5 })).toBe(500);
  });

  it('stays below the ceiling with the real random source', () => {
    for (let retry = 0; retry < 8; retry += 1) {
      const delay = fullJitterBackoffMs(retry, { initialMs: 10, maxMs: 500 });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(500, 10 * 2 ** retry));
    }
  });
});

describe('nextRetryDelayMs', () => {
  it('keeps a millisecond hint in milliseconds', () => {
    expect(nextRetryDelayMs(0, 200)).toBe(200);
    expect(nextRetryDelayMs(5, 0)).toBe(0);
    expect(nextRetryDelayMs(0, 12.2)).toBe(13);
  });

  it('falls back to full jitter without a usable hint', () => {
    const options = { initialMs: 100, maxMs: 1_000, random: () => 0.5 };
    expect(nextRetryDelayMs(1, undefined, options)).toBe(100);
    expect(nextRetryDelayMs(1, Number.NaN, options)).toBe(100);
    expect(nextRetryDelayMs(1, -5, options)).toBe(100);
  });
});

describe('retryDelayMs', () => {
  it('honours retry-after seconds, else equal jitter between half and the ceiling', () => {
    expect(retryDelayMs(0, 2)).toBe(2_000);
    expect(retryDelayMs(1, undefined, { initialMs: 100, random: () => 0 })).toBe(100);
    expect(retryDelayMs(1, undefined, { initialMs: 100, random: () => 1 })).toBe(200);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
