// The one storage suite, run against PGlite always and against PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from './drizzle.ts';
import { pgSchema, serial } from './drizzle.ts';
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { createDatabase, type Database, type DatabaseOptions } from './database.ts';
import { createLedgerRepository, type RequestFilter } from './ledger-repository.ts';
import { createCatalogRepository } from './catalog-repository.ts';
import { createSettingsRepository } from './settings-repository.ts';
import { modelPrices, requests } from './schema.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const drizzleMigrations = pgSchema('drizzle').table('__drizzle_migrations', { id: serial('id') });
const journal = JSON.parse(
  readFileSync(new URL('./migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as {
  entries: unknown[];
};
const snapshot = JSON.parse(
  readFileSync(
    new URL('../catalog/snapshot/models-snapshot-2026-05.json', import.meta.url),
    'utf8',
  ),
) as { data: ModelInfo[] };

function attempt(attemptNumber: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attemptNumber,
    provider: 'openrouter',
    model: 'openai/gpt-4o-mini',
    servedModel: 'openai/gpt-4o-mini-2024-07-18',
    generationId: `gen-${attemptNumber}`,
    status: 'success',
    upstreamStatus: 200,
    startedAt: new Date('2026-05-01T10:00:00.123Z'),
    latencyMs: 420,
    ttftMs: 180,
    promptTokens: 12,
    completionTokens: 34,
    reasoningTokens: null,
    cachedTokens: 0,
    costNanoUsd: 26_100n,
    costSource: 'provider',
    ...overrides,
  };
}

function request(
  id: string,
  createdAt: Date,
  overrides: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    id,
    createdAt,
    model: 'openai/gpt-4o-mini',
    provider: 'openrouter',
    servedModel: 'openai/gpt-4o-mini-2024-07-18',
    status: 'success',
    httpStatus: 200,
    stream: false,
    generationId: 'gen-1',
    promptTokens: 12,
    completionTokens: 34,
    reasoningTokens: 5,
    cachedTokens: 0,
    latencyMs: 450,
    ttftMs: null,
    costNanoUsd: 26_100n,
    costSource: 'provider',
    policy: null,
    policyVersion: null,
    policyVariant: null,
    servedCandidate: null,
    routingDecision: null,
    keyId: null,
    projectId: null,
    queueWaitMs: null,
    requiredFeatures: null,
    attempts: [attempt(0)],
    ...overrides,
  };
}

describe.each(testBackends(postgresUrl))('storage on $kind', (backend) => {
  let options: DatabaseOptions;
  let database: Database;

  beforeAll(async () => {
    options = await backend.setUp();
    // PostgreSQL: two instances starting together on the empty database, as in a
    // scaled-out deploy; the advisory lock makes them migrate in turn.
    const starts = backend.kind === 'postgres' ? 2 : 1;
    const [first, ...others] = await Promise.all(
      Array.from({ length: starts }, () => createDatabase(options)),
    );
    await Promise.all(others.map((other) => other.close()));
    if (first === undefined) throw new Error('no database opened');
    database = first;
  });

  afterAll(async () => {
    try {
      await database.close();
    } finally {
      await backend.tearDown();
    }
  });

  it('applies migrations once, however often it starts', async () => {
    await database.close();
    await (await createDatabase(options)).close();
    database = await createDatabase(options);
    await database.ping();
    expect(database.kind).toBe(backend.kind);
    const [applied] = await database.db.select({ value: count() }).from(drizzleMigrations);
    expect(applied?.value).toBe(journal.entries.length);
  });

  describe('ledger', () => {
    it('pages newest first with a cursor, attempts attached in order', async () => {
      const ledger = createLedgerRepository(database);
      await database.db.delete(requests);
      const tie = new Date('2026-05-01T10:00:02.500Z');
      const records = [
        request('req-a', new Date('2026-05-01T10:00:00.001Z')),
        request('req-b', new Date('2026-05-01T10:00:01.000Z'), {
          // Stored out of order, read back by attempt_number.
          attempts: [
            attempt(2),
            attempt(0, { status: 'upstream_unavailable', upstreamStatus: 503 }),
            attempt(1),
          ],
        }),
        request('req-c', tie),
        request('req-d', tie),
        request('req-e', new Date('2026-05-01T10:00:03.999Z'), { attempts: [] }),
      ];
      await ledger.insertRequests(records);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await ledger.listRequests({ limit: 2, cursor });
        seen.push(...page.data.map((record) => record.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(seen).toEqual(['req-e', 'req-d', 'req-c', 'req-b', 'req-a']);
      expect(pages).toBe(3);

      const withRetries = await ledger.getRequest('req-b');
      expect(withRetries?.attempts.map((item) => item.attemptNumber)).toEqual([0, 1, 2]);
      expect(withRetries?.attempts[0]?.status).toBe('upstream_unavailable');
      expect(await ledger.getRequest('req-a')).toEqual(records[0]);
      expect((await ledger.getRequest('req-e'))?.attempts).toEqual([]);
      expect(await ledger.getRequest('req-missing')).toBeNull();
    });

    it('filters by time, model, provider, status, policy, key, project and cost', async () => {
      const ledger = createLedgerRepository(database);
      await database.db.delete(requests);
      const at = (second: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, second));
      await ledger.insertRequests([
        request('f-1', at(1)),
        request('f-2', at(2), {
          model: 'signalbox/support',
          servedModel: 'anthropic/claude-sonnet-4.5',
          provider: 'anthropic',
          policy: 'support',
          policyVersion: 2,
          keyId: 'key_a',
          projectId: 'proj_a',
          costNanoUsd: 3_000_000n,
        }),
        request('f-3', at(3), { status: 'upstream_timeout', httpStatus: 504, costNanoUsd: null }),
        request('f-4', at(4), { keyId: 'key_b', costNanoUsd: 900_000n }),
      ]);
      const ids = async (filter: RequestFilter) =>
        (await ledger.listRequests({ limit: 10, cursor: null, filter })).data.map(
          (record) => record.id,
        );
      expect(await ids({})).toEqual(['f-4', 'f-3', 'f-2', 'f-1']);
      expect(await ids({ from: at(2), to: at(4) })).toEqual(['f-3', 'f-2']);
      expect(await ids({ model: 'anthropic/claude-sonnet-4.5' })).toEqual(['f-2']);
      expect(await ids({ model: 'signalbox/support' })).toEqual(['f-2']);
      expect(await ids({ provider: 'anthropic' })).toEqual(['f-2']);
      expect(await ids({ status: 'error' })).toEqual(['f-3']);
      expect(await ids({ status: 'upstream_timeout' })).toEqual(['f-3']);
      expect(await ids({ status: 'success', provider: 'openrouter' })).toEqual(['f-4', 'f-1']);
      expect(await ids({ policy: 'support' })).toEqual(['f-2']);
      expect(await ids({ keyId: 'key_b' })).toEqual(['f-4']);
      expect(await ids({ projectId: 'proj_a' })).toEqual(['f-2']);
      // Unknown cost never matches a cost bound.
      expect(await ids({ minCostNanoUsd: 900_000n })).toEqual(['f-4', 'f-2']);
      expect(await ids({ maxCostNanoUsd: 900_000n })).toEqual(['f-4', 'f-1']);
      // The cursor pages within the filter.
      const first = await ledger.listRequests({
        limit: 1,
        cursor: null,
        filter: { provider: 'openrouter' },
      });
      const second = await ledger.listRequests({
        limit: 5,
        cursor: first.nextCursor,
        filter: { provider: 'openrouter' },
      });
      expect([...first.data, ...second.data].map((record) => record.id)).toEqual([
        'f-4',
        'f-3',
        'f-1',
      ]);
      await database.db.delete(requests);
    });

    it('keeps nano-USD exact beyond 2^53 and unknown cost as NULL', async () => {
      const ledger = createLedgerRepository(database);
      const exact = request('req-bigint', new Date('2026-05-02T00:00:00Z'), {
        costNanoUsd: 9_007_199_254_740_993n,
        attempts: [attempt(0, { costNanoUsd: 9_007_199_254_740_993n })],
      });
      const unknown = request('req-unknown-cost', new Date('2026-05-02T00:00:01Z'), {
        costNanoUsd: null,
        costSource: null,
        promptTokens: null,
        completionTokens: null,
        reasoningTokens: null,
        cachedTokens: null,
        attempts: [attempt(0, { costNanoUsd: null, costSource: null, promptTokens: null })],
      });
      await ledger.insertRequests([exact, unknown]);
      expect(await ledger.getRequest('req-bigint')).toEqual(exact);
      const stored = await ledger.getRequest('req-unknown-cost');
      expect(stored?.costNanoUsd).toBeNull();
      expect(stored?.attempts[0]?.costNanoUsd).toBeNull();
      expect(stored).toEqual(unknown);
    });

    it('commits a batch whole or not at all', async () => {
      const ledger = createLedgerRepository(database);
      const at = new Date('2026-05-03T00:00:00Z');
      await expect(
        ledger.insertRequests([request('req-dup', at), request('req-dup', at)]),
      ).rejects.toThrow();
      expect(await ledger.getRequest('req-dup')).toBeNull();
    });

    it('inserts a batch larger than one INSERT statement', async () => {
      const ledger = createLedgerRepository(database);
      const start = Date.parse('2026-06-01T00:00:00Z');
      const batch = Array.from({ length: 1500 }, (_, index) =>
        request(`req-bulk-${String(index).padStart(4, '0')}`, new Date(start + index)),
      );
      await ledger.insertRequests(batch);
      const page = await ledger.listRequests({ limit: 200, cursor: null });
      expect(page.data[0]?.id).toBe('req-bulk-1499');
      expect(page.data[199]?.id).toBe('req-bulk-1300');
      expect(page.data[0]?.attempts).toHaveLength(1);
    });

    it('rejects a bad limit or cursor with invalid_request', async () => {
      const ledger = createLedgerRepository(database);
      for (const limit of [0, 201, 1.5]) {
        await expect(ledger.listRequests({ limit, cursor: null })).rejects.toMatchObject({
          code: 'invalid_request',
          param: 'limit',
        });
      }
      for (const cursor of ['not-a-cursor', Buffer.from('["x"]').toString('base64url')]) {
        await expect(ledger.listRequests({ limit: 10, cursor })).rejects.toBeInstanceOf(
          SignalboxError,
        );
      }
    });
  });

  describe('catalog', () => {
    it('upserts the real snapshot and versions prices', async () => {
      const catalog = createCatalogRepository(database);
      const first = new Date('2026-05-18T00:00:00Z');
      const second = new Date('2026-05-19T00:00:00Z');
      const third = new Date('2026-05-20T00:00:00Z');
      const models = snapshot.data;
      expect(models).toHaveLength(356);

      expect(await catalog.upsertModels(models, first)).toEqual({
        inserted: 356,
        updated: 0,
        unchanged: 0,
        pricesChanged: 0,
      });
      expect(await catalog.countModels()).toBe(356);
      const listed = await catalog.listModels();
      expect(listed.map((model) => model.id)).toEqual(models.map((model) => model.id).sort());
      // The stored raw object is the Model as received, decimal strings and all.
      expect(listed).toEqual([...models].sort((left, right) => (left.id < right.id ? -1 : 1)));

      expect(await catalog.upsertModels(models, second)).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 356,
        pricesChanged: 0,
      });

      const target = models[0];
      if (target === undefined) throw new Error('empty snapshot');
      const repriced = { ...target, pricing: { ...target.pricing, prompt: '0.00004' } };
      const changed = models.map((model) => (model.id === target.id ? repriced : model));
      expect(await catalog.upsertModels(changed, third)).toEqual({
        inserted: 0,
        updated: 1,
        unchanged: 355,
        pricesChanged: 1,
      });

      expect(await catalog.priceAt(target.id, new Date('2026-05-17T00:00:00Z'))).toBeNull();
      expect(await catalog.priceAt(target.id, second)).toEqual(target.pricing);
      expect(await catalog.priceAt(target.id, new Date('2026-05-19T23:59:59Z'))).toEqual(
        target.pricing,
      );
      expect(await catalog.priceAt(target.id, third)).toEqual(repriced.pricing);
      expect(await catalog.priceAt('no/such-model', third)).toBeNull();
      const [versions] = await database.db
        .select({ value: count() })
        .from(modelPrices)
        .where(eq(modelPrices.modelId, target.id));
      expect(versions?.value).toBe(2);
    });

    it('updates a model whose description changed without a new price row', async () => {
      const catalog = createCatalogRepository(database);
      const models = await catalog.listModels();
      const target = models[1];
      if (target === undefined) throw new Error('catalogue not seeded');
      const [before] = await database.db.select({ value: count() }).from(modelPrices);
      const edited = models.map((model) =>
        model.id === target.id ? { ...model, description: 'Edited.' } : model,
      );
      const result = await catalog.upsertModels(edited, new Date('2026-05-21T00:00:00Z'));
      expect(result).toEqual({
        inserted: 0,
        updated: 1,
        unchanged: models.length - 1,
        pricesChanged: 0,
      });
      const [after] = await database.db.select({ value: count() }).from(modelPrices);
      expect(after?.value).toBe(before?.value);
      expect(
        (await catalog.listModels()).find((model) => model.id === target.id)?.description,
      ).toBe('Edited.');
    });
  });

  describe('settings', () => {
    it('gets, sets and sets if absent', async () => {
      const settings = createSettingsRepository(database);
      expect(await settings.get('master_key_sha256')).toBeNull();
      expect(await settings.setIfAbsent('master_key_sha256', 'first')).toBe(true);
      expect(await settings.setIfAbsent('master_key_sha256', 'second')).toBe(false);
      expect(await settings.get('master_key_sha256')).toBe('first');
      await settings.set('master_key_sha256', 'third');
      expect(await settings.get('master_key_sha256')).toBe('third');
    });

    it('lets exactly one of several racing setIfAbsent calls win', async () => {
      const settings = createSettingsRepository(database);
      const values = ['a', 'b', 'c', 'd', 'e'];
      const results = await Promise.all(values.map((value) => settings.setIfAbsent('race', value)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await settings.get('race')).toBe(values[results.indexOf(true)]);
    });
  });
});
