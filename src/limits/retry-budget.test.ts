import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.ts';

describe('createRetryBudget', () => {
  it('keeps a full outage of 1,000 requests within 20 % extra attempts plus the floor', () => {
    const budget = createRetryBudget({ now: () => 0 });
    let extra = 0;
    // 1,000 requests in 10 s (one window); every one fails and wants a fallback and two retries.
    for (let index = 0; index < 1_000; index += 1) {
      const now = index * 10;
      budget.recordRequest(now);
      for (let retry = 0; retry < 3; retry += 1) if (budget.tryAcquire(now)) extra += 1;
    }
    expect(extra).toBeLessThanOrEqual(1_000 * 0.2 + 30);
    // The budget is spent, not refused outright: the 20 % is really available.
    expect(extra).toBeGreaterThanOrEqual(200);
    expect(budget.snapshot(9_990)).toMatchObject({ requests: 1_000, limit: 230, available: 0 });
  });

  it('holds the bound in every window of a long outage', () => {
    const budget = createRetryBudget();
    const granted: number[] = [];
    // 1,000 requests over 100 s at 10 per second, each wanting two extra attempts.
    for (let index = 0; index < 1_000; index += 1) {
      const now = index * 100;
      budget.recordRequest(now);
      for (let retry = 0; retry < 2; retry += 1) if (budget.tryAcquire(now)) granted.push(now);
    }
    for (let end = 10_000; end <= 100_000; end += 1_000) {
      const inWindow = granted.filter((at) => at >= end - 10_000 && at < end).length;
      expect(inWindow).toBeLessThanOrEqual(100 * 0.2 + 30);
    }
    // 100 requests per window allow 20 + 30 = 50 extra attempts out of the 200 wanted.
    expect(granted.length).toBeLessThanOrEqual(1_000 * 0.2 + 30 * 10);
    expect(budget.snapshot(99_900).refusedTotal).toBe(2_000 - granted.length);
  });

  it('lets a quiet instance retry through the floor', () => {
    const budget = createRetryBudget({ minRetriesPerSecond: 3 });
    budget.recordRequest(0);
    let granted = 0;
    while (budget.tryAcquire(0)) granted += 1;
    expect(granted).toBe(30);
  });

  it('refills as the window slides', () => {
    const budget = createRetryBudget({ percent: 50, minRetriesPerSecond: 0, windowMs: 1_000 });
    for (let index = 0; index < 4; index += 1) budget.recordRequest(0);
    expect(budget.tryAcquire(0)).toBe(true);
    expect(budget.tryAcquire(0)).toBe(true);
    expect(budget.tryAcquire(0)).toBe(false);
    // A second later the old requests and retries have left the window.
    budget.recordRequest(1_000);
    budget.recordRequest(1_000);
    expect(budget.tryAcquire(1_000)).toBe(true);
    expect(budget.tryAcquire(1_000)).toBe(false);
    expect(budget.snapshot(1_000)).toMatchObject({
      requests: 2,
      retries: 1,
      limit: 1,
      available: 0,
      grantedTotal: 3,
      refusedTotal: 2,
    });
  });

  it('uses the injected clock by default and rejects negative settings', () => {
    let time = 0;
    const budget = createRetryBudget({ minRetriesPerSecond: 0, percent: 100, now: () => time });
    budget.recordRequest();
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
    time = 20_000;
    expect(budget.snapshot()).toMatchObject({ requests: 0, retries: 0, limit: 0 });
    expect(() => createRetryBudget({ percent: -1 })).toThrow(RangeError);
  });
});
