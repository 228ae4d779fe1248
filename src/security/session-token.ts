/**
 * Dashboard session ids and their CSRF tokens. A session id is 32 random bytes (base64url),
 * sent only in an HttpOnly cookie; the database keeps its SHA-256. The CSRF token is derived
 * from the session id (HMAC-SHA256 keyed by it), so it needs no storage, changes with every
 * session, and cannot be computed by a page that cannot read the cookie (OWASP CSRF cheat
 * sheet, "synchronizer token" with a token bound to the session).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new session id: 256 bits of entropy, base64url. */
export function generateSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a session id: the only form that is stored. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** The CSRF token of a session (base64url), sent back in the `x-csrf-token` header. */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('signalbox-csrf-v1').digest('base64url');
}

/** Constant-time check of a presented CSRF token against the session's own. */
export function verifyCsrfToken(presented: string | undefined, sessionId: string): boolean {
  if (presented === undefined) return false;
  const expected = createHash('sha256').update(csrfTokenFor(sessionId)).digest();
  const actual = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expected, actual);
}
