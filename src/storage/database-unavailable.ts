/**
 * Whether a driver error means "the database cannot be reached" (as opposed to a bad query or
 * bad data): the HTTP edge answers those with 503 `database_unavailable` instead of 500.
 * PostgreSQL: SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect
 * now), 53300 (too many connections), socket errors from the network, and node-postgres's own
 * "Connection terminated…" / pool time-outs. PGlite: "PGlite is closed".
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client was closed and is not queryable|Cannot use a pool after calling end on the pool|PGlite is closed)/;

function isUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (NETWORK_CODES.has(code)) return true;
  // Connection failures to a host with several addresses arrive as an AggregateError.
  if (error instanceof AggregateError)
    return error.errors.some((inner) => isUnavailable(inner, depth + 1));
  if (error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message)) return true;
  // Drizzle wraps the driver's error (DrizzleQueryError) as its `cause`.
  return error instanceof Error && isUnavailable(error.cause, depth + 1);
}

/**
 * @param error anything a repository or the ledger writer's flush rejected with
 * @returns true when it (or an error it wraps) says the database is unreachable, closed or
 *   refusing connections
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return isUnavailable(error);
}
