/** Paths pino redacts in every log line: credentials never reach a log. */
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
];

const SECRET_LIKE = /\b(sk-[A-Za-z0-9_-]{8,}|sb-[A-Za-z0-9_-]{16,})|Bearer\s+\S+/g;

/** Replaces key-like tokens in free text (error messages from upstreams) with `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, '[redacted]');
}
