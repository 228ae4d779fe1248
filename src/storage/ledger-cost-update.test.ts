// Late attempt costs (the cost reconciler's write), against PGlite always and PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger-repository.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

function attempt(attemptNumber: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attemptNumber,
    provider: 'openrouter',
    model: 'openai/gpt-4o',
    servedModel: null,
    generationId: `gen-${attemptNumber}`,
    status: 'stream_interrupted',
    upstreamStatus: 200,
    startedAt: new Date('2026-05-01T10:00:00.000Z'),
    latencyMs: 100,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    costNanoUsd: null,
    costSource: null,
    ...overrides,
  };
}

function request(id: string, attempts: AttemptRecord[]): RequestRecord {
  return {
    id,
    createdAt: new Date('2026-05-01T10:00:00.000Z'),
    model: 'openai/gpt-4o',
    provider: 'openrouter',
    servedModel: null,
    status: 'stream_interrupted',
    httpStatus: 200,
    stream: true,
    generationId: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    latencyMs: 120,
    ttftMs: null,
    costNanoUsd: null,
    costSource: null,
    policy: null,
    policyVersion: null,
    policyVariant: null,
    servedCandidate: null,
    routingDecision: null,
    keyId: null,
    projectId: null,
    queueWaitMs: null,
    requiredFeatures: null,
    attempts,
  };
}

const TOKENS = { promptTokens: 11, completionTokens: 22, reasoningTokens: 3, cachedTokens: 0 };

describe.each(testBackends(postgresUrl))('late attempt costs on $kind', (backend) => {
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

  it('fills an unknown cost and tokens; the request totals its attempts, weakest source', async () => {
    await ledger.insertRequests([
      request('late-1', [
        attempt(0, { status: 'upstream_unavailable' }),
        attempt(1, { costNanoUsd: 500n, costSource: 'computed', promptTokens: 5 }),
        attempt(2),
      ]),
    ]);
    const result = await ledger.updateAttemptCost({
      requestId: 'late-1',
      attemptNumber: 2,
      costNanoUsd: 9_007_199_254_740_993n,
      costSource: 'reconciled',
      tokens: TOKENS,
    });
    expect(result).toBe('updated');
    const row = await ledger.getRequest('late-1');
    expect(row?.attempts[2]).toMatchObject({
      costNanoUsd: 9_007_199_254_740_993n,
      costSource: 'reconciled',
      ...TOKENS,
    });
    // Attempt 0 stays unknown: NULL is not zero, and it adds nothing to the total.
    expect(row?.attempts[0]).toMatchObject({ costNanoUsd: null, costSource: null });
    expect(row).toMatchObject({
      costNanoUsd: 9_007_199_254_740_993n + 500n,
      costSource: 'computed',
      ...TOKENS,
    });
  });

  it('replaces an estimate, never a reported, computed or reconciled cost', async () => {
    await ledger.insertRequests([
      request('late-2', [
        attempt(0, { costNanoUsd: 7_000n, costSource: 'estimated' }),
        attempt(1, { costNanoUsd: 40n, costSource: 'provider', promptTokens: 1 }),
      ]),
    ]);
    const reconcile = (attemptNumber: number, costNanoUsd: bigint) =>
      ledger.updateAttemptCost({
        requestId: 'late-2',
        attemptNumber,
        costNanoUsd,
        costSource: 'reconciled',
      });
    expect(await reconcile(1, 41n)).toBe('settled');
    expect(await reconcile(0, 60n)).toBe('updated');
    expect(await reconcile(0, 61n)).toBe('settled');
    const row = await ledger.getRequest('late-2');
    expect(row?.attempts.map((item) => [item.costNanoUsd, item.costSource])).toEqual([
      [60n, 'reconciled'],
      [40n, 'provider'],
    ]);
    expect(row).toMatchObject({ costNanoUsd: 100n, costSource: 'reconciled' });
    // Not the last attempt: the request's tokens are not taken from it.
    expect(row?.promptTokens).toBeNull();
  });

  it('says missing for a row not (yet) in the ledger', async () => {
    const update = {
      attemptNumber: 0,
      costNanoUsd: 1n,
      costSource: 'reconciled',
    } as const;
    expect(await ledger.updateAttemptCost({ ...update, requestId: 'not-yet' })).toBe('missing');
    await ledger.insertRequests([request('no-attempt', [])]);
    expect(await ledger.updateAttemptCost({ ...update, requestId: 'no-attempt' })).toBe('missing');
  });

  it('counts every attempt when several of one request are reconciled at once', async () => {
    const attempts = Array.from({ length: 6 }, (_, index) => attempt(index));
    await ledger.insertRequests([request('late-3', attempts)]);
    const results = await Promise.all(
      attempts.map((item) =>
        ledger.updateAttemptCost({
          requestId: 'late-3',
          attemptNumber: item.attemptNumber,
          costNanoUsd: BigInt(100 + item.attemptNumber),
          costSource: 'reconciled',
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 6 }, () => 'updated'));
    const row = await ledger.getRequest('late-3');
    expect(row).toMatchObject({ costNanoUsd: 615n, costSource: 'reconciled' });
  });
});
