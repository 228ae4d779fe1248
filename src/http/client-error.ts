/**
 * Node's `clientError` event (https://nodejs.org/api/http.html#event-clienterror): the HTTP
 * parser refused the bytes (a malformed request line, invalid header bytes, oversize headers,
 * both Content-Length and Transfer-Encoding), or the client did not send its whole request
 * within `SIGNALBOX_CLIENT_TIMEOUT_MS`. No Fastify request exists for the first kind, so this
 * handler answers on the socket itself — OpenAI-shaped body, `x-request-id`,
 * `Connection: close` — whenever nothing has been written to it yet, and logs one info line
 * with the parser's code. Never the error object itself: Node attaches the raw request bytes
 * (`rawPacket`, Authorization header included) to parser errors.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SignalboxError } from '../contracts/errors.ts';
import { createRequestId } from '../lib/ids.ts';

/** The parser's or Node's error code → ours. */
function clientErrorFor(code: string): SignalboxError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT')
    return new SignalboxError(
      'request_timeout',
      'The client took too long to send the request (headers and body).',
    );
  if (code === 'HPE_HEADER_OVERFLOW')
    return new SignalboxError(
      'request_header_too_large',
      'The request line and headers are larger than the server accepts (16 KiB).',
    );
  return new SignalboxError(
    'malformed_http_request',
    'The request is not valid HTTP/1.1 (request line, header bytes or message framing).',
  );
}

/** The response Node is writing on this socket, if any (undocumented but stable field). */
function inFlightResponse(socket: Socket): ServerResponse | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}

/** Sends `failure` on a response Fastify has not written yet, then closes the connection. */
function answerOnResponse(
  response: ServerResponse,
  failure: SignalboxError,
  socket: Socket,
): string {
  const existing = response.getHeader('x-request-id');
  const requestId = typeof existing === 'string' ? existing : createRequestId();
  const body = JSON.stringify(failure.toBody());
  response.writeHead(failure.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    connection: 'close',
  });
  response.end(body, () => socket.destroy());
  return requestId;
}

/** Writes a whole HTTP response on a socket no request owns, then closes it. */
function answerOnSocket(socket: Socket, failure: SignalboxError): string {
  const requestId = createRequestId();
  const body = JSON.stringify(failure.toBody());
  socket.end(
    `HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status] ?? 'Error'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
  return requestId;
}

/**
 * Builds Fastify's `clientErrorHandler`.
 * @param logger where the one info line per refused request goes (never the raw bytes)
 */
export function createClientErrorHandler(
  logger: FastifyBaseLogger,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    const code = typeof error.code === 'string' ? error.code : 'unknown';
    // A reset connection has nobody left to answer; Node already destroyed the socket.
    if (code === 'ECONNRESET' || socket.destroyed) {
      socket.destroy();
      return;
    }
    // The client closed its side before the request was complete (it aborted mid-body): one
    // info line; the request's own access line then reports 499.
    if (code === 'HPE_INVALID_EOF_STATE') {
      const requestId = inFlightResponse(socket)?.getHeader('x-request-id') ?? null;
      socket.destroy();
      logger.info(
        { requestId, code: 'client_closed_request', parserCode: code },
        'The client closed the connection before sending the whole request.',
      );
      return;
    }
    const failure = clientErrorFor(code);
    const response = inFlightResponse(socket);
    let requestId: string | null = null;
    if (response !== undefined && !response.headersSent && !response.writableEnded)
      requestId = answerOnResponse(response, failure, socket);
    else if (response === undefined && socket.writable) requestId = answerOnSocket(socket, failure);
    else socket.destroy();
    logger.info(
      { requestId, code: failure.code, status: failure.status, parserCode: code },
      failure.message,
    );
  };
}
