/**
 * Fakes for the pipeline's unit tests (src/gateway/*.test.ts): a scripted provider adapter, the
 * injected services with a recording ledger and logger, and a recording ResponseWriter whose
 * client can fill its buffer or leave. Timers are real and short; every wait honours the
 * request's abort signal the way the real adapters do (the signal's SignalboxError reason wins).
 * Test support only: nothing in the product imports it.
 */
import type { ChatCompletion, ChatCompletionChunk, Usage } from '../contracts/chat.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { AttemptRecord } from '../contracts/ledger.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { MASTER_PRINCIPAL } from '../contracts/principal.ts';
import type { HealthRegistry } from '../limits/health-registry.ts';
import type {
  CallOptions,
  ChatResult,
  ChunkEvent,
  ProviderAdapter,
  UpstreamStream,
} from '../providers/index.ts';
import {
  createSettlementHub,
  type Settlement,
  type SettlementListener,
} from '../usage/settlement.ts';
import {
  alwaysHealthy,
  unlimitedRetries,
  type Admission,
  type GatewayLogger,
  type GatewayServices,
  type HealthGate,
  type ResiliencePolicy,
  type RetryGate,
} from './gateway-services.ts';
import { handleChat, type ChatInput } from './handle-chat.ts';
import type { ChunkWriter, ResponseWriter } from './response-writer.ts';

/** One step of a scripted stream, after the upstream's 2xx headers. */
export type StreamStep = { delayMs?: number } & (
  | { text: string }
  /** The last chunk: finish_reason and usage. */
  | { finish: 'stop' | 'length'; usage?: Usage }
  /** An in-band error chunk (OpenRouter's `error`), classified as the adapters do. */
  | { inBandError: SignalboxError }
  /** The connection fails: the iterator rejects. */
  | { fail: SignalboxError }
  /** Nothing more until the stream is closed or the request aborted. */
  | { hang: true }
);

/** What one upstream call answers. `delayMs` is the wait before the response headers. */
export type ScriptedAnswer = { delayMs?: number } & (
  | { json: { text?: string; usage?: Usage } }
  | { stream: StreamStep[] }
  /** An HTTP error (or connection failure) before any headers. */
  | { error: SignalboxError }
  /** No headers ever: only the call's first-byte timeout or its signal ends it. */
  | { hang: true }
);

/** One call the fake adapter received. */
export interface RecordedCall {
  method: 'chat' | 'openStream';
  model: string | undefined;
  options: CallOptions | undefined;
  /** ms since the epoch. */
  at: number;
}

export interface FakeAdapter extends ProviderAdapter {
  readonly calls: RecordedCall[];
  /** Events the gateway pulled from this adapter's streams (`next()` calls). */
  readonly pulls: number;
  /** Streams closed by the gateway. */
  readonly closedStreams: number;
  /**
   * Whether the header phase ends at `options.timeouts.firstByteMs` (default true). False
   * models an adapter whose own timer is late or absent (undici's coarse headersTimeout): only
   * the signal ends a hang.
   */
  honoursTimeouts: boolean;
  /** Appends answers for the next calls. */
  script(...answers: ScriptedAnswer[]): void;
}

/** 10 prompt + 5 completion tokens, reported cost 0.000015 USD (15 000 nano-USD). */
export const TEST_USAGE: Usage = {
  prompt_tokens: 10,
  completion_tokens: 5,
  total_tokens: 15,
  cost: 0.000015,
};

/** The reason an aborted call rejects with: the signal's SignalboxError, as the real adapters. */
function abortReason(signal: AbortSignal): SignalboxError {
  return signal.reason instanceof SignalboxError
    ? signal.reason
    : new SignalboxError('client_closed_request', 'The request was aborted.');
}

/**
 * Resolves after `ms` (never when `ms` is Infinity); rejects with the abort reason when
 * `signal` aborts, with `timeout` when `timeoutMs` passes first; resolves `'closed'` when
 * `closed` aborts first.
 */
function wait(
  ms: number,
  signal: AbortSignal | undefined,
  options: { timeoutMs?: number | undefined; closed?: AbortSignal } = {},
): Promise<'elapsed' | 'closed'> {
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    const cleanup = (): void => {
      for (const timer of timers) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      options.closed?.removeEventListener('abort', onClosed);
    };
    function onAbort(): void {
      cleanup();
      reject(abortReason(signal as AbortSignal));
    }
    function onClosed(): void {
      cleanup();
      resolve('closed');
    }
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    if (options.closed?.aborted === true) {
      resolve('closed');
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    options.closed?.addEventListener('abort', onClosed, { once: true });
    if (Number.isFinite(ms))
      timers.push(
        setTimeout(() => {
          cleanup();
          resolve('elapsed');
        }, ms),
      );
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && timeoutMs < ms)
      timers.push(
        setTimeout(() => {
          cleanup();
          reject(new SignalboxError('upstream_timeout', 'The upstream sent no response headers.'));
        }, timeoutMs),
      );
  });
}

function chunkOf(id: string, model: string, extra: Partial<ChatCompletionChunk>): ChunkEvent {
  const chunk: ChatCompletionChunk = {
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [],
    ...extra,
  };
  return { chunk, raw: JSON.stringify(chunk) };
}

function eventFor(step: StreamStep, id: string, model: string): ChunkEvent | null {
  if ('text' in step)
    return chunkOf(id, model, {
      choices: [{ index: 0, delta: { content: step.text }, finish_reason: null }],
    });
  if ('finish' in step)
    return chunkOf(id, model, {
      choices: [{ index: 0, delta: {}, finish_reason: step.finish }],
      ...(step.usage === undefined ? {} : { usage: step.usage }),
    });
  if ('inBandError' in step) {
    const event = chunkOf(id, model, {
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      error: { code: step.inBandError.upstreamStatus ?? 500, message: step.inBandError.message },
    });
    return { ...event, error: step.inBandError };
  }
  return null;
}

/**
 * A provider adapter that answers from a script, one answer per call, in order; once the
 * script is used up every call gets a plain JSON or stream answer. Honours `options.signal`
 * and `options.timeouts.firstByteMs` (header phase) as the real adapters do.
 */
export function createFakeAdapter(id: string, ...answers: ScriptedAnswer[]): FakeAdapter {
  const queue: ScriptedAnswer[] = [...answers];
  const calls: RecordedCall[] = [];
  let pulls = 0;
  let closedStreams = 0;
  let serial = 0;

  async function headers(
    method: RecordedCall['method'],
    model: string | undefined,
    options: CallOptions | undefined,
    stream: boolean,
  ): Promise<ScriptedAnswer> {
    calls.push({ method, model, options, at: Date.now() });
    const answer =
      queue.shift() ??
      (stream
        ? { stream: [{ text: 'Hello' }, { text: ' there' }, { finish: 'stop', usage: TEST_USAGE }] }
        : { json: { text: 'Hello there', usage: TEST_USAGE } });
    const delay = 'hang' in answer ? Infinity : (answer.delayMs ?? 0);
    if (delay > 0 || 'hang' in answer)
      await wait(delay, options?.signal, {
        timeoutMs: adapter.honoursTimeouts ? options?.timeouts?.firstByteMs : undefined,
      });
    if (options?.signal?.aborted === true) throw abortReason(options.signal);
    if ('error' in answer) throw answer.error;
    return answer;
  }

  function openStreamFrom(
    steps: StreamStep[],
    generationId: string,
    model: string,
    signal: AbortSignal | undefined,
  ): UpstreamStream {
    const closed = new AbortController();
    let index = 0;
    const iterator: AsyncIterator<ChunkEvent> = {
      async next(): Promise<IteratorResult<ChunkEvent>> {
        pulls += 1;
        for (;;) {
          if (closed.signal.aborted) return { done: true, value: undefined };
          const step = steps[index];
          if (step === undefined) return { done: true, value: undefined };
          index += 1;
          const delay = 'hang' in step ? Infinity : (step.delayMs ?? 0);
          if (delay > 0 && (await wait(delay, signal, { closed: closed.signal })) === 'closed')
            return { done: true, value: undefined };
          if (signal?.aborted === true) throw abortReason(signal);
          if ('fail' in step) throw step.fail;
          const event = eventFor(step, generationId, model);
          if (event !== null) return { done: false, value: event };
        }
      },
    };
    return {
      generationId,
      firstByteMs: 1,
      close() {
        if (closed.signal.aborted) return;
        closedStreams += 1;
        closed.abort();
      },
      [Symbol.asyncIterator]: () => iterator,
    };
  }

  const adapter: FakeAdapter = {
    id,
    honoursTimeouts: true,
    capabilities: { streaming: true, tools: true, reportsCost: true },
    calls,
    get pulls() {
      return pulls;
    },
    get closedStreams() {
      return closedStreams;
    },
    script(...more) {
      queue.push(...more);
    },
    async chat(request, options): Promise<ChatResult> {
      const answer = await headers('chat', request.model, options, false);
      if (!('json' in answer)) throw new Error(`${id}: a stream was scripted for a JSON call`);
      serial += 1;
      const completion: ChatCompletion = {
        id: `gen-${id}-${serial}`,
        object: 'chat.completion',
        created: 1_700_000_000,
        model: request.model ?? '',
        system_fingerprint: null,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.json.text ?? 'Hello there' },
            finish_reason: 'stop',
          },
        ],
        ...(answer.json.usage === undefined ? {} : { usage: answer.json.usage }),
      };
      return {
        completion,
        raw: Buffer.from(JSON.stringify(completion)),
        generationId: completion.id,
        firstByteMs: 1,
      };
    },
    async openStream(request, options): Promise<UpstreamStream> {
      const answer = await headers('openStream', request.model, options, true);
      if (!('stream' in answer)) throw new Error(`${id}: JSON was scripted for a stream call`);
      serial += 1;
      return openStreamFrom(
        answer.stream,
        `gen-${id}-${serial}`,
        request.model ?? '',
        options?.signal,
      );
    },
    chatStream() {
      throw new Error('chatStream is not used by the pipeline');
    },
    listModels: () => Promise.resolve([]),
    checkHealth: () => Promise.resolve({ ok: true, latencyMs: 0 }),
    calculateCost: () => null,
  };
  return adapter;
}

/** A logger that keeps every line. */
export interface RecordingLogger extends GatewayLogger {
  readonly lines: { level: 'info' | 'warn' | 'error'; object: object; message: string }[];
  /** Lines at `level` whose message contains `text`. */
  count(level: 'info' | 'warn' | 'error', text: string): number;
}

export function createRecordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  return {
    lines,
    info: (object, message) => lines.push({ level: 'info', object, message }),
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
    error: (object, message) => lines.push({ level: 'error', object, message }),
    count: (level, text) =>
      lines.filter((line) => line.level === level && line.message.includes(text)).length,
  };
}

/** A ledger as a settlement listener: keeps every settlement, or fails as told. */
export interface FakeLedger extends SettlementListener {
  readonly settled: Settlement[];
  readonly attempts: { attempt: AttemptRecord; requestId: string }[];
  /** `throw`: onSettled throws; `reject`: it returns a rejected promise. */
  failure: 'none' | 'throw' | 'reject';
}

export function createFakeLedger(): FakeLedger {
  const ledger: FakeLedger = {
    name: 'fake-ledger',
    settled: [],
    attempts: [],
    failure: 'none',
    onAttempt(attempt, requestId) {
      ledger.attempts.push({ attempt, requestId });
    },
    onSettled(settlement) {
      ledger.settled.push(settlement);
      if (ledger.failure === 'throw') throw new Error('ledger: disk full');
      if (ledger.failure === 'reject') return Promise.reject(new Error('ledger: database down'));
      return undefined;
    },
  };
  return ledger;
}

/** The settlement listener that feeds a health registry (as the composition root wires it). */
export function healthListener(health: HealthRegistry): SettlementListener {
  return {
    name: 'health',
    onAttempt(attempt) {
      health.record({
        provider: attempt.provider,
        model: attempt.model,
        status: attempt.status,
        upstreamStatus: attempt.upstreamStatus,
        latencyMs: attempt.latencyMs,
        ttftMs: attempt.ttftMs,
        at: attempt.startedAt.getTime() + attempt.latencyMs,
      });
    },
  };
}

/** A priced catalogue entry (1 USD per million prompt and completion tokens). */
export function testModel(id: string): ModelInfo {
  return {
    id,
    name: id,
    created: 1_700_000_000,
    context_length: 128_000,
    architecture: {},
    pricing: { prompt: '0.000001', completion: '0.000001' },
    top_provider: { max_completion_tokens: 1000 },
    per_request_limits: null,
    supported_parameters: [],
  };
}

export const DEFAULT_PROVIDER = 'openrouter';
/** Served by the direct provider `direct` (native name `native-model`) and by OpenRouter. */
export const DIRECT_MODEL = 'acme/direct-model';
/** Served by OpenRouter only. */
export const ROUTER_MODEL = 'acme/router-model';
export const DISABLED_MODEL = 'acme/disabled-model';

export interface TestServicesOptions {
  adapters: FakeAdapter[];
  health?: HealthGate;
  retryBudget?: RetryGate;
  admission?: Admission | null;
  /** Listeners after the fake ledger. */
  listeners?: SettlementListener[];
  resilience?: Partial<ResiliencePolicy>;
}

export interface TestServices {
  services: GatewayServices;
  ledger: FakeLedger;
  logger: RecordingLogger;
}

/**
 * Services over the given adapters: OpenRouter (`openrouter`) serves every model, the direct
 * provider `direct` serves {@link DIRECT_MODEL} as `native-model` and is tried first;
 * {@link DISABLED_MODEL} is disabled. Defaults: no health registry, no retry budget, 2 retries,
 * 1 s max retry delay, 2 s first byte, 300 ms fallback TTFT, 5 s deadline, no graceful reply.
 */
export function createTestServices(options: TestServicesOptions): TestServices {
  const adapters = new Map(options.adapters.map((adapter) => [adapter.id, adapter]));
  const catalogue = new Map(
    [DIRECT_MODEL, ROUTER_MODEL, DISABLED_MODEL].map((id) => [id, testModel(id)]),
  );
  const ledger = createFakeLedger();
  const logger = createRecordingLogger();
  const services: GatewayServices = {
    provider: (id) => adapters.get(id),
    routing: {
      defaultProvider: DEFAULT_PROVIDER,
      directProviders: adapters.has('direct')
        ? [{ id: 'direct', nativeModel: (id) => (id === DIRECT_MODEL ? 'native-model' : null) }]
        : [],
      lookupModel: (id) => catalogue.get(id),
      isModelDisabled: (id) => id === DISABLED_MODEL,
    },
    lookupModel: (id) => catalogue.get(id),
    health: options.health ?? alwaysHealthy,
    retryBudget: options.retryBudget ?? unlimitedRetries,
    admission: options.admission ?? null,
    settlement: createSettlementHub([ledger, ...(options.listeners ?? [])], logger),
    resilience: {
      maxRetries: 2,
      maxRetryDelayMs: 1_000,
      firstByteTimeoutMs: 2_000,
      fallbackTtftMs: 300,
      requestTimeoutMs: 5_000,
      fallbackReply: null,
      ...options.resilience,
    },
    logger,
    now: Date.now,
  };
  return { services, ledger, logger };
}

/** What the client received, as a recording ResponseWriter saw it. */
export interface RecordingWriter extends ResponseWriter {
  /** `json`, `stream` or `error` once the pipeline answered; null before. */
  kind: 'json' | 'stream' | 'error' | null;
  /** Calls of json / startStream / error (exactly one is expected). */
  answers: number;
  headers: Record<string, string>;
  completion: ChatCompletion | null;
  body: string | null;
  failure: SignalboxError | null;
  readonly events: ChunkEvent[];
  ended: boolean;
  /** Writes after `end()` or after the client left (must stay 0). */
  writesAfterEnd: number;
  /** ms since the epoch at which the answer started / the stream ended. */
  answeredAt: number | null;
  endedAt: number | null;
  /** From now on `write` reports a full buffer until `drain()`. */
  block(): void;
  /** Empties the buffer: `drained()` resolves. */
  drain(): void;
  /** The client leaves (closes its connection): aborts `abort` as the HTTP route does. */
  disconnect(): void;
}

export function createRecordingWriter(abort: AbortController): RecordingWriter {
  let blocked = false;
  let open = true;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve();
  };
  const chunks: ChunkWriter = {
    write(event) {
      if (!open || writer.ended) {
        writer.writesAfterEnd += 1;
        return true;
      }
      writer.events.push(event);
      return !blocked;
    },
    drained() {
      if (!blocked || !open) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    end() {
      if (writer.ended) writer.writesAfterEnd += 1;
      writer.ended = true;
      writer.endedAt = Date.now();
    },
    get open() {
      return open;
    },
  };
  const writer: RecordingWriter = {
    kind: null,
    answers: 0,
    headers: {},
    completion: null,
    body: null,
    failure: null,
    events: [],
    ended: false,
    writesAfterEnd: 0,
    answeredAt: null,
    endedAt: null,
    json(completion, body, headers) {
      writer.answers += 1;
      writer.kind = 'json';
      writer.completion = completion;
      writer.body = typeof body === 'string' ? body : body.toString('utf8');
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      writer.endedAt = writer.answeredAt;
    },
    startStream(headers) {
      writer.answers += 1;
      writer.kind = 'stream';
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      return chunks;
    },
    error(failure, headers) {
      writer.answers += 1;
      writer.kind = 'error';
      writer.failure = failure;
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      writer.endedAt = writer.answeredAt;
    },
    block() {
      blocked = true;
    },
    drain() {
      blocked = false;
      release();
    },
    disconnect() {
      open = false;
      release();
      abort.abort(new SignalboxError('client_closed_request', 'The client closed the connection.'));
    },
  };
  return writer;
}

/** The text a stream delivered (content deltas joined). */
export function streamedText(events: readonly ChunkEvent[]): string {
  return events
    .flatMap((event) => event.chunk.choices.map((choice) => choice.delta.content ?? ''))
    .join('');
}

export interface ChatRun {
  writer: RecordingWriter;
  abort: AbortController;
  /** Resolves when handleChat resolves; rejects if it ever rejects (it must not). */
  done: Promise<void>;
  startedAt: number;
}

/** A chat body for `model`. */
export function chatBody(model: string, extra: Record<string, unknown> = {}): object {
  return { model, messages: [{ role: 'user', content: 'Tell me about signal boxes.' }], ...extra };
}

/** Starts one request through handleChat with a recording writer. */
export function startChat(
  services: GatewayServices,
  body: unknown,
  input: Partial<Omit<ChatInput, 'body' | 'abort'>> = {},
): ChatRun {
  const abort = new AbortController();
  const writer = createRecordingWriter(abort);
  const startedAt = Date.now();
  const done = handleChat(
    {
      requestId: `req-${String(startedAt)}-${Math.random().toString(36).slice(2, 8)}`,
      receivedAt: startedAt,
      principal: MASTER_PRINCIPAL,
      ...input,
      body,
      abort,
    },
    services,
    writer,
  );
  return { writer, abort, done, startedAt };
}

/** Runs one request to its end. */
export async function runChat(
  services: GatewayServices,
  body: unknown,
  input: Partial<Omit<ChatInput, 'body' | 'abort'>> = {},
): Promise<ChatRun> {
  const run = startChat(services, body, input);
  await run.done;
  return run;
}
