/**
 * The adapter contract every upstream implements (docs/conventions.md points 1–6).
 * Core code (gateway/, http/) only sees this interface, through providers/index.ts.
 *
 * Dialect: requests and responses are Chat Completions (src/contracts/chat.ts). An adapter
 * whose upstream speaks another dialect translates both ways; an adapter whose upstream
 * already speaks it (OpenRouter, OpenAI, custom) hands back the upstream bytes in `raw`
 * so the gateway can forward them without re-serialising (docs/performance.md).
 *
 * Errors: every method rejects only with SignalboxError (src/contracts/errors.ts), with
 * `upstreamStatus` set when an upstream answered, and `retryAfterSeconds` when it said so.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Usage,
} from '../contracts/chat.ts';
import type { UpstreamTimeouts } from '../config/config.ts';
import type { SignalboxError } from '../contracts/errors.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import type { StreamPart } from '../contracts/stream-part.ts';

export interface ProviderCapabilities {
  /** Server-sent-event streaming. */
  streaming: boolean;
  /** Function tools. */
  tools: boolean;
  /** Reports `usage.cost` itself (OpenRouter), so the ledger need not compute it. */
  reportsCost: boolean;
}

export interface CallOptions {
  /** Aborts the upstream request (client disconnect, deadline). */
  signal?: AbortSignal;
  /**
   * The client's original JSON body, when `request` is its unchanged parse. An adapter that
   * would send the same JSON may forward these bytes instead of serialising `request` again.
   */
  rawBody?: Buffer | string;
  /**
   * Per-call limits, ms, tighter than the adapter's own (the request's deadline, the
   * time-to-first-token deadline before a fallback): each given field lowers the adapter's.
   */
  timeouts?: Partial<Pick<UpstreamTimeouts, 'firstByteMs' | 'totalMs'>>;
  /**
   * The client's own app attribution (OpenRouter's `HTTP-Referer` and `X-Title` /
   * `X-OpenRouter-Title`); adapters whose upstream reads attribution send these instead of
   * their defaults.
   */
  attribution?: { referer?: string; title?: string };
  /**
   * W3C `traceparent` of this attempt's span (set only when tracing is on): sent upstream as
   * the `traceparent` header, so the upstream's spans join the request's trace.
   */
  traceparent?: string;
  /**
   * Called once, as soon as the upstream's response headers name the generation this call will
   * be billed as (OpenRouter's `X-Generation-Id`), before the body is read — so the caller can
   * record what it is being billed for even if the call then fails, is abandoned, or the process
   * dies (the ledger journals it: docs/decisions/0009-crash-accounting.md). Adapters whose
   * upstream names no generation in its headers never call it. Must not throw.
   */
  onGeneration?: (generationId: string) => void;
}

/**
 * What an upstream billed for one generation, as its own accounting reports it after the fact
 * (OpenRouter `GET /generation?id=`, openapi.yaml `GenerationResponse`). Money in nano-USD,
 * tokens as counts; null where the upstream does not say.
 */
export interface GenerationCost {
  generationId: string;
  /** The total charged (OpenRouter `total_cost`, USD credits → nano-USD); null when not (yet) known. */
  costNanoUsd: bigint | null;
  /** The upstream's native counts where it gives them (`native_tokens_*`), else its normalised ones. */
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  cachedTokens: number | null;
  /** The model that served it. */
  model: string | null;
  /** The generation was cut short (client gone, stream reset) and billed for what it produced. */
  cancelled: boolean | null;
}

/** A non-streaming answer. */
export interface ChatResult {
  completion: ChatCompletion;
  /** The upstream body bytes when they already are a Chat Completions response, else null. */
  raw: Buffer | null;
  /** Upstream generation id (OpenRouter `X-Generation-Id` / body `id`), when known. */
  generationId: string | null;
  /** Milliseconds from sending the request to the upstream's response headers. */
  firstByteMs: number;
}

/** One streamed event: the chunk, and the exact `data:` payload text when it needs no translation. */
export interface ChunkEvent {
  /**
   * The chunk. An event relayed as its text may parse it on first access: reading it can then
   * throw SignalboxError `upstream_invalid_response` (the event was framed as JSON but is not a
   * chunk).
   */
  readonly chunk: ChatCompletionChunk;
  raw: string | null;
  /** The usage this event carries (`chunk.usage`), readable without parsing the chunk. */
  readonly usage: Usage | null;
  /**
   * Set when the chunk carries an in-band error (OpenRouter's `error`, Anthropic's `error`
   * event): classified by the adapter with the same rules as an HTTP error status, so the
   * ledger, the fallback decision and the library's `error` part agree.
   */
  error?: SignalboxError;
}

/**
 * An open upstream stream. Iterating yields chunk events as they arrive (no buffering).
 * The iterator rejects with SignalboxError (`upstream_timeout` when the idle timeout between
 * events passes, `stream_interrupted` when the connection drops before the end).
 * An in-band upstream error is yielded as a chunk carrying `error`.
 */
export interface UpstreamStream extends AsyncIterable<ChunkEvent> {
  /** From the upstream's response headers, when it sent one. */
  readonly generationId: string | null;
  /** Milliseconds from sending the request to the upstream's response headers. */
  readonly firstByteMs: number;
  /** Stops reading and closes the upstream connection. Idempotent. */
  close(): void;
}

export interface HealthStatus {
  ok: boolean;
  latencyMs: number;
  message?: string;
}

export interface ProviderAdapter {
  /** Signalbox provider id: `openrouter`, `openai`, `anthropic`, `google`, or a custom id. */
  readonly id: string;
  readonly capabilities: ProviderCapabilities;
  /** Non-streaming chat. Rejects with SignalboxError. */
  chat(request: ChatCompletionRequest, options?: CallOptions): Promise<ChatResult>;
  /**
   * Opens a stream; resolves once the upstream answered 2xx with its headers.
   * A non-2xx answer rejects with the mapped SignalboxError before anything is yielded.
   */
  openStream(request: ChatCompletionRequest, options?: CallOptions): Promise<UpstreamStream>;
  /** Streaming chat as typed parts (tool calls reassembled), for library users. */
  chatStream(request: ChatCompletionRequest, options?: CallOptions): AsyncIterable<StreamPart>;
  /** The upstream's model list in OpenRouter's `Model` shape. */
  listModels(options?: CallOptions): Promise<ModelInfo[]>;
  /** A cheap reachability check (the seeds' isAvailable). Never rejects. */
  checkHealth(options?: CallOptions): Promise<HealthStatus>;
  /**
   * The cost of a usage at the given prices, in nano-USD, through the shared pricing module
   * (src/pricing/cost.ts); null when unpriced. Adapters whose upstream bills differently
   * (e.g. per-request fees) override it.
   */
  calculateCost(usage: Usage, pricing: ModelPricing | null): bigint | null;
  /**
   * Optional: what the upstream billed for one of its generations, looked up after the fact
   * (OpenRouter `GET /generation?id=`), for attempts that ended without reporting their cost
   * (a stream cut short, a stall, a client gone, a crash). Resolves null when the upstream does
   * not know the id — OpenRouter's record appears a few seconds after the generation ends, so a
   * caller retries with backoff for a while before giving up. Absent for upstreams without such a
   * lookup: their unreported costs stay NULL (or an estimate) in the ledger.
   * @throws SignalboxError: `rate_limited` (with `retryAfterSeconds` when given), `upstream_*`.
   */
  fetchGeneration?(generationId: string, options?: CallOptions): Promise<GenerationCost | null>;
}
