import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerRepository } from './ledger-repository.ts';
import { testBackends } from './test-backends.ts';

function record(
  id: string,
  model: string,
  status: string,
  latencyMs: number,
  createdAt: Date,
): RequestRecord {
  return {
    id,
    createdAt,
    model,
    provider: 'openrouter',
    servedModel: model,
    status,
    httpStatus: status === 'success' ? 200 : 502,
    stream: false,
    generationId: null,
    promptTokens: 10,
    completionTokens: 5,
    reasoningTokens: null,
    cachedTokens: null,
    latencyMs,
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
    attempts: [],
  };
}

describe.each(testBackends(process.env.SIGNALBOX_TEST_DATABASE_URL ?? null))(
  'ledger statistics on $kind',
  (backend) => {
    let database: Database;

    beforeAll(async () => {
      database = await createDatabase(await backend.setUp());
    });

    afterAll(async () => {
      await database.close();
      await backend.tearDown();
    });

    it('counts requests and errors and takes the median latency of successes, per model, since a date', async () => {
      const repository = createLedgerRepository(database);
      const now = new Date('2026-11-21T10:00:00Z');
      const old = new Date('2026-10-01T10:00:00Z');
      await repository.insertRequests([
        record('a1', 'openai/gpt-4o', 'success', 100, now),
        record('a2', 'openai/gpt-4o', 'success', 300, now),
        record('a3', 'openai/gpt-4o', 'success', 200, now),
        record('a4', 'openai/gpt-4o', 'upstream_error', 5000, now),
        record('a5', 'openai/gpt-4o', 'success', 9999, old),
        record('b1', 'anthropic/claude-sonnet-4.5', 'rate_limited', 10, now),
      ]);
      const statistics = await repository.modelStatistics(new Date('2026-11-01T00:00:00Z'));
      expect(statistics.get('openai/gpt-4o')).toEqual({
        requests: 4,
        errors: 1,
        medianLatencyMs: 200,
      });
      expect(statistics.get('anthropic/claude-sonnet-4.5')).toEqual({
        requests: 1,
        errors: 1,
        medianLatencyMs: null,
      });
    });
  },
);
