/**
 * What both base adapters (OpenAI-compatible and translated) do around the one HTTP function:
 * send with the adapter's headers and timeouts, turn a non-2xx answer into its SignalboxError,
 * and wrap an open SSE body as an UpstreamStream whose `close()` keeps finished connections.
 */
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { CallOptions, ChunkEvent, UpstreamStream } from '../provider-adapter.ts';
import type { ResponseHeaders } from './map-upstream-error.ts';
import { sendRequest, type UpstreamResponse } from './upstream-http.ts';

export interface UpstreamClientOptions {
  dispatcher: Dispatcher;
  /** Auth and fixed headers, built per request (credentials are read per call). */
  headers: (callOptions?: CallOptions) => Record<string, string>;
  timeouts: UpstreamTimeouts;
  parseError: (status: number, body: Buffer, headers: ResponseHeaders) => SignalboxError;
}

export interface UpstreamClient {
  send: (
    method: 'GET' | 'POST',
    url: string,
    extraHeaders: Record<string, string>,
    body: string | Buffer | undefined,
    callOptions: CallOptions | undefined,
    timeouts?: UpstreamTimeouts,
  ) => Promise<UpstreamResponse>;
  /** Reads a non-2xx body and rejects with the adapter's mapped error. */
  rejectWithError: (response: UpstreamResponse) => Promise<never>;
}

/** The adapter's timeouts, each lowered to the call's own limit when it gave a smaller one. */
function tighter(timeouts: UpstreamTimeouts, call: CallOptions['timeouts']): UpstreamTimeouts {
  if (call === undefined) return timeouts;
  return {
    ...timeouts,
    firstByteMs: Math.min(timeouts.firstByteMs, call.firstByteMs ?? Infinity),
    totalMs: Math.min(timeouts.totalMs, call.totalMs ?? Infinity),
  };
}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  return {
    send: (method, url, extraHeaders, body, callOptions, timeouts = options.timeouts) =>
      sendRequest({
        dispatcher: options.dispatcher,
        method,
        url,
        headers:
          callOptions?.traceparent === undefined
            ? { ...options.headers(callOptions), ...extraHeaders }
            : {
                ...options.headers(callOptions),
                ...extraHeaders,
                traceparent: callOptions.traceparent,
              },
        ...(body === undefined ? {} : { body }),
        timeouts: tighter(timeouts, callOptions?.timeouts),
        signal: callOptions?.signal,
      }),
    rejectWithError: async (response) => {
      const bytes = await response.readBody();
      throw options.parseError(response.status, bytes, response.headers);
    },
  };
}

/** Shared by the stream wrapper and the reader it drives. */
export interface StreamState {
  /** `close()` was called: iteration ends quietly. */
  closed: boolean;
  /** The reader finished with the body (read to its end, or cut). */
  settled: boolean;
}

/**
 * Wraps an open 2xx SSE response: `read(state)` yields the chunk events and must set
 * `state.settled` once it is done with the body. Once the body has been read to its end (or
 * already cut), `close()` does nothing: destroying it then would throw away a reusable
 * keep-alive connection.
 */
export function createClosableStream(
  response: UpstreamResponse,
  generationId: string | null,
  read: (state: StreamState) => AsyncGenerator<ChunkEvent>,
): UpstreamStream {
  const state: StreamState = { closed: false, settled: false };
  const events = read(state);
  return {
    generationId,
    firstByteMs: response.firstByteMs,
    close: () => {
      if (state.closed || state.settled) return;
      state.closed = true;
      response.discard();
    },
    [Symbol.asyncIterator]: () => events,
  };
}

/**
 * Runs one parse or translate step over upstream bytes. What it throws is the bytes' fault, not
 * the connection's: a SignalboxError passes through, anything else (a translator meeting a shape
 * it did not expect) becomes `upstream_invalid_response`, so a reader never reports malformed
 * content as a lost connection, and never lets a bare TypeError out.
 */
export function parseUpstreamEvent<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SignalboxError) throw error;
    throw new SignalboxError(
      'upstream_invalid_response',
      'Upstream sent a stream event that could not be read.',
      { cause: error },
    );
  }
}
