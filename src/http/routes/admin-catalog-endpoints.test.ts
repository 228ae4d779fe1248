// The model detail's `endpoints`: read through fetchOpenRouterEndpoints from a real emulator,
// null without the dependency, and null (not a failed detail) when the upstream is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadSnapshotModels, modelsSnapshotDate } from '../../catalog/snapshot.ts';
import { createEmulator, type Emulator } from '../../emulator/index.ts';
import { fetchOpenRouterEndpoints } from '../../providers/index.ts';
import {
  createCatalogRepository,
  createDatabase,
  createModelSyncRunRepository,
  type Database,
} from '../../storage/index.ts';
import { registerAdminCatalogRoutes, type CatalogAdminDependencies } from './admin-catalog.ts';

const timeouts = { firstByteMs: 5_000, idleMs: 5_000, totalMs: 10_000 };

describe('GET /admin/catalog/models/{id} endpoints', () => {
  let database: Database;
  let emulator: Emulator;
  let baseUrl: string;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    database = await createDatabase({ databaseUrl: null, dataDir: null });
    await createCatalogRepository(database).upsertModels(loadSnapshotModels(), modelsSnapshotDate);
    emulator = createEmulator();
    baseUrl = `${await emulator.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await emulator.close();
    await database.close();
  });

  async function detail(
    modelEndpoints: CatalogAdminDependencies['modelEndpoints'],
    id: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const app = Fastify();
    apps.push(app);
    void app.register(
      (scope, _options, done) => {
        registerAdminCatalogRoutes(scope, {
          catalogRepository: createCatalogRepository(database),
          syncRuns: createModelSyncRunRepository(database),
          startSync: () => Promise.reject(new Error('not used')),
          reloadCatalog: () => Promise.resolve(),
          ...(modelEndpoints === undefined ? {} : { modelEndpoints }),
        });
        done();
      },
      { prefix: '/admin' },
    );
    const response = await app.inject({ method: 'GET', url: `/admin/catalog/models/${id}` });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  it("includes OpenRouter's endpoints of the model", async () => {
    const { status, body } = await detail(
      (id) => fetchOpenRouterEndpoints({ baseUrl, apiKey: null, timeouts }, id),
      'anthropic/claude-sonnet-4.5',
    );
    expect(status).toBe(200);
    expect(body.id).toBe('anthropic/claude-sonnet-4.5');
    expect(body.endpoints).toEqual([
      expect.objectContaining({
        provider_name: 'Anthropic',
        tag: 'anthropic',
        status: 0,
        uptime_last_30m: 100,
        latency_last_30m: null,
        throughput_last_30m: null,
      }),
    ]);
  });

  it('answers endpoints null without the dependency or when the upstream is down', async () => {
    expect((await detail(undefined, 'openai/gpt-4o')).body.endpoints).toBeNull();
    const stopped = createEmulator();
    const origin = await stopped.listen({ host: '127.0.0.1', port: 0 });
    await stopped.close();
    const down = await detail(
      (id) => fetchOpenRouterEndpoints({ baseUrl: `${origin}/api/v1`, apiKey: null, timeouts }, id),
      'openai/gpt-4o',
    );
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ id: 'openai/gpt-4o', endpoints: null });
  });
});
