// The audit log against PGlite always and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is set:
// appended rows read back newest first with filters and a keyset cursor; a change and its row
// commit together, and roll back together.
import { eq } from './drizzle.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../contracts/audit.ts';
import { createAuditRepository, type AuditRepository } from './audit-repository.ts';
import { createDatabase, type Database } from './database.ts';
import { settings } from './schema.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

function entry(minute: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(Date.UTC(2026, 10, 30, 12, minute)),
    actor: { keyId: 'master', role: 'owner', name: 'master key' },
    action: 'keys.create',
    targetType: 'key',
    targetId: `key_${minute}`,
    before: null,
    after: { name: `key ${minute}`, api_key: '…abcd' },
    clientIp: '127.0.0.1',
    requestId: `req_${minute}`,
    ...overrides,
  };
}

describe.each(testBackends(postgresUrl))('audit log on $kind', (backend) => {
  let database: Database;
  let audit: AuditRepository;

  beforeEach(async () => {
    database = await createDatabase(await backend.setUp());
    audit = createAuditRepository(database);
  });

  afterEach(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('reads appended rows newest first, filtered, a page at a time', async () => {
    for (let minute = 0; minute < 5; minute += 1) await audit.append(entry(minute));
    await audit.append(
      entry(5, {
        actor: { keyId: 'key_admin', role: 'admin', name: 'ops' },
        action: 'providers.update',
        targetType: 'provider',
        targetId: 'anthropic-eu',
      }),
    );
    const first = await audit.list({ limit: 4, cursor: null });
    expect(first.data.map((row) => row.targetId)).toEqual([
      'anthropic-eu',
      'key_4',
      'key_3',
      'key_2',
    ]);
    const second = await audit.list({ limit: 4, cursor: first.nextCursor });
    expect(second.data.map((row) => row.targetId)).toEqual(['key_1', 'key_0']);
    expect(second.nextCursor).toBeNull();
    expect(first.data[0]).toMatchObject({
      actor: { keyId: 'key_admin', role: 'admin', name: 'ops' },
      after: { name: 'key 5', api_key: '…abcd' },
      clientIp: '127.0.0.1',
      requestId: 'req_5',
    });

    const byActor = await audit.list({ actor: 'key_admin', limit: 10, cursor: null });
    expect(byActor.data.map((row) => row.action)).toEqual(['providers.update']);
    const byTarget = await audit.list({ target: 'key:key_3', limit: 10, cursor: null });
    expect(byTarget.data.map((row) => row.targetId)).toEqual(['key_3']);
    const byTime = await audit.list({
      from: new Date(Date.UTC(2026, 10, 30, 12, 1)),
      to: new Date(Date.UTC(2026, 10, 30, 12, 3)),
      limit: 10,
      cursor: null,
    });
    expect(byTime.data.map((row) => row.targetId)).toEqual(['key_2', 'key_1']);
    await expect(audit.list({ limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'cursor',
    });
  });

  it('commits a change and its row together, and rolls both back on failure', async () => {
    await audit.transaction(
      async (executor) => {
        await executor.insert(settings).values({ key: 'switch', value: 'on' });
        return 'on';
      },
      (value) => entry(1, { action: 'settings.update', targetId: 'switch', after: { value } }),
    );
    await expect(
      audit.transaction(
        async (executor) => {
          await executor.update(settings).set({ value: 'off' }).where(eq(settings.key, 'switch'));
          throw new Error('the change failed half-way');
        },
        () => entry(2, { action: 'settings.update', targetId: 'switch' }),
      ),
    ).rejects.toThrow('half-way');
    const stored = await database.db.select().from(settings).where(eq(settings.key, 'switch'));
    expect(stored.map((row) => row.value)).toEqual(['on']);
    const rows = await audit.list({ limit: 10, cursor: null });
    expect(rows.data.map((row) => [row.action, row.after])).toEqual([
      ['settings.update', { value: 'on' }],
    ]);
  });
});
