/**
 * OpenRouter's published speed of a model — p50 time to first token and throughput over its
 * last 30 minutes, from `/models/{id}/endpoints` (spec `PercentileStats`) — kept in memory for
 * routing, which reads it synchronously and never waits for it. Fetching happens off the request
 * path: `want(id)` queues a model, and a background pump fetches at most `maxPerMinute` models a
 * minute, one at a time. A model's figures are the medians over its endpoints that publish them.
 */
import type { ModelEndpoint } from './parse-endpoints.ts';

export interface EndpointLatency {
  /** ms to the first token; null when not published. */
  ttftMs: number | null;
  /** Output tokens per second; null when not published. */
  tokensPerSecond: number | null;
}

export interface PublishedLatencyStore {
  /** What is cached for the model (null figures: fetched, nothing published); undefined = unknown. */
  get(modelId: string): EndpointLatency | undefined;
  /** Queues a fetch unless the model's figures are fresh or already queued. Never waits. */
  want(modelId: string): void;
  /** Stops the pump. */
  close(): void;
}

export interface PublishedLatencyOptions {
  /** OpenRouter's endpoints of a model; null when it does not know the model. */
  fetchEndpoints(modelId: string): Promise<ModelEndpoint[] | null>;
  /** How long figures are kept before a `want` refreshes them, ms. Default 10 minutes. */
  ttlMs?: number;
  /** Fetches per minute at most. Default 30. */
  maxPerMinute?: number;
  /** Most queued models; further `want`s are dropped until the queue drains. Default 200. */
  maxQueued?: number;
  now?: () => number;
  onError?(error: unknown, modelId: string): void;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The model's figures: medians over the endpoints that are up (status 0 or unknown) and publish them. */
export function summariseEndpoints(endpoints: readonly ModelEndpoint[] | null): EndpointLatency {
  const up = (endpoints ?? []).filter(
    (endpoint) => endpoint.status === null || endpoint.status === 0,
  );
  return {
    ttftMs: median(up.flatMap((endpoint) => endpoint.latency_last_30m?.p50 ?? [])),
    tokensPerSecond: median(up.flatMap((endpoint) => endpoint.throughput_last_30m?.p50 ?? [])),
  };
}

export function createPublishedLatencyStore(
  options: PublishedLatencyOptions,
): PublishedLatencyStore {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 600_000;
  const maxPerMinute = options.maxPerMinute ?? 30;
  const maxQueued = options.maxQueued ?? 200;
  const cache = new Map<string, { latency: EndpointLatency; fetchedAt: number }>();
  const queue = new Set<string>();
  const recent: number[] = [];
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  const state = { closed: false };
  // A function, so the loop below re-reads it after each await (close() may run meanwhile).
  const isOpen = (): boolean => !state.closed;

  function schedule(delayMs: number): void {
    if (timer !== null || state.closed) return;
    timer = setTimeout(() => {
      timer = null;
      void pump();
    }, delayMs);
    timer.unref();
  }

  async function pump(): Promise<void> {
    if (running || state.closed) return;
    running = true;
    try {
      while (queue.size > 0 && isOpen()) {
        while (recent.length > 0 && (recent[0] ?? 0) <= now() - 60_000) recent.shift();
        if (recent.length >= maxPerMinute) {
          schedule((recent[0] ?? now()) + 60_000 - now());
          return;
        }
        const [modelId] = queue;
        if (modelId === undefined) break;
        queue.delete(modelId);
        recent.push(now());
        try {
          cache.set(modelId, {
            latency: summariseEndpoints(await options.fetchEndpoints(modelId)),
            fetchedAt: now(),
          });
        } catch (error) {
          options.onError?.(error, modelId);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    get: (modelId) => cache.get(modelId)?.latency,
    want(modelId) {
      const cached = cache.get(modelId);
      if (state.closed || queue.has(modelId) || queue.size >= maxQueued) return;
      if (cached !== undefined && now() - cached.fetchedAt < ttlMs) return;
      queue.add(modelId);
      schedule(0);
    },
    close() {
      state.closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      queue.clear();
    },
  };
}
