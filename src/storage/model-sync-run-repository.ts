/**
 * `model_sync_runs`: the record of catalogue syncs and the claim that keeps them one at a
 * time across instances. The claim is an `INSERT … ON CONFLICT DO NOTHING` against the
 * unique partial index on `status = 'running'`: it works the same on PGlite and PostgreSQL
 * and needs no session-bound advisory lock (a pool would hand the unlock to another
 * connection).
 */
import { and, desc, eq, lt, sql } from './drizzle.ts';
import type { ModelSyncRun, ModelSyncRunStore } from '../catalog/sync-catalog.ts';
import type { Database } from './database.ts';
import { modelSyncRuns } from './schema.ts';

export interface ModelSyncRunRepository extends ModelSyncRunStore {
  /** The newest run that succeeded, or null (e.g. to decide a start-up sync). */
  latestSucceeded(): Promise<ModelSyncRun | null>;
}

type RunRow = typeof modelSyncRuns.$inferSelect;

function toRow(run: ModelSyncRun): RunRow {
  return { ...run };
}

function toRun(row: RunRow): ModelSyncRun {
  const phase = row.phase === 'writing' || row.phase === 'done' ? row.phase : 'fetching';
  return { ...row, phase };
}

/** Binds the run store to a database. */
export function createModelSyncRunRepository(database: Database): ModelSyncRunRepository {
  const { db } = database;
  return {
    claim: async (run, staleBefore) => {
      await db
        .update(modelSyncRuns)
        .set({
          status: 'failed',
          phase: 'done',
          finishedAt: run.startedAt,
          error: 'Abandoned: its instance stopped.',
        })
        .where(and(eq(modelSyncRuns.status, 'running'), lt(modelSyncRuns.startedAt, staleBefore)));
      const inserted = await db
        .insert(modelSyncRuns)
        .values(toRow(run))
        .onConflictDoNothing({
          target: modelSyncRuns.status,
          where: sql`${modelSyncRuns.status} = 'running'`,
        })
        .returning({ id: modelSyncRuns.id });
      return inserted.length === 1;
    },

    insert: async (run) => {
      await db.insert(modelSyncRuns).values(toRow(run));
    },

    update: async (run) => {
      const { id, ...fields } = toRow(run);
      await db.update(modelSyncRuns).set(fields).where(eq(modelSyncRuns.id, id));
    },

    get: async (id) => {
      const rows = await db.select().from(modelSyncRuns).where(eq(modelSyncRuns.id, id)).limit(1);
      const row = rows[0];
      return row === undefined ? null : toRun(row);
    },

    latestSucceeded: async () => {
      const rows = await db
        .select()
        .from(modelSyncRuns)
        .where(eq(modelSyncRuns.status, 'succeeded'))
        .orderBy(desc(modelSyncRuns.startedAt))
        .limit(1);
      const row = rows[0];
      return row === undefined ? null : toRun(row);
    },
  };
}
