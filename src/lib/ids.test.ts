import { describe, expect, it } from 'vitest';
import { createRequestId, randomAlphanumeric } from './ids.ts';

describe('ids', () => {
  it('makes request ids of the documented shape, unique across many draws', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => createRequestId()));
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9]{24}$/);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(randomAlphanumeric(20_000));
    expect(seen.size).toBe(62);
  });
});
