/**
 * Paths pino redacts in every log line: credentials never reach a log. `rawPacket` is the raw
 * request bytes (Authorization header included) Node attaches to HTTP parser errors; the
 * server never logs those errors (src/http/client-error.ts), and these paths catch one that
 * reaches a log any other way, up to two levels deep (`err.rawPacket`, `err.cause.rawPacket`).
 */
export const redactedLogPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers["x-goog-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'apiKey',
  'masterKey',
  'config.masterKey',
  'config.openrouter.apiKey',
  'config.encryptionKey',
  'config.encryptionKeyPrevious',
  'api_key',
  'body.api_key',
  'rawPacket',
  '*.rawPacket',
  '*.*.rawPacket',
];

const SECRET_LIKE = /\b(sk-[A-Za-z0-9_-]{8,}|sb-[A-Za-z0-9_-]{16,})|Bearer\s+\S+/g;

/** Replaces key-like tokens in free text (error messages from upstreams) with `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, '[redacted]');
}
