import { describe, expect, it } from 'vitest';
import { createRequestId, randomAlphanumeric } from './ids.ts';

describe('ids', () => {
  it('makes request ids of the documented shape, unique across many draws', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => createRequestId()));
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9]{24}$/);
  });

  it('orders the ids of one process by creation, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => createRequestId());
    // Code-point order (the C collation) and a linguistic collation agree on them.
    expect([...ids].sort()).toEqual(ids);
    expect([...ids].sort((left, right) => left.localeCompare(right, 'en'))).toEqual(ids);
    const created = Number.parseInt((ids[0] ?? '').slice(4, 13), 36);
    expect(Math.abs(created - Date.now())).toBeLessThan(5_000);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(randomAlphanumeric(20_000));
    expect(seen.size).toBe(62);
  });
});
