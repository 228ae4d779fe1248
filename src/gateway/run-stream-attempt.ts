/**
 * One streaming upstream attempt, with the commit point of ARCHITECTURE.md step 4: nothing
 * reaches the client until the first content event, so until then a failure (HTTP error,
 * in-band error chunk, stall past the time-to-first-token deadline, empty stream) can still
 * be retried invisibly. After the commit: never retry, never truncate silently — a failure
 * ends the stream with an in-band error chunk, then `data: [DONE]`.
 */
import type { ChatCompletionChunk, ChatCompletionRequest, Usage } from '../contracts/chat.ts';
import { SignalboxError, toSignalboxError, type ErrorCode } from '../contracts/errors.ts';
import type { ChunkEvent, ProviderAdapter, UpstreamStream } from '../providers/index.ts';
import type { StreamSink } from './gateway-services.ts';

export interface StreamAttemptResult {
  /** `success`, or the error code the committed stream ended with. */
  status: string;
  /** The error the committed stream ended with, if any. */
  error: SignalboxError | null;
  usage: Usage | null;
  servedModel: string | null;
  generationId: string | null;
  /** From dispatch to the first content event, ms. */
  ttftMs: number;
}

export interface StreamAttemptOptions {
  adapter: ProviderAdapter;
  request: ChatCompletionRequest;
  rawBody: Buffer | undefined;
  signal: AbortSignal;
  sink: StreamSink;
  firstTokenTimeoutMs: number;
  now(): number;
  /** crash-accounting: CallOptions.onGeneration. */
  onGeneration?: (generationId: string) => void;
}

/** OpenRouter's in-band `error.code` is an HTTP-like status (number or string). */
function inBandErrorCode(code: number | string | null | undefined): ErrorCode {
  const status = typeof code === 'number' ? code : Number(code);
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 504 || status === 524) return 'upstream_timeout';
  if (status === 503) return 'upstream_unavailable';
  if (status >= 400 && status < 500) return 'upstream_invalid_request';
  return 'upstream_error';
}

function inBandError(chunk: ChatCompletionChunk): SignalboxError {
  const message =
    typeof chunk.error?.message === 'string' ? chunk.error.message : 'Upstream stream error.';
  return new SignalboxError(inBandErrorCode(chunk.error?.code), `Upstream: ${message}`);
}

async function firstEvent(
  iterator: AsyncIterator<ChunkEvent>,
  upstream: UpstreamStream,
  timeoutMs: number,
): Promise<IteratorResult<ChunkEvent>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      upstream.close();
      reject(
        new SignalboxError(
          'upstream_timeout',
          'The upstream sent no token before the time-to-first-token deadline.',
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The in-band error chunk a committed stream ends with (OpenRouter's mid-stream error shape). */
function errorChunk(reference: ChatCompletionChunk, error: SignalboxError): string {
  return JSON.stringify({
    id: reference.id,
    object: 'chat.completion.chunk',
    created: reference.created,
    model: reference.model,
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    error: { code: error.code, message: error.message },
  });
}

/**
 * Runs the attempt. Rejects (SignalboxError) only before the commit point; after it, resolves
 * with the outcome, having ended the client's stream one way or the other.
 */
export async function runStreamAttempt(
  options: StreamAttemptOptions,
): Promise<StreamAttemptResult> {
  const { adapter, sink } = options;
  const startedAt = options.now();
  const callOptions = {
    signal: options.signal,
    ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
    ...(options.onGeneration === undefined ? {} : { onGeneration: options.onGeneration }),
  };
  const upstream = await adapter.openStream(options.request, callOptions);
  const iterator = upstream[Symbol.asyncIterator]();
  let first: IteratorResult<ChunkEvent>;
  try {
    first = await firstEvent(iterator, upstream, options.firstTokenTimeoutMs);
    if (first.done === true) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'The upstream stream ended before any content.',
      );
    }
    if (first.value.chunk.error !== undefined) throw inBandError(first.value.chunk);
  } catch (error) {
    upstream.close();
    throw error;
  }

  const ttftMs = options.now() - startedAt;
  let last = first.value.chunk;
  let usage: Usage | null = last.usage ?? null;
  let status = 'success';
  let failure: SignalboxError | null = null;
  sink.start({ provider: adapter.id, generationId: upstream.generationId ?? last.id });
  sink.write(first.value.raw ?? JSON.stringify(last));
  try {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      const { chunk, raw } = next.value;
      last = chunk;
      if (chunk.usage) usage = chunk.usage;
      if (sink.open) sink.write(raw ?? JSON.stringify(chunk));
      if (chunk.error !== undefined) {
        failure = inBandError(chunk);
        status = failure.code;
      }
    }
  } catch (error) {
    failure = toSignalboxError(error);
    status = failure.code;
    if (sink.open && failure.code !== 'client_closed_request')
      sink.write(errorChunk(last, failure));
  } finally {
    upstream.close();
  }
  return {
    status,
    error: failure,
    usage,
    servedModel: typeof last.model === 'string' ? last.model : null,
    generationId: upstream.generationId ?? last.id,
    ttftMs,
  };
}
