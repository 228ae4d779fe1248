// fetchOpenRouterEndpoints against a real emulator (the spec's ListEndpointsResponse shape),
// and the per-model cache around it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ModelEndpoint } from '../../catalog/parse-endpoints.ts';
import { createEmulator } from '../../emulator/index.ts';
import type { Emulator } from '../../emulator/index.ts';
import { cacheModelEndpoints, fetchOpenRouterEndpoints } from './openrouter-endpoints.ts';

const timeouts = { firstByteMs: 5_000, idleMs: 5_000, totalMs: 10_000 };

describe('fetchOpenRouterEndpoints', () => {
  let emulator: Emulator;
  let baseUrl: string;

  beforeAll(async () => {
    emulator = createEmulator({ apiKeys: ['sk-or-test'] });
    baseUrl = `${await emulator.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  });

  afterAll(async () => {
    await emulator.close();
  });

  it("reads a model's endpoints, with or without a key", async () => {
    for (const apiKey of ['sk-or-test', null]) {
      const endpoints = await fetchOpenRouterEndpoints(
        { baseUrl, apiKey, timeouts },
        'openai/gpt-4o',
      );
      expect(endpoints).toHaveLength(1);
      expect(endpoints?.[0]).toMatchObject({
        provider_name: 'OpenAI',
        tag: 'openai',
        model_id: 'openai/gpt-4o',
        status: 0,
        pricing: { prompt: '0.0000025', completion: '0.00001' },
      });
    }
  });

  it('encodes variant ids and answers null for a model OpenRouter does not know', async () => {
    const free = await fetchOpenRouterEndpoints(
      { baseUrl, apiKey: null, timeouts },
      'meta-llama/llama-3.3-70b-instruct:free',
    );
    expect(free?.[0]?.model_id).toBe('meta-llama/llama-3.3-70b-instruct:free');
    expect(
      await fetchOpenRouterEndpoints({ baseUrl, apiKey: null, timeouts }, 'openai/no-such-model'),
    ).toBeNull();
  });

  it('throws upstream_unavailable when nothing listens', async () => {
    const stopped = createEmulator();
    const origin = await stopped.listen({ host: '127.0.0.1', port: 0 });
    await stopped.close();
    const attempt = fetchOpenRouterEndpoints(
      { baseUrl: `${origin}/api/v1`, apiKey: null, timeouts },
      'openai/gpt-4o',
    );
    await expect(attempt).rejects.toBeInstanceOf(SignalboxError);
    await expect(attempt).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});

describe('cacheModelEndpoints', () => {
  const endpoints: ModelEndpoint[] = [];

  it('keeps an answer per model for the TTL and shares concurrent fetches', async () => {
    let clock = 0;
    const calls: string[] = [];
    const cached = cacheModelEndpoints(
      (id) => {
        calls.push(id);
        return Promise.resolve(id === 'gone/model' ? null : endpoints);
      },
      { ttlMs: 300_000, now: () => clock },
    );
    await Promise.all([cached('openai/gpt-4o'), cached('openai/gpt-4o'), cached('gone/model')]);
    expect(await cached('gone/model')).toBeNull();
    expect(calls).toEqual(['openai/gpt-4o', 'gone/model']);
    clock = 300_000;
    expect(await cached('openai/gpt-4o')).toBe(endpoints);
    expect(calls).toEqual(['openai/gpt-4o', 'gone/model', 'openai/gpt-4o']);
  });

  it('does not keep failures and drops the oldest model beyond maxEntries', async () => {
    let failing = true;
    const calls: string[] = [];
    const cached = cacheModelEndpoints(
      (id) => {
        calls.push(id);
        return failing ? Promise.reject(new Error('down')) : Promise.resolve(endpoints);
      },
      { ttlMs: 300_000, maxEntries: 1 },
    );
    await expect(cached('a/one')).rejects.toThrow('down');
    failing = false;
    await cached('a/one');
    await cached('b/two');
    await cached('a/one');
    expect(calls).toEqual(['a/one', 'a/one', 'b/two', 'a/one']);
  });
});
