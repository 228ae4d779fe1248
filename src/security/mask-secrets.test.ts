import { describe, expect, it } from 'vitest';
import { lastFour, maskSecrets } from './mask-secrets.ts';

describe('maskSecrets', () => {
  it('keeps the last 4 characters of every secret-named field, at any depth', () => {
    const masked = maskSecrets({
      name: 'anthropic-eu',
      api_key: 'sk-ant-0123456789abcdef',
      headers: { authorization: 'Bearer sk-xyz-0123456789', 'x-api-key': 'abcdefghijkl' },
      nested: [{ secret: 'hunter2hunter2', keep: 'visible' }],
      encryption_key: { kid: 1 },
      token_count: 12,
    });
    expect(masked).toEqual({
      name: 'anthropic-eu',
      api_key: '…cdef',
      headers: { authorization: '…6789', 'x-api-key': '…ijkl' },
      nested: [{ secret: '…ter2', keep: 'visible' }],
      encryption_key: '[masked]',
      token_count: 12,
    });
  });

  it('hides short secrets entirely and leaves null alone', () => {
    expect(lastFour('short')).toBe('…');
    expect(maskSecrets({ apiKey: 'abc', password: null })).toEqual({ apiKey: '…', password: null });
  });
});
