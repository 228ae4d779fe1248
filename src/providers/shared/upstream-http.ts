/**
 * The one function all upstream HTTP goes through (docs/conventions.md §4), on undici
 * `request()` with an injectable dispatcher; global fetch costs 5–6× as much CPU
 * (docs/performance.md). Redirects are never followed: undici's Agent only follows them
 * through the redirect interceptor, which is not installed here.
 *
 * Timeouts (milliseconds, src/config UpstreamTimeouts): connect on the dispatcher; first byte
 * = undici `headersTimeout`; idle = `bodyTimeout` (longest silence between body chunks); total
 * = a timer that also covers the body, combined with the caller's signal.
 *
 * Errors are SignalboxError only; messages are fixed text and never contain the upstream URL
 * or a header value (the original error is kept as `cause` for logs).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { SignalboxError } from '../../contracts/errors.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ResponseHeaders } from './map-upstream-error.ts';

export interface UpstreamDispatcherOptions {
  /** TCP + TLS connect timeout, ms. */
  connectTimeoutMs: number;
  /** How long an idle keep-alive socket is kept, ms (undici default 4 000; servers may lower it). */
  keepAliveTimeoutMs?: number;
  /** Sockets per origin; unlimited when absent. */
  connections?: number;
}

/** A keep-alive connection pool per origin. Close it with `dispatcher.close()` on shutdown. */
export function createUpstreamDispatcher(options: UpstreamDispatcherOptions): Agent {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs },
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  });
}

export interface UpstreamRequest {
  dispatcher: Dispatcher;
  method: 'GET' | 'POST';
  /** Absolute URL. Never put into an error message. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeouts: Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs' | 'totalMs'>;
  /** The caller's abort signal (client disconnect, deadline). */
  signal?: AbortSignal | undefined;
}

/** How a failure is reported depends on where it happened. */
export type TransportPhase = 'request' | 'body' | 'stream';

export interface UpstreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: ResponseHeaders;
  /** Milliseconds from sending the request to the response headers. */
  firstByteMs: number;
  /** The undici body stream; read it, `readBody()` it, or `discard()` it. */
  body: Dispatcher.ResponseData['body'];
  /** Reads the whole body. Rejects with SignalboxError. */
  readBody(): Promise<Buffer>;
  /**
   * Closes the body without reading it, which also closes the connection. Idempotent, and
   * never emits an unhandled 'error', whatever state the body is in.
   */
  discard(): void;
  /** Reads and drops what is left of the body (up to 64 KiB) so the connection can be reused. */
  drain(): void;
  /** Maps an error thrown while reading the body to a SignalboxError. */
  toError(error: unknown, phase: TransportPhase): SignalboxError;
}

/**
 * Sends one request and resolves with the response headers; the body is read by the caller.
 * @throws SignalboxError `upstream_timeout` (connect, first byte, total), `upstream_unavailable`
 *   (refused, reset, DNS, TLS), `client_closed_request` (the caller's signal aborted).
 */
export async function sendRequest(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
  const callerSignal = upstreamRequest.signal;
  const total = totalTimeout(upstreamRequest.timeouts.totalMs, callerSignal);
  const toError = (error: unknown, phase: TransportPhase): SignalboxError =>
    mapTransportError(error, phase, callerSignal, total);
  if (callerSignal?.aborted === true) {
    total.release();
    throw toError(callerSignal.reason, 'request');
  }

  const startedAt = performance.now();
  let response: Dispatcher.ResponseData;
  try {
    response = await request(upstreamRequest.url, {
      dispatcher: upstreamRequest.dispatcher,
      method: upstreamRequest.method,
      headers: upstreamRequest.headers,
      body: upstreamRequest.body ?? null,
      signal: total.signal,
      headersTimeout: upstreamRequest.timeouts.firstByteMs,
      bodyTimeout: upstreamRequest.timeouts.idleMs,
    });
  } catch (error) {
    total.release();
    throw toError(error, 'request');
  }
  const firstByteMs = performance.now() - startedAt;
  const body = response.body;
  // Destroying an undici body before its end emits 'error' (RequestAbortedError), and undici
  // attaches its own no-op listener only while the request is still running: once the upstream
  // has sent its whole response, a body cut short by a reader that gave up on it (a malformed
  // event, a deadline) emits an 'error' nobody listens to, and Node turns that into an uncaught
  // exception that takes down every request in flight. Readers see failures through their
  // iterator or `readBody()`, never through this event, so it is safe to absorb here — once,
  // for every way the body can end.
  body.on('error', ignoreBodyError);
  // The total timeout covers the body too: it stops once the body is done with, however it ends.
  body.once('close', total.release);
  return {
    status: response.statusCode,
    headers: response.headers,
    firstByteMs,
    body,
    async readBody() {
      // undici's own consumer: cheaper than an async iterator over the stream.
      try {
        return Buffer.from(await body.arrayBuffer());
      } catch (error) {
        throw toError(error, 'body');
      }
    },
    discard() {
      if (!body.destroyed) body.destroy();
    },
    drain() {
      if (body.destroyed || body.readableEnded) return;
      body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => {
        // A failure here only costs the keep-alive socket.
      });
    },
    toError,
  };
}

const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * The total timeout of one upstream request, combined with the caller's signal: `signal` aborts
 * when either does, `aborted` says whether the timeout did. One controller, one timer and one
 * listener; `AbortSignal.any` over `AbortSignal.timeout` cost several times as much per request.
 * `release()` (idempotent) clears the timer and the listener.
 */
interface TotalTimeout {
  readonly signal: AbortSignal;
  readonly aborted: boolean;
  release: () => void;
}

function totalTimeout(totalMs: number, callerSignal: AbortSignal | undefined): TotalTimeout {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => {
    controller.abort(callerSignal?.reason);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, totalMs);
  // Like AbortSignal.timeout, the timer never keeps the process alive on its own.
  timer.unref();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get aborted() {
      return timedOut;
    },
    release: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function ignoreBodyError(): void {
  // See sendRequest: failures reach the reader through its iterator or readBody().
}

const TIMEOUT_MESSAGES: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'Upstream did not accept the connection within the connect timeout.',
  UND_ERR_HEADERS_TIMEOUT: 'Upstream did not answer within the first-byte timeout.',
  UND_ERR_BODY_TIMEOUT: 'Upstream went silent for longer than the idle timeout.',
};

/**
 * Classifies a transport failure. The caller's signal wins (the client left), then the total
 * timeout, then undici's timeout codes; anything else is a network failure, reported as
 * `upstream_unavailable` before/while reading a plain response and `stream_interrupted` in a stream.
 */
export function mapTransportError(
  error: unknown,
  phase: TransportPhase,
  callerSignal: AbortSignal | undefined,
  totalTimeout: { readonly aborted: boolean },
): SignalboxError {
  if (error instanceof SignalboxError) return error;
  if (callerSignal?.aborted === true) {
    // The caller says why it aborted (the client left, the request's deadline passed).
    if (callerSignal.reason instanceof SignalboxError) return callerSignal.reason;
    return new SignalboxError('client_closed_request', 'The client closed the request.', {
      cause: error,
    });
  }
  if (totalTimeout.aborted) {
    return new SignalboxError(
      'upstream_timeout',
      'Upstream did not finish within the total timeout.',
      {
        cause: error,
      },
    );
  }
  const code = errorCode(error);
  const timeoutMessage = code === undefined ? undefined : TIMEOUT_MESSAGES[code];
  if (timeoutMessage !== undefined)
    return new SignalboxError('upstream_timeout', timeoutMessage, { cause: error });
  // Only a bare system code such as ECONNREFUSED is quoted: it names no host or secret.
  const suffix = code !== undefined && /^E[A-Z]+$/.test(code) ? ` (${code})` : '';
  if (phase === 'stream') {
    return new SignalboxError(
      'stream_interrupted',
      `Upstream connection closed before the stream ended${suffix}.`,
      {
        cause: error,
      },
    );
  }
  const message =
    phase === 'request'
      ? `Could not reach the upstream${suffix}.`
      : `Upstream connection closed before the response was complete${suffix}.`;
  return new SignalboxError('upstream_unavailable', message, { cause: error });
}

function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps some socket errors; the system code sits on the cause.
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}
