/**
 * What the pipeline needs from the outside, injected by the composition root (src/app.ts).
 * Plain interfaces: the gateway never builds its own infrastructure.
 */
import type { ModelInfo } from '../contracts/model-info.ts';
import type { ProviderAdapter } from '../providers/index.ts';
import type { ProviderRoute } from '../routing/plan-route.ts';
import type { RequestRecord } from '../contracts/ledger.ts';
import type { LedgerWriter } from '../usage/ledger-writer.ts';

export interface GatewayLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface GatewayServices {
  /** Adapter by Signalbox provider id. */
  provider(id: string): ProviderAdapter | undefined;
  /** The provider that serves every model no other provider claims. */
  defaultProvider: string;
  /** Direct providers and the models they serve, in configuration order. */
  directProviders: readonly ProviderRoute[];
  /** Catalogue lookup by OpenRouter model id. */
  lookupModel: (id: string) => ModelInfo | undefined;
  /** Models the operator disabled: refused, never routed. */
  isModelDisabled: (id: string) => boolean;
  ledger: LedgerWriter;
  /**
   * crash-accounting: called with each record once the ledger has it (the cost reconciler's
   * settlement listener). Stands in for the settlement listeners of the pipeline redesign.
   */
  onSettled?: (record: RequestRecord) => void;
  /** Retries after the first attempt, before the first byte. */
  maxRetries: number;
  /** A retry whose wait would exceed this is not made, ms. */
  maxRetryDelayMs: number;
  /** Streams: longest wait from dispatch to the first content event, ms (TTFT deadline). */
  firstTokenTimeoutMs: number;
  logger: GatewayLogger;
  /** Wall clock, ms since the epoch (injectable for tests). */
  now: () => number;
}

/** Where a streamed answer goes; implemented by the HTTP layer (or the library). */
export interface StreamSink {
  /** The commit point: called once, before the first data event. */
  start(meta: { provider: string; generationId: string | null }): void;
  /** One SSE `data:` payload (a JSON chunk, already serialised). */
  write(payload: string): void;
  /** Writes `data: [DONE]` and ends the response. */
  end(): void;
  /** False once the client has gone away. */
  readonly open: boolean;
}
