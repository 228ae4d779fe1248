/**
 * A provider adapter for the pipeline's unit tests that answers from a script: JSON answers,
 * streams of chunk events with delays, errors before the headers or in the stream, in-band
 * errors with their SignalboxError attached, hangs. Every wait honours the call's abort signal
 * the way the real adapters do (the signal's SignalboxError reason wins). Test support only.
 */
import type { ChatCompletion, ChatCompletionChunk, Usage } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type {
  CallOptions,
  ChatResult,
  ChunkEvent,
  ProviderAdapter,
  UpstreamStream,
} from '../../providers/index.ts';

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
  return { chunk, raw: JSON.stringify(chunk), usage: chunk.usage ?? null };
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
