/**
 * Raw statements inside a drizzle transaction on either backend: the first row of what
 * `tx.execute` returned (node-postgres and PGlite both answer `{ rows }`), and PostgreSQL's
 * transaction-scoped advisory lock, which the background jobs take so that one instance at a
 * time runs them (ADR 0018, 0023). The lock ends with the transaction, so a crashed holder
 * never keeps it.
 */
import type { SQL } from 'drizzle-orm';
import { sql } from './drizzle.ts';

/** What the transactions here need of drizzle's: raw statements. */
export interface RawExecutor {
  execute(query: SQL): Promise<unknown>;
}

/** The first row of a `tx.execute` result, or undefined when it returned none. */
export function firstRowOf(result: unknown): Record<string, unknown> | undefined {
  return (result as { rows?: Record<string, unknown>[] }).rows?.[0];
}

/**
 * `pg_try_advisory_xact_lock(key)` (PostgreSQL only): true when this transaction now holds the
 * lock, false when another session does.
 * @throws the driver's error.
 */
export async function tryAdvisoryXactLock(tx: RawExecutor, key: bigint): Promise<boolean> {
  const result = await tx.execute(
    sql`select pg_try_advisory_xact_lock(${key.toString()}::bigint) as locked`,
  );
  return firstRowOf(result)?.locked === true;
}
