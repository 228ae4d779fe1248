/**
 * Refresh of the traffic profile's materialized views (`traffic_profile_days` and the latency
 * histograms by model, `model_latency_days`; migration 0015, ADR 0023): recomputes the whole UTC days before the cut-off — the start of the UTC day an hour
 * before the refresh, so requests settling a little after midnight are in — and moves the
 * cut-off in the same transaction. Readers take whole days before the cut-off from the view and
 * the rest from the ledger, so a reader never counts a request twice or misses one.
 *
 * On PostgreSQL the refresh is `CONCURRENTLY` (readers are not blocked) and holds
 * `pg_try_advisory_xact_lock`: one instance refreshes at a time; another that finds the lock
 * taken skips its turn. PGlite belongs to one process and refreshes plainly, and only when the
 * cut-off moves (once a day): it runs on the gateway's own thread and is its only connection.
 */
import { firstRowOf, tryAdvisoryXactLock } from './advisory-lock.ts';
import { sql } from './drizzle.ts';
import type { Database } from './database.ts';

/** Key of the advisory lock: "sbtraffc" as a 64-bit integer. */
export const TRAFFIC_PROFILE_REFRESH_LOCK_KEY = 0x7362_7472_6166_6663n;

const CUTOFF = sql.raw(
  `date_trunc('day', (now() - interval '1 hour') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
);

/** What a refresh did. */
export interface TrafficProfileRefresh {
  /** The view now holds exactly the requests created before this instant. */
  cutoff: Date;
}

/**
 * Refreshes the view and moves its cut-off; resolves to null (having done nothing) when another
 * instance is refreshing, or on PGlite when the cut-off would not move (unless `force`: an
 * operator's or a test's refresh of rows written late).
 * @throws the driver's error.
 */
export async function refreshTrafficProfiles(
  database: Database,
  options: { force?: boolean } = {},
): Promise<TrafficProfileRefresh | null> {
  return database.db.transaction(async (tx) => {
    if (database.kind === 'postgres') {
      if (!(await tryAdvisoryXactLock(tx, TRAFFIC_PROFILE_REFRESH_LOCK_KEY))) return null;
      await tx.execute(sql`refresh materialized view concurrently traffic_profile_days`);
      await tx.execute(sql`refresh materialized view concurrently model_latency_days`);
    } else {
      // PGlite runs in the gateway's own thread and is its only connection: a refresh (seconds
      // per million rows) stalls everything else. Only when the cut-off moves, once a day.
      const due = firstRowOf(
        await tx.execute(
          sql`select cutoff < ${CUTOFF} as due from traffic_profile_refresh where id = 1`,
        ),
      )?.due;
      if (options.force !== true && due !== true) return null;
      await tx.execute(sql`refresh materialized view traffic_profile_days`);
      await tx.execute(sql`refresh materialized view model_latency_days`);
    }
    const cutoff = firstRowOf(
      await tx.execute(
        sql`update traffic_profile_refresh set cutoff = ${CUTOFF}, refreshed_at = now()
            where id = 1 returning cutoff`,
      ),
    )?.cutoff;
    return { cutoff: cutoff instanceof Date ? cutoff : new Date(String(cutoff)) };
  });
}

/** A background refresh loop (see startTrafficProfileRefresher). */
export interface TrafficProfileRefresher {
  /** Refreshes now (skipped when a refresh is already running here or elsewhere). */
  refresh(): Promise<TrafficProfileRefresh | null>;
  /** Stops the timer and waits for a running refresh. */
  close(): Promise<void>;
}

/**
 * Refreshes every `intervalMs` (ms; default 10 minutes) until closed. A failed refresh is
 * reported to `onError` and retried at the next tick; readers stay exact meanwhile (more of the
 * period is read from the ledger).
 */
export function startTrafficProfileRefresher(
  database: Database,
  options: { intervalMs?: number; onError: (error: unknown) => void },
): TrafficProfileRefresher {
  let running: Promise<TrafficProfileRefresh | null> | null = null;
  const refresh = (): Promise<TrafficProfileRefresh | null> => {
    running ??= refreshTrafficProfiles(database).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    refresh().catch(options.onError);
  }, options.intervalMs ?? 600_000);
  timer.unref();
  return {
    refresh,
    async close() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
