/**
 * Provider instances added through the admin API (table `providers`). Rows hold the secret only
 * as a vault envelope (encrypted by the caller); writes go through the caller's transaction when
 * given one, so the change and its audit row commit together.
 */
import { asc, eq, sql } from './drizzle.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database } from './database.ts';
import { providers } from './schema.ts';

/** One stored provider instance. */
export interface StoredProvider {
  id: string;
  type: string;
  baseUrl: string;
  models: Record<string, string>;
  serveCatalogue: boolean;
  enabled: boolean;
  /** Vault envelope of `{"api_key", "headers"}`; null = no secret. */
  secret: string | null;
  apiKeyLast4: string | null;
  /** 1 at creation, +1 on every change (a re-wrap of the secret is not a change). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

/** The fields a create or an update writes. */
export type ProviderWrite = Omit<StoredProvider, 'version' | 'createdAt' | 'updatedAt'>;

export interface ProviderRepository {
  /** Every stored provider, by id. */
  list(executor?: SqlExecutor): Promise<StoredProvider[]>;
  get(id: string, executor?: SqlExecutor): Promise<StoredProvider | null>;
  /** Inserts; null when the id is taken. */
  insert(row: ProviderWrite, executor?: SqlExecutor): Promise<StoredProvider | null>;
  /**
   * Replaces the fields and bumps the version; null when the row is gone. `secret` absent = the
   * stored envelope is kept (a key rotation may have re-wrapped it meanwhile).
   */
  update(
    row: Omit<ProviderWrite, 'secret'> & { secret?: string | null },
    executor?: SqlExecutor,
  ): Promise<StoredProvider | null>;
  /** Deletes; the deleted row, or null. */
  remove(id: string, executor?: SqlExecutor): Promise<StoredProvider | null>;
  /** Replaces one row's envelope without a version bump (key rotation). */
  setSecret(id: string, secret: string, executor?: SqlExecutor): Promise<void>;
  /** Every row, locked `FOR UPDATE` in the caller's transaction `executor`. */
  listForUpdate(executor: SqlExecutor): Promise<StoredProvider[]>;
  /**
   * Runs `work` in a transaction that holds every provider row locked (`FOR UPDATE`), so a
   * re-wrap and a concurrent edit never overwrite each other.
   */
  withLockedRows<T>(
    work: (rows: StoredProvider[], executor: SqlExecutor) => Promise<T>,
  ): Promise<T>;
}

type Row = typeof providers.$inferSelect;

function fromRow(row: Row): StoredProvider {
  return { ...row };
}

/** Binds the provider repository to a database. */
export function createProviderRepository(database: Database): ProviderRepository {
  const { db } = database;
  return {
    async list(executor = db) {
      return (await executor.select().from(providers).orderBy(asc(providers.id))).map(fromRow);
    },
    async get(id, executor = db) {
      const rows = await executor.select().from(providers).where(eq(providers.id, id));
      return rows[0] === undefined ? null : fromRow(rows[0]);
    },
    async insert(row, executor = db) {
      const inserted = await executor
        .insert(providers)
        .values(row)
        .onConflictDoNothing({ target: providers.id })
        .returning();
      return inserted[0] === undefined ? null : fromRow(inserted[0]);
    },
    async update(row, executor = db) {
      const updated = await executor
        .update(providers)
        .set({
          ...row,
          version: sql`${providers.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(providers.id, row.id))
        .returning();
      return updated[0] === undefined ? null : fromRow(updated[0]);
    },
    async remove(id, executor = db) {
      const deleted = await executor.delete(providers).where(eq(providers.id, id)).returning();
      return deleted[0] === undefined ? null : fromRow(deleted[0]);
    },
    async setSecret(id, secret, executor = db) {
      await executor.update(providers).set({ secret }).where(eq(providers.id, id));
    },
    async listForUpdate(executor) {
      const rows = await executor.select().from(providers).orderBy(asc(providers.id)).for('update');
      return rows.map(fromRow);
    },
    withLockedRows(work) {
      return db.transaction(async (transaction) => {
        const rows = await transaction
          .select()
          .from(providers)
          .orderBy(asc(providers.id))
          .for('update');
        return work(rows.map(fromRow), transaction);
      });
    },
  };
}
