/**
 * Masks secrets in a value bound for the audit log, a log line or an API answer: every field
 * whose name says it holds a credential (`api_key`, `apiKey`, `key`, `secret`, `password`,
 * `token`, `authorization`, `*_secret`, …) keeps only its last 4 characters (`…abcd`), the way
 * dashboards show keys; anything else is copied as is. Arrays and nested objects are walked.
 */
const SECRET_NAME =
  /^(api_?key|key|secret|password|passphrase|token|authorization|encryption_key)$|(_|-)(api_?key|secret|password|token)$|^(x-)?api-key$/i;

/** `…` followed by the last 4 characters (the whole thing hidden when it is 8 or shorter). */
export function lastFour(secret: string): string {
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`;
}

/** A deep copy of `value` with every secret-named field masked. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (SECRET_NAME.test(name) && field !== null && field !== undefined) {
      out[name] = typeof field === 'string' ? lastFour(field) : '[masked]';
    } else {
      out[name] = maskSecrets(field);
    }
  }
  return out;
}
