import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import {
  createDatabase,
  createLedgerRepository,
  type Database,
  type LedgerRepository,
} from '../storage/index.ts';
import { createLedgerWriter } from './ledger-writer.ts';

function record(id: string): RequestRecord {
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
    cachedTokens: null,
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
    attempts: [],
  };
}

function ids(prefix: string, total: number): string[] {
  return Array.from({ length: total }, (_, index) => `${prefix}-${index}`);
}

/** A repository whose commits finish only when the test says so. */
function gatedRepository() {
  const batches: {
    records: readonly RequestRecord[];
    commit: () => void;
    fail: (error: Error) => void;
  }[] = [];
  const repository: Pick<LedgerRepository, 'insertRequests'> & Partial<LedgerRepository> = {
    insertRequests: (records) =>
      new Promise<void>((resolve, reject) => {
        batches.push({ records, commit: resolve, fail: reject });
      }),
    listRequests: () => Promise.reject(new Error('not used')),
    getRequest: () => Promise.reject(new Error('not used')),
  };
  return { repository, batches };
}

describe('createLedgerWriter without a journal (commit before resolve)', () => {
  let database: Database;
  let repository: LedgerRepository;

  beforeAll(async () => {
    database = await createDatabase({ databaseUrl: null, dataDir: null });
    repository = createLedgerRepository(database);
  });

  afterAll(async () => {
    await database.close();
  });

  it('commits concurrent writes in one transaction, each promise resolving once committed', async () => {
    const insertRequests = vi.spyOn(repository, 'insertRequests');
    const writer = await createLedgerWriter(repository, { journalDir: null });
    const written = ids('together', 100);
    await Promise.all(
      written.map(async (id) => {
        await writer.write(record(id));
        // Resolution means the row is committed: another reader sees it.
        expect(await repository.getRequest(id)).not.toBeNull();
      }),
    );
    expect(insertRequests).toHaveBeenCalledTimes(1);
    insertRequests.mockRestore();
    await writer.close();
  });

  it('splits at maxBatch and collects the next batch while one commits', async () => {
    const { repository: gated, batches } = gatedRepository();
    const writer = await createLedgerWriter(gated, { journalDir: null, maxBatch: 256 });
    const settled: string[] = [];
    const writes = ids('split', 600).map((id) =>
      writer.write(record(id)).then(() => {
        settled.push(id);
      }),
    );
    // The 256th write fills a batch, which commits at once; the rest wait for it.
    expect(batches.map((batch) => batch.records.length)).toEqual([256]);
    await Promise.resolve();
    expect(settled).toEqual([]);

    batches[0]?.commit();
    await vi.waitFor(() => {
      expect(batches).toHaveLength(2);
    });
    expect(settled).toHaveLength(256);
    batches[1]?.commit();
    await vi.waitFor(() => {
      expect(batches).toHaveLength(3);
    });
    batches[2]?.commit();
    await Promise.all(writes);
    expect(batches.map((batch) => batch.records.length)).toEqual([256, 256, 88]);
    expect(settled).toHaveLength(600);
  });

  it('rejects every writer of a batch whose commit fails, and logs it', async () => {
    const failure = new Error('connection terminated');
    const failing: Pick<LedgerRepository, 'insertRequests'> & Partial<LedgerRepository> = {
      ...repository,
      insertRequests: () => Promise.reject(failure),
    };
    const logger = { error: vi.fn(), warn: vi.fn() };
    const writer = await createLedgerWriter(failing, { journalDir: null, logger });
    const results = await Promise.allSettled(
      ids('failing', 5).map((id) => writer.write(record(id))),
    );
    expect(results.map((result) => result.status)).toEqual(Array(5).fill('rejected'));
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBe(failure);
    expect(logger.error).toHaveBeenCalled();
  });

  it('keeps the good records of a batch that one bad record fails', async () => {
    const writer = await createLedgerWriter(repository, {
      journalDir: null,
      logger: { error: vi.fn(), warn: vi.fn() },
    });
    // Out of int4's range: the database refuses this record whatever else is in the batch.
    const poison = { ...record('poison'), promptTokens: 2 ** 31 };
    const results = await Promise.allSettled([
      writer.write(record('first')),
      writer.write(poison),
      writer.write(record('innocent')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await repository.getRequest('innocent')).not.toBeNull();
  });

  it('flush commits what is queued; close refuses further writes', async () => {
    const writer = await createLedgerWriter(repository, { journalDir: null, maxDelayMs: 60_000 });
    const pending = writer.write(record('flushed'));
    await writer.flush();
    await pending;
    expect(await repository.getRequest('flushed')).not.toBeNull();

    const last = writer.write(record('closing'));
    await writer.close();
    await last;
    expect(await repository.getRequest('closing')).not.toBeNull();
    await expect(writer.write(record('too-late'))).rejects.toBeInstanceOf(SignalboxError);
    await writer.flush();
  });

  it('commits on the next event-loop turn when maxDelayMs is 0', async () => {
    const writer = await createLedgerWriter(repository, { journalDir: null, maxDelayMs: 0 });
    await Promise.all([writer.write(record('immediate-1')), writer.write(record('immediate-2'))]);
    expect(await repository.getRequest('immediate-2')).not.toBeNull();
    await writer.close();
  });
});

describe('createLedgerWriter without a journal: crash accounting', () => {
  it('begins at once and notes nothing (no durable place for intents without a journal)', async () => {
    const { repository, batches } = gatedRepository();
    const writer = await createLedgerWriter(repository, { journalDir: null });
    await writer.begin({
      requestId: 'no-journal',
      createdAt: new Date(),
      model: 'openai/gpt-4o',
      stream: false,
      attemptNumber: 0,
      provider: 'openrouter',
      upstreamModel: 'openai/gpt-4o',
      canonicalModel: 'openai/gpt-4o',
      startedAt: new Date(),
      maxCostNanoUsd: null,
    });
    writer.noteGeneration('no-journal', 0, 'gen-1');
    expect(batches).toEqual([]);
    expect(writer.recovered).toEqual([]);
    await writer.close();
  });
});
