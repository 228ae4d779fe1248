/**
 * One alert evaluation at a time across instances (ADR 0018). On PostgreSQL, a transaction
 * takes `pg_try_advisory_xact_lock` and holds it while `work` runs (work reads and writes
 * through the pool's other connections); an instance that finds the lock taken skips its turn.
 * The lock ends with the transaction, so a crashed holder never keeps it. PGlite belongs to
 * one process: `work` just runs.
 */
import { tryAdvisoryXactLock } from './advisory-lock.ts';
import type { Database } from './database.ts';

/** Key of the advisory lock: "sbalerts" as a 64-bit integer. */
export const ALERT_EVALUATION_LOCK_KEY = 0x7362_616c_6572_7473n;

/**
 * Runs `work` holding the evaluation lock; resolves to null (without running it) when another
 * session holds the lock.
 * @throws the driver's error, or work's.
 */
export async function withAlertEvaluationLock<T>(
  database: Database,
  work: () => Promise<T>,
): Promise<{ value: T } | null> {
  if (database.kind === 'pglite') return { value: await work() };
  return database.db.transaction(async (tx) => {
    if (!(await tryAdvisoryXactLock(tx, ALERT_EVALUATION_LOCK_KEY))) return null;
    return { value: await work() };
  });
}
