import { describe, expect, it } from 'vitest';
import type { ModelEndpoint } from './parse-endpoints.ts';
import { createPublishedLatencyStore, summariseEndpoints } from './published-latency.ts';

function endpoint(status: number, ttft: number | null, tps: number | null): ModelEndpoint {
  const stats = (p50: number | null) =>
    p50 === null ? null : { p50, p75: p50, p90: p50, p99: p50 };
  return {
    name: 'x',
    model_id: 'a/b',
    provider_name: 'X',
    tag: null,
    quantization: null,
    context_length: null,
    max_completion_tokens: null,
    max_prompt_tokens: null,
    pricing: null,
    status,
    uptime_last_5m: null,
    uptime_last_30m: null,
    uptime_last_1d: null,
    latency_last_30m: stats(ttft),
    throughput_last_30m: stats(tps),
    supported_parameters: [],
    supports_implicit_caching: null,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('published latency', () => {
  it('summarises the endpoints that are up and publish figures, by median', () => {
    expect(
      summariseEndpoints([
        endpoint(0, 300, 50),
        endpoint(0, 100, 150),
        endpoint(-2, 10, 999),
        endpoint(0, null, null),
      ]),
    ).toEqual({ ttftMs: 200, tokensPerSecond: 100 });
    expect(summariseEndpoints(null)).toEqual({ ttftMs: null, tokensPerSecond: null });
  });

  it('fetches in the background once per model and ttl, within the rate limit', async () => {
    const fetched: string[] = [];
    let clock = 0;
    const store = createPublishedLatencyStore({
      fetchEndpoints: (id) => {
        fetched.push(id);
        return Promise.resolve([endpoint(0, 250, 80)]);
      },
      ttlMs: 1000,
      maxPerMinute: 2,
      now: () => clock,
    });
    expect(store.get('a/b')).toBeUndefined();
    store.want('a/b');
    store.want('a/b');
    expect(store.get('a/b')).toBeUndefined(); // never on the caller's path
    await tick();
    expect(store.get('a/b')).toEqual({ ttftMs: 250, tokensPerSecond: 80 });
    store.want('a/b'); // fresh: not fetched again
    store.want('c/d');
    store.want('e/f'); // over 2 a minute: waits
    await tick();
    expect(fetched).toEqual(['a/b', 'c/d']);
    clock = 1500;
    store.want('a/b'); // stale now, queued behind e/f
    expect(store.get('a/b')).toEqual({ ttftMs: 250, tokensPerSecond: 80 });
    store.close();
  });
});
