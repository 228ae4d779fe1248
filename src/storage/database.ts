/**
 * createDatabase: opens PGlite (embedded Postgres in WASM) or PostgreSQL and applies the
 * SQL migrations in ./migrations with drizzle's migrator. Both backends get the same
 * schema, dialect and migrations (docs/architecture.md "Storage").
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { loadPgliteDriver, loadPostgresDriver, sql } from './drizzle.ts';
import { createPglitePrepared } from './pglite-prepared.ts';
import * as schema from './schema.ts';

/** The drizzle instance every repository uses, typed for the schema. */
export type SignalboxDrizzle = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: SignalboxDrizzle;
  /**
   * Runs one parametrised statement straight through the driver, bypassing drizzle's query
   * builder — for the few hot-path statements where the builder costs more than the database
   * (ledger-insert.ts). Parameters may be arrays (sent as PostgreSQL arrays).
   * @returns the rows the statement returned (none for most)
   * @throws the driver's error.
   */
  execute(
    statement: string,
    parameters: readonly unknown[],
    options?: ExecuteOptions,
  ): Promise<readonly Record<string, unknown>[]>;
  /** Resolves when the database answers `select 1`; rejects with the driver's error otherwise. */
  ping(): Promise<void>;
  /** The connection pool's counts (PostgreSQL); null for PGlite, which is one connection. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  /** Closes the PGlite instance (flushing it to disk) or ends the PostgreSQL pool. */
  close(): Promise<void>;
}

/** Options of `Database.execute`. */
export interface ExecuteOptions {
  /**
   * A name for a statement run often (at most 63 characters, one statement text per name): it
   * is parsed once per connection (a named prepared statement; on PGlite through the wire
   * protocol, pglite-prepared.ts), and PostgreSQL may keep its plan.
   */
  name?: string;
}

export interface DatabaseOptions {
  /** `postgres://…`; when set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl: string | null;
  /**
   * PGlite's own data directory (the app passes `<Config.dataDir>/db`), created if
   * missing; null = in-memory (tests).
   */
  dataDir: string | null;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Key of the session-level advisory lock held while migrating PostgreSQL, so that
 * instances starting together migrate one after another (drizzle's migrator reads the
 * last applied migration outside its transaction). Arbitrary constant: "sigbox01".
 */
const MIGRATION_LOCK_KEY = 0x7369_6762_6f78_3031n;

/** PostgreSQL connections per instance. */
const POOL_MAX = 10;

/**
 * Opens PGlite at `dataDir` (created if missing; null = in-memory) or PostgreSQL at
 * `databaseUrl`, then applies migrations. Safe when several instances start at once
 * against one PostgreSQL.
 * @throws the driver's error when the database cannot be opened or a migration fails.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl !== null) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const { pglite, PGlite, drizzle, migrate } = loadPgliteDriver();
  if (dataDir !== null) await mkdir(dataDir, { recursive: true });
  // shared_buffers 16 MB instead of PostgreSQL's 128 MB: PGlite's buffers live in its WASM
  // memory, which only grows, and one connection has no use for the larger cache (docs/performance.md).
  const options = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] };
  const client = dataDir === null ? new PGlite(options) : new PGlite(dataDir, options);
  // PGlite is one connection: its transaction() holds a mutex that every other query
  // waits on, so concurrent drizzle transactions are serialised, never interleaved.
  const db = drizzle({ client, schema });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }
  const executePrepared = createPglitePrepared(client, pglite);
  return {
    kind: 'pglite',
    db,
    execute: async (statement, parameters, executeOptions) =>
      executeOptions?.name === undefined
        ? (await client.query<Record<string, unknown>>(statement, [...parameters])).rows
        : executePrepared(executeOptions.name, statement, parameters),
    ping: async () => {
      await client.query('select 1');
    },
    poolStats: () => null,
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle, migrate } = loadPostgresDriver();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener Node would crash. The pool drops that client and the next query reports
  // the outage to its caller.
  pool.on('error', () => undefined);
  // A client checked out of the pool (a transaction, a query in flight) has no pool listener:
  // when its connection is cut, pg rejects its queries and then emits 'error' on the client,
  // which would crash the process. Every client keeps a listener; the queries' callers see the
  // error, and the pool discards the client when it comes back unusable.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      try {
        await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzle({ client: pool, schema });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    execute: async (statement, parameters, options) =>
      (
        await pool.query<Record<string, unknown>>({
          text: statement,
          values: [...parameters],
          ...(options?.name === undefined ? {} : { name: options.name }),
        })
      ).rows,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
