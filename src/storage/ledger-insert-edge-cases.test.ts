// The ledger insert's edge cases on PGlite and (with SIGNALBOX_TEST_DATABASE_URL) PostgreSQL:
// NUL characters, request ids reused by clients, journal replays, and look-up by generation id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger-repository.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

function record(id: string, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    createdAt: new Date('2026-05-01T10:00:00.000Z'),
    model: 'openai/gpt-4o-mini',
    provider: 'openrouter',
    servedModel: 'openai/gpt-4o-mini-2024-07-18',
    status: 'success',
    httpStatus: 200,
    stream: false,
    generationId: `gen-${id}`,
    promptTokens: 12,
    completionTokens: 34,
    reasoningTokens: null,
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
    attempts: [
      {
        attemptNumber: 0,
        provider: 'openrouter',
        model: 'openai/gpt-4o-mini',
        servedModel: null,
        generationId: `gen-${id}`,
        status: 'success',
        upstreamStatus: 200,
        startedAt: new Date('2026-05-01T10:00:00.000Z'),
        latencyMs: 440,
        ttftMs: null,
        promptTokens: 12,
        completionTokens: 34,
        reasoningTokens: null,
        cachedTokens: 0,
        costNanoUsd: 26_100n,
        costSource: 'provider',
      },
    ],
    ...overrides,
  };
}

describe.each(testBackends(postgresUrl))('ledger insert edge cases on $kind', (backend) => {
  let database: Database;
  let ledger: LedgerRepository;

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    ledger = createLedgerRepository(database);
  });

  afterAll(async () => {
    try {
      await database.close();
    } finally {
      await backend.tearDown();
    }
  });

  async function idsStartingWith(prefix: string): Promise<string[]> {
    const page = await ledger.listRequests({ limit: 200, cursor: null });
    return page.data
      .map((row) => row.id)
      .filter((id) => id.startsWith(prefix))
      .sort();
  }

  it('stores NUL characters in text columns as the text \\u0000', async () => {
    await ledger.insertRequests([
      record('nul\u0000id', { model: 'a\u0000b', status: 'upstream_error\u0000' }),
    ]);
    const stored = await ledger.getRequest('nul\\u0000id');
    expect(stored).toMatchObject({ model: 'a\\u0000b', status: 'upstream_error\\u0000' });
    expect(stored?.attempts).toHaveLength(1);
  });

  it('stores NUL characters in JSON columns as the text \\u0000, and the text \\u0000 as it came', async () => {
    const decision = {
      requested_model: 'nul\u0000model',
      reasoning: ['the text \\u0000 as a client typed it', 'two backslashes then NUL: \\\u0000'],
    } as unknown as RequestRecord['routingDecision'];
    await ledger.insertRequests([
      record('json-nul', { routingDecision: decision }),
      record('json-null', { routingDecision: null }),
    ]);
    expect((await ledger.getRequest('json-nul'))?.routingDecision).toEqual({
      requested_model: 'nul\\u0000model',
      reasoning: ['the text \\u0000 as a client typed it', 'two backslashes then NUL: \\\\u0000'],
    });
    expect((await ledger.getRequest('json-null'))?.routingDecision).toBeNull();
    // The same through the idempotent replay statement (a batch with an id already stored).
    await ledger.insertRequests([
      record('json-nul', { routingDecision: decision }),
      record('json-nul-replayed', { routingDecision: decision }),
    ]);
    expect((await ledger.getRequest('json-nul-replayed'))?.routingDecision).toEqual(
      (await ledger.getRequest('json-nul'))?.routingDecision,
    );
  });

  it('skips a replayed record, but keeps a different request that reuses an id', async () => {
    const first = record('reused-1');
    await ledger.insertRequests([first]);
    await ledger.insertRequests([first]);
    expect(await idsStartingWith('reused-1')).toEqual(['reused-1']);

    const second = record('reused-1', {
      createdAt: new Date('2026-05-01T10:05:00.000Z'),
      model: 'anthropic/claude-sonnet-4.5',
    });
    await ledger.insertRequests([second]);
    const ids = await idsStartingWith('reused-1');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toMatch(/^reused-1~[A-Za-z0-9]{6}$/);
    const renamed = await ledger.getRequest(ids[1] ?? '');
    expect(renamed?.model).toBe('anthropic/claude-sonnet-4.5');
    expect(renamed?.attempts).toHaveLength(1);
    expect((await ledger.getRequest('reused-1'))?.model).toBe('openai/gpt-4o-mini');
  });

  it('refuses one id twice in a batch whole; record by record, both are kept', async () => {
    const pair = [
      record('same-batch'),
      record('same-batch', { createdAt: new Date('2026-05-01T10:00:00.001Z') }),
    ];
    await expect(ledger.insertRequests(pair)).rejects.toThrow();
    expect(await idsStartingWith('same-batch')).toEqual([]);
    for (const one of pair) await ledger.insertRequests([one]);
    const ids = await idsStartingWith('same-batch');
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe('same-batch');
  });

  it('finds a request by its generation id, newest first', async () => {
    await ledger.insertRequests([
      record('gen-lookup-old', { generationId: 'gen-shared' }),
      record('gen-lookup-new', {
        generationId: 'gen-shared',
        createdAt: new Date('2026-05-01T11:00:00.000Z'),
      }),
    ]);
    expect((await ledger.findByGenerationId('gen-shared'))?.id).toBe('gen-lookup-new');
    expect(await ledger.findByGenerationId('gen-lookup-old')).toBeNull();
    expect(await ledger.findByGenerationId('gen-nothing')).toBeNull();
  });
});
