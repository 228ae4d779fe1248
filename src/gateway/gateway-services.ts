/**
 * What the pipeline needs from the outside, injected by the composition root
 * (src/compose-gateway.ts). Plain interfaces: the gateway never builds its own infrastructure,
 * and the unit tests (src/gateway/*.test.ts) hand in fakes.
 */
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import type { HealthRegistry } from '../limits/health-registry.ts';
import type { ProviderAdapter } from '../providers/index.ts';
import type { RoutingContext } from '../routing/route-plan.ts';
import type { LedgerWriter } from '../usage/ledger-writer.ts';
import type { SettlementHub } from '../usage/settlement.ts';
import type { RequestContext } from './request-context.ts';

export interface GatewayLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * May an attempt go to this provider instance × model now? The health registry's read side
 * (src/limits/health-registry.ts): `skip` while a circuit is open, `probe` for the single
 * half-open trial; `peek` takes nothing.
 */
export type HealthGate = Pick<HealthRegistry, 'permit' | 'peek'>;

/** Caps retries and fallbacks instance-wide (a retry budget, as Envoy's). */
export interface RetryGate {
  /** Counts a request's first attempt. */
  recordRequest(now?: number): void;
  /** Takes one retry or fallback; false when the budget is spent. */
  tryAcquire(now?: number): boolean;
}

/**
 * The `admit` stage's seam: rate limits, queueing and budget reservations (governance).
 * Throws a SignalboxError to refuse; may set `context.reservation` and response headers.
 */
export interface Admission {
  admit(context: RequestContext): Promise<void> | void;
}

/** Retry, fallback and deadline settings, all durations in ms. */
export interface ResiliencePolicy {
  /** Retries of the same candidate after a retryable failure, before the first byte. */
  maxRetries: number;
  /** A retry whose wait would exceed this is not made. */
  maxRetryDelayMs: number;
  /** Upstream response headers deadline; for streams also the time-to-first-token deadline of the last candidate. */
  firstByteTimeoutMs: number;
  /** Streams: time-to-first-token deadline after which the next candidate is tried. */
  fallbackTtftMs: number;
  /** Whole-request deadline (attempts, retries and backoff together). */
  requestTimeoutMs: number;
  /** Text of the graceful reply sent when every candidate failed; null = off. */
  fallbackReply: string | null;
}

export interface GatewayServices {
  /**
   * Trace requests (W3C ids kept per request and sent upstream as `traceparent`, spans exported
   * by the tracing listener): only when OTEL_EXPORTER_OTLP_ENDPOINT is set; absent = off.
   */
  tracing?: boolean;
  /** Adapter by Signalbox provider instance id. */
  provider(id: string): ProviderAdapter | undefined;
  /** What routing needs: the provider instances, the catalogue, the policies, health signals. */
  routing: RoutingContext;
  /** Catalogue lookup by OpenRouter model id (prices). */
  lookupModel: (id: string) => ModelInfo | undefined;
  /**
   * The model's pricing in force at `at` (ms since the epoch) from the catalogue's price history
   * (src/catalog/price-history.ts; in memory, no I/O); undefined when the history does not know
   * the model — then the loaded entry's price applies. Absent = no history (tests, no database).
   */
  priceAt?: (id: string, at: number) => ModelPricing | undefined;
  health: HealthGate;
  retryBudget: RetryGate;
  admission: Admission | null;
  /**
   * Where each attempt's intent is journaled before dispatch, and its generation id as soon as
   * the upstream names it (the ledger writer: docs/decisions/0009-crash-accounting.md).
   */
  journal: Pick<LedgerWriter, 'begin' | 'noteGeneration'>;
  settlement: SettlementHub;
  resilience: ResiliencePolicy;
  logger: GatewayLogger;
  /** Wall clock, ms since the epoch (injectable for tests). */
  now: () => number;
}

/** Lets every attempt through: no health registry. */
export const alwaysHealthy: HealthGate = {
  permit: () => ({ decision: 'allow' }),
  peek: () => ({ open: false }),
};

/** No retry budget: every retry allowed by the per-request limits is made. */
export const unlimitedRetries: RetryGate = {
  recordRequest: () => undefined,
  tryAcquire: () => true,
};
