// Dashboard sessions against PGlite always and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is
// set: stored by id hash, touched, deleted one, per key, all, and when expired or idle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAdminSessionRepository,
  type AdminSessionRecord,
} from './admin-session-repository.ts';
import { createDatabase, type Database } from './database.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const at = (minute: number): Date => new Date(Date.UTC(2026, 4, 1, 10, minute));

function session(
  idHash: string,
  keyId: string,
  overrides: Partial<AdminSessionRecord> = {},
): AdminSessionRecord {
  return {
    idHash,
    keyId,
    role: 'admin',
    projectId: null,
    name: `key ${keyId}`,
    createdAt: at(0),
    lastSeenAt: at(0),
    expiresAt: at(59),
    ...overrides,
  };
}

describe.each(testBackends(postgresUrl))('admin sessions on $kind', (backend) => {
  let database: Database;

  beforeEach(async () => {
    database = await createDatabase(await backend.setUp());
  });

  afterEach(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('stores, reads back, touches and deletes sessions', async () => {
    const repository = createAdminSessionRepository(database);
    await repository.create(session('a'.repeat(64), 'k1', { role: 'viewer', projectId: 'p1' }));
    expect(await repository.find('a'.repeat(64))).toEqual(
      session('a'.repeat(64), 'k1', { role: 'viewer', projectId: 'p1' }),
    );
    await repository.touch('a'.repeat(64), at(5));
    expect((await repository.find('a'.repeat(64)))?.lastSeenAt).toEqual(at(5));
    expect(await repository.delete('a'.repeat(64))).toBe(true);
    expect(await repository.delete('a'.repeat(64))).toBe(false);
    expect(await repository.find('a'.repeat(64))).toBeNull();
  });

  it('deletes per key, all, and the expired or idle ones', async () => {
    const repository = createAdminSessionRepository(database);
    await repository.create(session('1', 'k1'));
    await repository.create(session('2', 'k1'));
    await repository.create(session('3', 'k2'));
    expect(await repository.deleteForKey('k1')).toBe(2);
    expect(await repository.find('3')).not.toBeNull();
    await repository.create(session('4', 'k2', { lastSeenAt: at(30) }));
    await repository.create(session('5', 'k2', { lastSeenAt: at(30), expiresAt: at(40) }));
    // At minute 45, idle since before minute 20: 3 (unused since 0) and 5 (ended at 40) go.
    expect(await repository.deleteExpired(at(45), at(20))).toBe(2);
    expect(await repository.find('4')).not.toBeNull();
    expect(await repository.deleteAll()).toBe(1);
  });
});
