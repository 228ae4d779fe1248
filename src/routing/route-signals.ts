/**
 * What routing reads about upstream health and speed, passed in (never fetched): the health
 * registry's circuits and EWMAs for provider instance × model (src/limits/), and OpenRouter's
 * published endpoint latency for a model, from a cache filled off the request path.
 */

/** A circuit as routing sees it: `provider` when the whole instance cools down (auth, credits). */
export type CircuitView =
  { open: false } | { open: true; retryAtMs: number; scope: 'provider' | 'model' };

/** This gateway's own attempts to provider × model over the health registry's window. */
export interface ObservedStats {
  /** EWMA of successful attempts' latency, ms; null before the first success. */
  latencyMs: number | null;
  /** EWMA of time to first token, ms; null before the first one. */
  ttftMs: number | null;
  /** Counted attempts in the window. */
  requests: number;
  /** 0–1 over the window. */
  errorRate: number;
}

/** OpenRouter's `/endpoints` figures for a model (p50 over its last 30 minutes). */
export interface PublishedLatency {
  /** ms to the first token; null when not published. */
  ttftMs: number | null;
  /** Output tokens per second; null when not published. */
  tokensPerSecond: number | null;
}

export interface RoutingSignals {
  /** Whether provider × model (the name sent to it) is cooling down now; takes no permit. */
  circuit(provider: string, model: string, now: number): CircuitView;
  /** Undefined when the registry has never seen the target. */
  observed(provider: string, model: string): ObservedStats | undefined;
  /** By canonical model id; undefined when nothing is cached. */
  published(model: string): PublishedLatency | undefined;
}

/** No data at all: every circuit closed, nothing observed or published. */
export const noSignals: RoutingSignals = {
  circuit: () => ({ open: false }),
  observed: () => undefined,
  published: () => undefined,
};
