import { afterAll, describe, expect, it } from 'vitest';
import { createOpenRouterAdapter, createProviderRegistry } from './index.ts';
import { createUpstreamDispatcher } from './shared/upstream-http.ts';

describe('createProviderRegistry', () => {
  const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: 1_000 });
  const timeouts = { connectMs: 1_000, firstByteMs: 1_000, idleMs: 1_000, totalMs: 1_000 };
  const openrouter = createOpenRouterAdapter({
    apiKey: 'sk-or-v1-0123456789abcdef',
    baseUrl: 'http://127.0.0.1:9/api/v1',
    appUrl: 'https://example.org',
    appTitle: 'Test',
    timeouts,
    dispatcher,
  });
  afterAll(() => dispatcher.close());

  it('finds adapters by id and lists them in order', () => {
    const registry = createProviderRegistry([openrouter]);
    expect(registry.get('openrouter')).toBe(openrouter);
    expect(registry.get('openai')).toBeUndefined();
    expect(registry.list()).toEqual([openrouter]);
  });

  it('refuses two adapters with the same id', () => {
    expect(() => createProviderRegistry([openrouter, openrouter])).toThrow(
      /share the id "openrouter"/,
    );
  });
});
