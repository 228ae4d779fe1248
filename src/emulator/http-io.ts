/** Small node:http helpers for the emulator (request bodies, JSON answers, bearer keys). */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Headers OpenRouter sends on every API answer (recorded). */
export const OPENROUTER_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Generation-Id,X-Provider-Name,cf-ray',
};

/** Request bodies above this many bytes are refused with 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/**
 * The request body as UTF-8 text.
 * @throws BodyTooLargeError above MAX_BODY_BYTES; rejects when the client aborts.
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError('Request payload too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(
        chunks.length === 1 && chunks[0] !== undefined
          ? chunks[0].toString('utf8')
          : Buffer.concat(chunks).toString('utf8'),
      );
    });
    request.on('error', reject);
  });
}

/** Sends a JSON answer (`body` already serialised when a string) with OpenRouter's headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...OPENROUTER_HEADERS,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** The bearer token of `Authorization: Bearer <key>`; null when the header is absent or empty. */
export function bearerKey(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const key = match?.[1]?.trim() ?? '';
  return key === '' ? null : key;
}

/**
 * Resolves after `milliseconds`, or as soon as `response` closes (a client that gave up must not
 * keep a timer alive). Null when there is nothing to wait for.
 */
export function delay(
  milliseconds: number | undefined,
  response: ServerResponse,
): Promise<void> | null {
  if (milliseconds === undefined || milliseconds <= 0) return null;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    response.on('close', done);
  });
}

/** Whether the response can no longer be written (client gone, or ended). */
export function isClosed(response: ServerResponse): boolean {
  return response.destroyed || response.writableEnded;
}

/** Resolves after the response drains or closes, whichever comes first. */
export function drainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
