// Projects and API keys against PGlite always and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL
// is set: create/read/list/update/soft-delete of projects; keys found by the hash of their
// current secret, and of the previous one after a rotation; revoke; settings changed and
// cleared; spend summed from the ledger per key and project.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeySettings } from '../contracts/api-key.ts';
import { createApiKeyRepository, type ApiKeyRepository } from './api-key-repository.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerSpendReader } from './ledger-spend.ts';
import { createProjectRepository, type ProjectRepository } from './project-repository.ts';
import { requests } from './schema.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const at = new Date('2026-11-30T12:00:00Z');

const settings: ApiKeySettings = {
  name: 'ci',
  projectId: null,
  role: 'client',
  models: ['openai/*'],
  policies: ['cheap'],
  defaultPolicy: 'cheap',
  rpm: 60,
  tpm: 10_000,
  maxConcurrency: 2,
  budget: { limitNanoUsd: 10_000_000_000n, period: 'day' },
  maxCostPerRequestNanoUsd: 50_000_000n,
  allowUnpriced: false,
  expiresAt: null,
  metadata: { team: 'search' },
};

describe.each(testBackends(postgresUrl))('projects and keys on $kind', (backend) => {
  let database: Database;
  let keys: ApiKeyRepository;
  let projects: ProjectRepository;

  beforeEach(async () => {
    database = await createDatabase(await backend.setUp());
    keys = createApiKeyRepository(database);
    projects = createProjectRepository(database);
  });

  afterEach(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('creates, reads, updates and soft-deletes projects', async () => {
    const created = await projects.create(
      'proj_a',
      { name: 'search', rpm: 100, tpm: null, budget: { limitNanoUsd: 5n, period: 'month' } },
      at,
    );
    expect(created).toMatchObject({ id: 'proj_a', rpm: 100, budget: { period: 'month' } });
    const changed = await projects.update(
      'proj_a',
      { budget: null, tpm: 7 },
      new Date(at.getTime() + 1),
    );
    expect(changed?.before.budget).toEqual({ limitNanoUsd: 5n, period: 'month' });
    expect(changed?.after).toMatchObject({ budget: null, tpm: 7, rpm: 100, name: 'search' });
    expect((await projects.list()).map((project) => project.id)).toEqual(['proj_a']);
    expect(await projects.remove('proj_a', at)).not.toBeNull();
    expect(await projects.get('proj_a')).toBeNull();
    expect(await projects.list()).toEqual([]);
    expect(await projects.remove('proj_a', at)).toBeNull();
    expect(await projects.update('proj_a', { name: 'x' }, at)).toBeNull();
  });

  it('finds a key by the hash of its secret, and the old one during a rotation', async () => {
    await projects.create('proj_a', { name: 'p', rpm: 5, tpm: null, budget: null }, at);
    const key = await keys.create(
      {
        ...settings,
        projectId: 'proj_a',
        id: 'key_a',
        secretHash: 'h1',
        prefix: 'sbk-aaaa',
        last4: 'zzzz',
      },
      at,
    );
    expect(key).toMatchObject({
      ...settings,
      projectId: 'proj_a',
      revokedAt: null,
      previousExpiresAt: null,
    });
    const found = await keys.findBySecretHash('h1');
    expect(found).toMatchObject({
      secret: 'current',
      key: { id: 'key_a' },
      project: { id: 'proj_a', rpm: 5 },
    });
    expect(await keys.findBySecretHash('nope')).toBeNull();

    const grace = new Date(at.getTime() + 60_000);
    const rotated = await keys.rotate(
      'key_a',
      { secretHash: 'h2', prefix: 'sbk-bbbb', last4: 'yyyy', previousExpiresAt: grace },
      at,
    );
    expect(rotated?.after).toMatchObject({
      prefix: 'sbk-bbbb',
      last4: 'yyyy',
      previousExpiresAt: grace,
    });
    expect(await keys.findBySecretHash('h2')).toMatchObject({ secret: 'current' });
    expect(await keys.findBySecretHash('h1')).toMatchObject({ secret: 'previous' });

    await keys.rotate(
      'key_a',
      { secretHash: 'h3', prefix: 'p', last4: 'l', previousExpiresAt: null },
      at,
    );
    expect(await keys.findBySecretHash('h1')).toBeNull();
    expect(await keys.findBySecretHash('h2')).toBeNull();
    expect((await keys.get('key_a'))?.previousExpiresAt).toBeNull();
  });

  it('updates and clears settings, revokes, and lists by filter', async () => {
    await keys.create({ ...settings, id: 'key_a', secretHash: 'h1', prefix: 'p', last4: 'l' }, at);
    await keys.create(
      { ...settings, id: 'key_b', role: 'viewer', secretHash: 'h2', prefix: 'p', last4: 'l' },
      new Date(at.getTime() + 1),
    );
    const changed = await keys.update(
      'key_a',
      { models: null, budget: null, rpm: 1, metadata: {} },
      at,
    );
    expect(changed?.after).toMatchObject({
      models: null,
      budget: null,
      rpm: 1,
      metadata: {},
      tpm: 10_000,
    });
    expect((await keys.list({})).map((key) => key.id)).toEqual(['key_a', 'key_b']);
    expect((await keys.list({ role: 'viewer' })).map((key) => key.id)).toEqual(['key_b']);

    const revoked = await keys.revoke('key_a', at);
    expect(revoked?.after.revokedAt).toEqual(at);
    expect(await keys.revoke('key_a', at)).toBeNull();
    expect(await keys.update('key_a', { name: 'x' }, at)).toBeNull();
    expect((await keys.list({})).map((key) => key.id)).toEqual(['key_b']);
    expect((await keys.list({ includeRevoked: true })).map((key) => key.id)).toEqual([
      'key_a',
      'key_b',
    ]);
    expect((await keys.findBySecretHash('h1'))?.key.revokedAt).toEqual(at);
  });

  it('counts active keys per project and sums spend from the ledger', async () => {
    await projects.create('proj_a', { name: 'p', rpm: null, tpm: null, budget: null }, at);
    await keys.create(
      { ...settings, projectId: 'proj_a', id: 'key_a', secretHash: 'h1', prefix: 'p', last4: 'l' },
      at,
    );
    expect(await keys.countActive('proj_a')).toBe(1);
    const row = (id: string, minutes: number, cost: bigint | null) => ({
      id,
      createdAt: new Date(at.getTime() + minutes * 60_000),
      model: 'openai/gpt-4o-mini',
      status: 'success',
      httpStatus: 200,
      stream: false,
      latencyMs: 10,
      costNanoUsd: cost,
      keyId: 'key_a',
      projectId: 'proj_a',
    });
    await database.db
      .insert(requests)
      .values([row('r1', -10, 100n), row('r2', 1, 20n), row('r3', 2, null)]);
    const spend = createLedgerSpendReader(database);
    expect(await spend.spend({ kind: 'key', id: 'key_a' }, null)).toBe(120n);
    expect(await spend.spend({ kind: 'project', id: 'proj_a' }, at)).toBe(20n);
    expect(await spend.spend({ kind: 'key', id: 'key_other' }, null)).toBe(0n);
  });
});
