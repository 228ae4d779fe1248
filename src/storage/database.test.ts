// PGlite on disk: what one Database committed is there after it closes and another
// opens the same directory (a restart).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { createDatabase } from './database.ts';
import { createLedgerRepository } from './ledger-repository.ts';
import { createSettingsRepository } from './settings-repository.ts';

const directories: string[] = [];

afterEach(async () => {
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

const record: RequestRecord = {
  id: 'req-durable',
  createdAt: new Date('2026-05-01T12:00:00.250Z'),
  model: 'anthropic/claude-opus-4.7-fast',
  provider: 'openrouter',
  servedModel: 'anthropic/claude-4.7-opus-fast-20260512',
  status: 'success',
  httpStatus: 200,
  stream: true,
  generationId: 'gen-durable',
  promptTokens: 1000,
  completionTokens: 200,
  reasoningTokens: null,
  cachedTokens: 800,
  latencyMs: 2300,
  ttftMs: 640,
  costNanoUsd: 32_400_000n,
  costSource: 'computed',
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
      model: 'anthropic/claude-opus-4.7-fast',
      servedModel: 'anthropic/claude-4.7-opus-fast-20260512',
      generationId: 'gen-durable',
      status: 'success',
      upstreamStatus: 200,
      startedAt: new Date('2026-05-01T12:00:00.260Z'),
      latencyMs: 2280,
      ttftMs: 630,
      promptTokens: 1000,
      completionTokens: 200,
      reasoningTokens: null,
      cachedTokens: 800,
      costNanoUsd: 32_400_000n,
      costSource: 'computed',
    },
  ],
};

describe('createDatabase with PGlite on disk', () => {
  it('keeps committed rows across a restart, creating missing directories', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'signalbox-durable-'));
    directories.push(directory);
    const dataDir = path.join(directory, 'nested', 'db');

    const first = await createDatabase({ databaseUrl: null, dataDir });
    await createLedgerRepository(first).insertRequests([record]);
    await createSettingsRepository(first).set('master_key_sha256', 'hash');
    await first.close();
    await first.close();

    const second = await createDatabase({ databaseUrl: null, dataDir });
    try {
      expect(second.kind).toBe('pglite');
      expect(await createLedgerRepository(second).getRequest('req-durable')).toEqual(record);
      expect(await createSettingsRepository(second).get('master_key_sha256')).toBe('hash');
    } finally {
      await second.close();
    }
  });

  it('rejects when PostgreSQL cannot be reached', async () => {
    // Port 1 on the loopback address: nothing listens there, so the connection is refused.
    await expect(
      createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: null }),
    ).rejects.toThrow();
  });
});
