/**
 * Instance-wide settings as text key/value pairs in the `settings` table (e.g. the
 * master key's SHA-256 hash). Values are opaque to storage.
 */
import { eq, sql } from './drizzle.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database } from './database.ts';
import { settings } from './schema.ts';

export interface SettingsRepository {
  /** The value stored under `key`, or null. */
  get(key: string): Promise<string | null>;
  /**
   * Stores `value` under `key`, replacing any previous value; through `executor` (a
   * transaction, e.g. the audit log's) when given.
   */
  set(key: string, value: string, executor?: SqlExecutor): Promise<void>;
  /**
   * Stores `value` only if `key` has no value yet; true if it inserted. Atomic, so of
   * several instances racing at first start exactly one wins.
   */
  setIfAbsent(key: string, value: string): Promise<boolean>;
}

/** Binds the settings repository to a database. */
export function createSettingsRepository(database: Database): SettingsRepository {
  const { db } = database;
  return {
    async get(key) {
      const rows = await db
        .select({ value: settings.value })
        .from(settings)
        .where(eq(settings.key, key));
      return rows[0]?.value ?? null;
    },

    async set(key, value, executor = db) {
      await executor
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    },

    async setIfAbsent(key, value) {
      const inserted = await db
        .insert(settings)
        .values({ key, value })
        .onConflictDoNothing({ target: settings.key })
        .returning({ key: settings.key });
      return inserted.length > 0;
    },
  };
}
