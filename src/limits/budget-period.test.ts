import { describe, expect, it } from 'vitest';
import { budgetPeriodStart, isTimeZone } from './budget-period.ts';

const at = (iso: string) => Date.parse(iso);

describe('budgetPeriodStart', () => {
  it('starts days, ISO weeks and months at midnight UTC', () => {
    const now = at('2026-11-26T15:30:00Z'); // a Thursday
    expect(budgetPeriodStart('day', now, 'UTC')).toBe(at('2026-11-26T00:00:00Z'));
    expect(budgetPeriodStart('week', now, 'UTC')).toBe(at('2026-11-23T00:00:00Z'));
    expect(budgetPeriodStart('month', now, 'UTC')).toBe(at('2026-11-01T00:00:00Z'));
    expect(budgetPeriodStart('total', now, 'UTC')).toBe(0);
  });

  it('follows the configured zone, across a daylight-saving change', () => {
    // 2026-03-29 02:00 Paris: clocks go from +01:00 to +02:00.
    expect(budgetPeriodStart('day', at('2026-03-29T12:00:00Z'), 'Europe/Paris')).toBe(
      at('2026-03-28T23:00:00Z'),
    );
    expect(budgetPeriodStart('day', at('2026-03-30T12:00:00Z'), 'Europe/Paris')).toBe(
      at('2026-03-29T22:00:00Z'),
    );
    // 23:30 UTC on the 31st is already the 1st in Tokyo.
    expect(budgetPeriodStart('month', at('2026-10-31T23:30:00Z'), 'Asia/Tokyo')).toBe(
      at('2026-10-31T15:00:00Z'),
    );
    // A Sunday evening in New York is still the week that began on Monday.
    expect(budgetPeriodStart('week', at('2026-11-30T03:00:00Z'), 'America/New_York')).toBe(
      at('2026-11-23T05:00:00Z'),
    );
  });

  it('moves to the next period when it starts (the cache never serves a past one)', () => {
    expect(budgetPeriodStart('day', at('2026-11-26T23:59:59Z'), 'UTC')).toBe(
      at('2026-11-26T00:00:00Z'),
    );
    expect(budgetPeriodStart('day', at('2026-11-27T00:00:00Z'), 'UTC')).toBe(
      at('2026-11-27T00:00:00Z'),
    );
    expect(budgetPeriodStart('day', at('2026-11-26T10:00:00Z'), 'UTC')).toBe(
      at('2026-11-26T00:00:00Z'),
    );
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
