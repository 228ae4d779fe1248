// Catalogue sync, retirement, price versions and bulk enable/disable against PGlite always
// and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is set, on the real /models snapshots.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../contracts/model-info.ts';
import { parseModelsResponse } from '../catalog/parse-models.ts';
import { syncCatalog, type CatalogSyncOptions } from '../catalog/sync-catalog.ts';
import { createPriceHistory } from '../catalog/price-history.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import { createDatabase, type Database, type DatabaseOptions } from './database.ts';
import { createCatalogRepository } from './catalog-repository.ts';
import { createModelSyncRunRepository } from './model-sync-run-repository.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

function readModels(url: URL): ModelInfo[] {
  return parseModelsResponse(JSON.parse(readFileSync(url, 'utf8')) as unknown);
}
const current = readModels(
  new URL('../catalog/snapshot/models-snapshot-2026-05.json', import.meta.url),
);
const older = readModels(
  new URL('../catalog/__fixtures__/models-snapshot-2025-07-tools-only.json', import.meta.url),
);

/** A clock that moves one second per reading, so every sync sees a later instant. */
function steppingClock(start: string): () => Date {
  let time = new Date(start).getTime();
  return () => new Date((time += 1000));
}

function syncOptions(
  database: Database,
  models: () => ModelInfo[],
  now: () => Date,
): CatalogSyncOptions {
  return {
    fetchModels: () => Promise.resolve(models()),
    runs: createModelSyncRunRepository(database),
    catalog: createCatalogRepository(database),
    instance: 'test',
    now,
  };
}

describe.each(testBackends(postgresUrl))('catalogue sync on $kind', (backend) => {
  let options: DatabaseOptions;
  let database: Database;
  const opened: Database[] = [];

  beforeEach(async () => {
    // PGlite in memory: a fresh, empty catalogue per test without a directory to write.
    options =
      backend.kind === 'pglite' ? { databaseUrl: null, dataDir: null } : await backend.setUp();
    database = await createDatabase(options);
    opened.push(database);
  });

  afterEach(async () => {
    try {
      await Promise.all(opened.splice(0).map((handle) => handle.close()));
    } finally {
      await backend.tearDown();
    }
  });

  it('syncs the 2026 snapshot, then the 2025 one: new, changed, retired, prices versioned', async () => {
    const now = steppingClock('2026-05-18T00:00:00Z');
    let answer = current;
    const options = syncOptions(database, () => answer, now);
    const first = await syncCatalog(options);
    expect(first).toMatchObject({
      status: 'succeeded',
      newModels: 356,
      retiredModels: 0,
      errors: 0,
    });
    const again = await syncCatalog(options);
    expect(again).toMatchObject({
      status: 'succeeded',
      newModels: 0,
      unchangedModels: 356,
      changedModels: 0,
    });

    answer = older;
    const currentIds = new Set(current.map((model) => model.id));
    const olderIds = new Set(older.map((model) => model.id));
    const shared = older.filter((model) => currentIds.has(model.id));
    const repriced = shared.filter(
      (model) =>
        JSON.stringify(model.pricing) !==
        JSON.stringify(current.find((c) => c.id === model.id)?.pricing),
    );
    const third = await syncCatalog(options);
    expect(third).toMatchObject({
      status: 'succeeded',
      newModels: older.length - shared.length,
      changedModels: shared.length,
      retiredModels: current.filter((model) => !olderIds.has(model.id)).length,
      pricesChanged: repriced.length,
    });

    const catalog = createCatalogRepository(database);
    const listed = await catalog.listModels();
    expect(listed.map((model) => model.id).sort()).toEqual([...olderIds].sort());
    const entries = await catalog.listEntries();
    expect(entries).toHaveLength(currentIds.size + older.length - shared.length);
    const retired = entries.filter((entry) => entry.status === 'retired');
    expect(
      retired.every((entry) => !olderIds.has(entry.model.id) && entry.retiredAt !== null),
    ).toBe(true);

    // A retired model that comes back is active again, with its 2026 price in force from then.
    answer = current;
    const fourth = await syncCatalog(options);
    expect(fourth.retiredModels).toBe(older.length - shared.length);
    expect((await catalog.listModels()).map((model) => model.id).sort()).toEqual(
      [...currentIds].sort(),
    );
  });

  it('prices a request with the price in force when it ran', async () => {
    const catalog = createCatalogRepository(database);
    const model = current.find((entry) => entry.id === 'openai/gpt-4o') ?? current[0];
    if (model === undefined) throw new Error('empty snapshot');
    const before = new Date('2026-05-18T00:00:00Z');
    const after = new Date('2026-06-01T00:00:00Z');
    await catalog.upsertModels([model], before);
    const doubled = {
      ...model,
      pricing: { ...model.pricing, prompt: String(Number(model.pricing.prompt) * 2) },
    };
    expect((await catalog.upsertModels([doubled], after)).pricesChanged).toBe(1);
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 };
    const costThen = computeCostNanoUsd(
      usage,
      await catalog.priceAt(model.id, new Date('2026-05-20T00:00:00Z')),
    );
    const costNow = computeCostNanoUsd(usage, await catalog.priceAt(model.id, after));
    expect(costThen).toBe(computeCostNanoUsd(usage, model.pricing));
    expect(costNow).toBe(2n * (costThen ?? 0n));
    expect((await catalog.priceHistory(model.id)).map((version) => version.effectiveFrom)).toEqual([
      before,
      after,
    ]);
    // The in-memory history loaded with the catalogue answers as the query does, without I/O.
    const history = createPriceHistory(await catalog.listPriceVersions());
    for (const at of [before, new Date('2026-05-20T00:00:00Z'), after, new Date('2027-01-01')])
      expect(history.at(model.id, at.getTime())).toEqual(await catalog.priceAt(model.id, at));
  });

  it('disables and enables models by id and whole providers in bulk', async () => {
    const catalog = createCatalogRepository(database);
    await catalog.upsertModels(current, new Date('2026-05-18T00:00:00Z'));
    const at = new Date('2026-05-19T00:00:00Z');
    const openai = current.filter((model) => model.id.startsWith('openai/'));
    const other = current.find((model) => !model.id.startsWith('openai/'));
    if (other === undefined || openai.length === 0) throw new Error('unexpected snapshot');
    expect(await catalog.setEnabled({ authors: ['openai'], ids: [other.id] }, false, at)).toBe(
      openai.length + 1,
    );
    const listed = new Set((await catalog.listModels()).map((model) => model.id));
    expect(listed.size).toBe(current.length - openai.length - 1);
    expect(listed.has(other.id)).toBe(false);
    // A disabled model stays disabled through a sync.
    await syncCatalog(syncOptions(database, () => current, steppingClock('2026-05-20T00:00:00Z')));
    expect((await catalog.listModels()).length).toBe(current.length - openai.length - 1);
    expect(await catalog.setEnabled({ authors: ['openai'] }, true, at)).toBe(openai.length);
    expect((await catalog.getEntry(other.id))?.enabled).toBe(false);
    expect((await catalog.getEntry(openai[0]?.id ?? ''))?.enabled).toBe(true);
    expect(await catalog.setEnabled({}, false, at)).toBe(0);
  });

  it('fails, changing nothing, when OpenRouter lists no models', async () => {
    const now = steppingClock('2026-05-18T00:00:00Z');
    await syncCatalog(syncOptions(database, () => current, now));
    const failed = await syncCatalog(syncOptions(database, () => [], now));
    expect(failed).toMatchObject({ status: 'failed', retiredModels: 0 });
    expect(failed.error).toMatch(/no usable models/);
    expect(await createModelSyncRunRepository(database).get(failed.id)).toEqual(failed);
    expect(await createCatalogRepository(database).listModels()).toHaveLength(356);
  });

  it('lets one of two concurrent syncs run; the other skips', async () => {
    // PGlite belongs to one process, so two concurrent calls on it; PostgreSQL gets a
    // second instance on the same database, as in a scaled-out deploy.
    const second = backend.kind === 'postgres' ? await createDatabase(options) : database;
    if (second !== database) opened.push(second);
    const now = steppingClock('2026-05-18T00:00:00Z');
    const runs = await Promise.all([
      syncCatalog(syncOptions(database, () => current, now)),
      syncCatalog(syncOptions(second, () => current, now)),
    ]);
    expect(runs.map((run) => run.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(runs.find((run) => run.status === 'succeeded')?.newModels).toBe(356);
    // The claim is released: the next sync runs.
    expect((await syncCatalog(syncOptions(second, () => current, now))).status).toBe('succeeded');
  });

  it('takes over a claim whose instance died', async () => {
    const runs = createModelSyncRunRepository(database);
    const stale = {
      id: 'stale-run',
      startedAt: new Date('2026-05-18T00:00:00Z'),
      finishedAt: null,
      status: 'running' as const,
      phase: 'writing' as const,
      error: null,
      instance: 'dead',
      newModels: 0,
      changedModels: 0,
      unchangedModels: 0,
      retiredModels: 0,
      pricesChanged: 0,
      errors: 0,
    };
    expect(await runs.claim(stale, new Date(0))).toBe(true);
    const run = await syncCatalog(
      syncOptions(database, () => current, steppingClock('2026-05-18T01:00:00Z')),
    );
    expect(run.status).toBe('succeeded');
    const abandoned = await runs.get('stale-run');
    expect(abandoned?.status).toBe('failed');
    expect(abandoned?.error).toMatch(/Abandoned/);
  });
});
