import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './sliding-window.ts';

describe('SlidingWindow', () => {
  it('sums what was added inside the window, per field', () => {
    const window = new SlidingWindow(10_000, 10, 2);
    window.add(1_000);
    window.add(1_500, 0, 2);
    window.add(1_500, 1);
    window.add(9_999, 1, 4);
    expect(window.total(9_999, 0)).toBe(3);
    expect(window.total(9_999, 1)).toBe(5);
  });

  it('drops whole buckets as the window slides past them', () => {
    const window = new SlidingWindow(10_000, 10);
    window.add(0); // bucket [0, 1000)
    window.add(5_000); // bucket [5000, 6000)
    expect(window.total(9_999)).toBe(2);
    // At 10 000 the window holds the buckets starting after 0: the first add is gone.
    expect(window.total(10_000)).toBe(1);
    expect(window.total(14_999)).toBe(1);
    expect(window.total(15_000)).toBe(0);
  });

  it('reuses a ring slot without leaking its old count', () => {
    const window = new SlidingWindow(1_000, 4);
    window.add(100, 0, 7);
    window.add(1_100); // same ring slot, one lap later
    expect(window.total(1_100)).toBe(1);
  });

  it('ignores buckets from the future and can be cleared', () => {
    const window = new SlidingWindow(1_000, 4);
    window.add(5_000);
    expect(window.total(4_000)).toBe(0);
    window.clear();
    expect(window.total(5_000)).toBe(0);
  });

  it('rejects impossible shapes', () => {
    expect(() => new SlidingWindow(0, 4)).toThrow(RangeError);
    expect(() => new SlidingWindow(1_000, 0)).toThrow(RangeError);
    expect(() => new SlidingWindow(1_000, 2.5)).toThrow(RangeError);
    expect(() => new SlidingWindow(1_000, 4, 0)).toThrow(RangeError);
  });
});
