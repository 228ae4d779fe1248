import { describe, expect, it } from 'vitest';
import { createRequestIdSource } from './request-id.ts';

describe('createRequestIdSource', () => {
  it('keeps a sane incoming id and generates one otherwise', () => {
    const next = createRequestIdSource();
    expect(next('trace-123.abc:DEF_x')).toBe('trace-123.abc:DEF_x');
    expect(next('a'.repeat(128))).toBe('a'.repeat(128));
    for (const insane of [
      undefined,
      '',
      'a'.repeat(129),
      'has space',
      'semi;colon',
      'nl\n',
      ['x', 'y'],
    ])
      expect(next(insane)).toMatch(/^req_[A-Za-z0-9]{24}$/);
  });

  it('gives a repeated id a suffix, and forgets the oldest ids beyond its memory', () => {
    const next = createRequestIdSource(2);
    expect(next('one')).toBe('one');
    expect(next('one')).toMatch(/^one~[A-Za-z0-9]{6}$/);
    expect(next('two')).toBe('two');
    expect(next('three')).toBe('three');
    expect(next('one')).toBe('one');
    expect(next('three')).toMatch(/^three~/);
  });
});
