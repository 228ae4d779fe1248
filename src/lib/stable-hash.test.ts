import { describe, expect, it } from 'vitest';
import { stableHash32, stableUnit } from './stable-hash.ts';

describe('stableUnit', () => {
  it('is deterministic and separates its parts', () => {
    expect(stableUnit('policy', 'user-1')).toBe(stableUnit('policy', 'user-1'));
    expect(stableHash32('ab', 'c')).not.toBe(stableHash32('a', 'bc'));
    expect(stableHash32('')).not.toBe(stableHash32());
  });

  it('spreads sequential keys evenly over [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let index = 0; index < 10_000; index += 1) {
      const value = stableUnit('experiment', `user-${index}`);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;
    }
    // 1,000 expected per bucket; ±15 % is far outside what a uniform hash produces by chance.
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});
