/**
 * The edge error mapping (docs/conventions.md §9): whatever was thrown becomes a
 * SignalboxError rendered as `{"error":{"message","type","param","code"}}`. Fastify's own
 * errors (body too large, bad content type, malformed JSON, prototype poisoning, timeouts)
 * are mapped to our codes; anything unknown is an `internal_error` whose message never
 * leaks (no stack trace, URL or secret reaches a client).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignalboxError, toSignalboxError } from '../contracts/errors.ts';
import { isDatabaseUnavailableError } from '../storage/index.ts';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

function isFastifyLikeError(error: unknown): error is FastifyLikeError {
  return typeof error === 'object' && error !== null;
}

export function toHttpError(error: unknown): SignalboxError {
  if (error instanceof SignalboxError) return error;
  if (!isFastifyLikeError(error)) return toSignalboxError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SignalboxError(
        'request_too_large',
        'The request body is larger than the configured limit.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new SignalboxError(
        'unsupported_media_type',
        'Send the request body as JSON with "Content-Type: application/json".',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new SignalboxError('invalid_json', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new SignalboxError('invalid_json', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (error instanceof SyntaxError) {
    // secure-json-parse raises SyntaxError for malformed JSON and for __proto__/constructor keys.
    const poisoned = /forbidden prototype property/i.test(error.message);
    return new SignalboxError(
      poisoned ? 'invalid_request' : 'invalid_json',
      poisoned
        ? 'The request body contains a forbidden "__proto__" or "constructor.prototype" key.'
        : 'The request body is not valid JSON.',
    );
  }
  if (error.statusCode === 408 || error.code === 'FST_ERR_REQUEST_TIMEOUT') {
    return new SignalboxError('request_timeout', 'The client took too long to send the request.');
  }
  // Node's IncomingMessage error when the client goes away before its body is complete.
  if (error.code === 'ECONNRESET' && error.message === 'aborted') {
    return new SignalboxError('client_closed_request', 'The client closed the connection.', {
      cause: error,
    });
  }
  if (isDatabaseUnavailableError(error)) {
    return new SignalboxError(
      'database_unavailable',
      'The database is unavailable; try again shortly.',
      { cause: error },
    );
  }
  return toSignalboxError(error);
}

/**
 * Renders any thrown value as the OpenAI-shaped error response, logged at the code's level,
 * with `retry-after` when the error carries one. The one place error bodies are written.
 */
export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const failure = toHttpError(error);
  request.errorCode = failure.code;
  // A client error (every code logged at info) is told by the access line and its `code`;
  // server and upstream failures also get a line with the cause's stack.
  if (failure.logLevel !== 'info')
    request.log[failure.logLevel](
      { code: failure.code, status: failure.status, err: failure.cause ?? failure },
      failure.message,
    );
  // The connection is gone (client abort, or a 408 already answered by client-error.ts).
  if (reply.raw.headersSent || reply.raw.destroyed) return reply;
  if (failure.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.ceil(failure.retryAfterSeconds)));
  return reply.code(failure.status).type('application/json').send(failure.toBody());
}
