/**
 * Test support for the storage suite, which runs once per backend: PGlite always, and
 * PostgreSQL when a test database URL is given. Each setUp() makes a fresh, empty
 * target (a temporary PGlite directory, or a new PostgreSQL database with a unique
 * name) and tearDown() removes it, so runs never see each other's rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseOptions } from './database.ts';

export interface TestBackend {
  readonly kind: 'pglite' | 'postgres';
  /** Creates an empty target and returns the options that open it. */
  setUp(): Promise<DatabaseOptions>;
  /** Removes the target made by setUp(); close every Database on it first. */
  tearDown(): Promise<void>;
}

/** The backends to test: PGlite, plus PostgreSQL at `postgresUrl` when it is not null. */
export function testBackends(postgresUrl: string | null): TestBackend[] {
  return postgresUrl === null ? [pgliteBackend()] : [pgliteBackend(), postgresBackend(postgresUrl)];
}

function pgliteBackend(): TestBackend {
  let directory: string | null = null;
  return {
    kind: 'pglite',
    async setUp() {
      directory = await mkdtemp(path.join(tmpdir(), 'signalbox-storage-'));
      return { databaseUrl: null, dataDir: path.join(directory, 'db') };
    },
    async tearDown() {
      if (directory !== null) await rm(directory, { recursive: true, force: true });
      directory = null;
    },
  };
}

function postgresBackend(adminUrl: string): TestBackend {
  const name = `signalbox_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  async function admin(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }
  return {
    kind: 'postgres',
    async setUp() {
      await admin(`create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return { databaseUrl: url.toString(), dataDir: null };
    },
    async tearDown() {
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}
