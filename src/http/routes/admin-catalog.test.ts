// The admin catalogue routes on a real in-memory PGlite fed by a real sync of the shipped
// snapshot; only the route module and the edge error rendering are assembled here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createCatalogEntryIndexCache } from '../../catalog/catalog-entry-index.ts';
import { loadSnapshotModels } from '../../catalog/snapshot.ts';
import { startCatalogSync } from '../../catalog/sync-catalog.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import {
  createCatalogRepository,
  createDatabase,
  createModelSyncRunRepository,
  type Database,
} from '../../storage/index.ts';
import { toHttpError } from '../errors.ts';
import { registerAdminCatalogRoutes } from './admin-catalog.ts';

const snapshot = loadSnapshotModels();

describe('admin catalogue routes', () => {
  let database: Database;
  let app: FastifyInstance;
  let answer: ModelInfo[] = snapshot;
  let reloads = 0;

  beforeAll(async () => {
    database = await createDatabase({ databaseUrl: null, dataDir: null });
    const catalogRepository = createCatalogRepository(database);
    const syncRuns = createModelSyncRunRepository(database);
    // Searches read this cached index, so every check after a change also checks its invalidation.
    const entryIndexCache = createCatalogEntryIndexCache(() => catalogRepository.listEntries());
    app = Fastify();
    app.setErrorHandler((error, _request, reply) => {
      const failure = toHttpError(error);
      return reply
        .code(failure.status)
        .send({ error: { message: failure.message, code: failure.code, param: failure.param } });
    });
    void app.register(
      (scope, _options, done) => {
        registerAdminCatalogRoutes(scope, {
          catalogRepository,
          syncRuns,
          startSync: () =>
            startCatalogSync({
              fetchModels: () => Promise.resolve(answer),
              runs: syncRuns,
              catalog: catalogRepository,
              instance: 'test',
            }),
          reloadCatalog: () => {
            reloads += 1;
            entryIndexCache.invalidate();
            return Promise.resolve();
          },
          entryIndex: () => entryIndexCache.get(),
        });
        done();
      },
      { prefix: '/admin' },
    );
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('syncs, then reports the run by id', async () => {
    const sync = await app.inject({ method: 'POST', url: '/admin/catalog/sync' });
    expect(sync.statusCode).toBe(200);
    const run = sync.json<{ id: string; status: string; new_models: number }>();
    expect(run).toMatchObject({ status: 'succeeded', new_models: 356 });
    expect(reloads).toBe(1);
    const read = await app.inject({ method: 'GET', url: `/admin/catalog/sync/${run.id}` });
    expect(read.json()).toEqual(run);
    expect((await app.inject({ method: 'GET', url: '/admin/catalog/sync/nope' })).statusCode).toBe(
      404,
    );
  });

  it('searches with filters and pages with a cursor', async () => {
    const first = await app.inject({
      method: 'GET',
      url: '/admin/catalog/models?supports=tools&max_prompt_price=1&sort=price&limit=10',
    });
    const page = first.json<{ data: ModelInfo[]; total: number; next_cursor: string }>();
    expect(page.data).toHaveLength(10);
    expect(page.data.every((model) => model.supported_parameters.includes('tools'))).toBe(true);
    const second = await app.inject({
      method: 'GET',
      url: `/admin/catalog/models?supports=tools&max_prompt_price=1&sort=price&limit=10&cursor=${page.next_cursor}`,
    });
    const next = second.json<{ data: ModelInfo[] }>();
    expect(next.data[0]?.id).not.toBe(page.data[0]?.id);
    const bad = await app.inject({
      method: 'GET',
      url: '/admin/catalog/models?supports=telepathy',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', param: 'supports' } });
  });

  it('shows one model with its price history; unknown ids are model_not_found', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/admin/catalog/models/openai/gpt-4o',
    });
    expect(response.json()).toMatchObject({ id: 'openai/gpt-4o', status: 'active', enabled: true });
    expect(response.json<{ price_history: unknown[] }>().price_history).toHaveLength(1);
    const missing = await app.inject({ method: 'GET', url: '/admin/catalog/models/no/such' });
    expect(missing.json()).toMatchObject({ error: { code: 'model_not_found' } });
  });

  it('compares and recommends', async () => {
    const compared = await app.inject({
      method: 'POST',
      url: '/admin/catalog/compare',
      payload: {
        models: ['openai/gpt-4o', 'google/gemini-2.5-flash'],
        workload: { prompt_tokens: 1000, completion_tokens: 100, requests_per_day: 100 },
      },
    });
    expect(compared.json<{ models: { id: string }[] }>().models.map((model) => model.id)).toEqual([
      'openai/gpt-4o',
      'google/gemini-2.5-flash',
    ]);
    const single = await app.inject({
      method: 'POST',
      url: '/admin/catalog/compare',
      payload: { models: ['openai/gpt-4o'] },
    });
    expect(single.statusCode).toBe(400);
    const recommended = await app.inject({
      method: 'POST',
      url: '/admin/catalog/recommend',
      payload: { capabilities: ['tools'], min_context: 1_000_000 },
    });
    const ids = recommended.json<{ data: { id: string }[] }>().data.map((model) => model.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect(snapshot.find((model) => model.id === id)?.context_length).toBeGreaterThanOrEqual(
        1_000_000,
      );
  });

  it('disables a whole provider in one call; a later sync retires what disappeared', async () => {
    const openai = snapshot.filter((model) => model.id.startsWith('openai/')).length;
    const disabled = await app.inject({
      method: 'POST',
      url: '/admin/catalog/models/disable',
      payload: { providers: ['openai'] },
    });
    expect(disabled.json()).toEqual({ updated: openai });
    const hidden = await app.inject({
      method: 'GET',
      url: '/admin/catalog/models?provider=openai&enabled=false&limit=500',
    });
    expect(hidden.json<{ total: number }>().total).toBe(openai);
    answer = snapshot.slice(1);
    const sync = await app.inject({
      method: 'POST',
      url: '/admin/catalog/sync',
      payload: { wait: true },
    });
    expect(sync.json()).toMatchObject({ status: 'succeeded', retired_models: 1 });
    const retired = await app.inject({ method: 'GET', url: '/admin/catalog/models?retired=true' });
    expect(retired.json<{ data: { id: string; status: string }[] }>().data).toEqual([
      expect.objectContaining({ id: snapshot[0]?.id, status: 'retired' }),
    ]);
  });
});
