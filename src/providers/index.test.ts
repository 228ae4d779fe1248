import { afterAll, describe, expect, it } from 'vitest';
import { createOpenRouterAdapter, createProviderRegistry, type ProviderInstance } from './index.ts';
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
  const instance: ProviderInstance = {
    id: 'openrouter',
    kind: 'openrouter',
    adapter: openrouter,
    nativeModel: (id) => id,
  };
  afterAll(() => dispatcher.close());

  it('finds instances by id and lists them in order', () => {
    const registry = createProviderRegistry([instance]);
    expect(registry.get('openrouter')).toBe(instance);
    expect(registry.get('openai')).toBeUndefined();
    expect(registry.list()).toEqual([instance]);
  });

  it('refuses two instances with the same id', () => {
    expect(() => createProviderRegistry([instance, instance])).toThrow(/share the id "openrouter"/);
  });

  it('refuses an instance whose adapter has another id', () => {
    expect(() => createProviderRegistry([{ ...instance, id: 'openrouter-team' }])).toThrow(
      /calls itself "openrouter"/,
    );
  });
});
