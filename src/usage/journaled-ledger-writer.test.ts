// The journaled ledger writer against PGlite always and PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test).
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import {
  createDatabase,
  createLedgerRepository,
  type Database,
  type LedgerRepository,
} from '../storage/index.ts';
import { testBackends } from '../storage/test-backends.ts';
import { encodeJournalLine } from './ledger-journal-codec.ts';
import { createLedgerWriter } from './ledger-writer.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

function record(id: string): RequestRecord {
  return {
    id,
    createdAt: new Date('2026-05-01T10:00:00.000Z'),
    model: 'openai/gpt-4o-mini',
    provider: 'openrouter',
    servedModel: 'openai/gpt-4o-mini-2024-07-18',
    status: 'success',
    httpStatus: 200,
    stream: true,
    generationId: `gen-${id}`,
    promptTokens: 12,
    completionTokens: 34,
    reasoningTokens: null,
    cachedTokens: 0,
    latencyMs: 450,
    ttftMs: 120,
    costNanoUsd: 9_007_199_254_740_993n,
    costSource: 'provider',
    policy: null,
    policyVersion: null,
    policyVariant: null,
    servedCandidate: null,
    routingDecision: null,
    attempts: [
      {
        attemptNumber: 0,
        provider: 'openrouter',
        model: 'openai/gpt-4o-mini',
        servedModel: null,
        generationId: null,
        status: 'upstream_unavailable',
        upstreamStatus: 503,
        startedAt: new Date('2026-05-01T09:59:59.500Z'),
        latencyMs: 30,
        ttftMs: null,
        promptTokens: null,
        completionTokens: null,
        reasoningTokens: null,
        cachedTokens: null,
        costNanoUsd: null,
        costSource: null,
      },
      {
        attemptNumber: 1,
        provider: 'openrouter',
        model: 'openai/gpt-4o-mini',
        servedModel: 'openai/gpt-4o-mini-2024-07-18',
        generationId: `gen-${id}`,
        status: 'success',
        upstreamStatus: 200,
        startedAt: new Date('2026-05-01T09:59:59.600Z'),
        latencyMs: 400,
        ttftMs: 120,
        promptTokens: 12,
        completionTokens: 34,
        reasoningTokens: null,
        cachedTokens: 0,
        costNanoUsd: 9_007_199_254_740_993n,
        costSource: 'provider',
      },
    ],
  };
}

function silentLogger() {
  return { error: vi.fn(), warn: vi.fn() };
}

/** A repository standing for a process that crashes before its flush: it is never reached. */
const unreachable: Pick<LedgerRepository, 'insertRequests'> & Partial<LedgerRepository> = {
  insertRequests: () => Promise.reject(new Error('the crashed process never flushed')),
  listRequests: () => Promise.reject(new Error('not used')),
  getRequest: () => Promise.reject(new Error('not used')),
};

/** Long intervals so that only the test's own flush() and close() reach the database. */
const manual = { flushIntervalMs: 3_600_000, syncIntervalMs: 3_600_000 };

async function segmentsIn(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.endsWith('.jsonl')).sort();
}

describe.each(testBackends(postgresUrl))('journaled ledger writer on $kind', (backend) => {
  let database: Database;
  let repository: LedgerRepository;
  let journalDir: string;

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    repository = createLedgerRepository(database);
  });

  afterAll(async () => {
    await database.close();
    await backend.tearDown();
  });

  beforeEach(async () => {
    journalDir = await mkdtemp(path.join(tmpdir(), 'signalbox-journal-'));
  });

  afterEach(async () => {
    await rm(journalDir, { recursive: true, force: true });
  });

  it('resolves a write once journaled, before the row is in the database; flush commits it', async () => {
    const writer = await createLedgerWriter(repository, { journalDir, ...manual });
    await writer.write(record('journaled-1'));
    expect(await repository.getRequest('journaled-1')).toBeNull();
    const [segment] = await segmentsIn(journalDir);
    expect(segment).toMatch(/^ledger-\d{12}\.jsonl$/);
    expect(await readFile(path.join(journalDir, segment ?? ''), 'utf8')).toBe(
      encodeJournalLine(record('journaled-1')),
    );

    await writer.flush();
    expect(await repository.getRequest('journaled-1')).toEqual(record('journaled-1'));
    // The flushed segment is gone; only the (empty) current one is left.
    const left = await segmentsIn(journalDir);
    expect(left).toHaveLength(1);
    expect(await readFile(path.join(journalDir, left[0] ?? ''), 'utf8')).toBe('');

    const last = writer.write(record('journaled-2'));
    await writer.close();
    await last;
    expect(await repository.getRequest('journaled-2')).not.toBeNull();
    expect(await segmentsIn(journalDir)).toEqual([]);
    await expect(writer.write(record('too-late'))).rejects.toBeInstanceOf(SignalboxError);
  });

  it('flushes in the background with one insert once maxBatch records are pending', async () => {
    const insertRequests = vi.spyOn(repository, 'insertRequests');
    const writer = await createLedgerWriter(repository, { journalDir, ...manual, maxBatch: 50 });
    const ids = Array.from({ length: 50 }, (_, index) => `batch-${index}`);
    await Promise.all(ids.map((id) => writer.write(record(id))));
    await vi.waitFor(async () => {
      expect(await repository.getRequest('batch-49')).not.toBeNull();
    });
    expect(insertRequests).toHaveBeenCalledTimes(1);
    expect(insertRequests.mock.calls[0]?.[0]).toHaveLength(50);
    insertRequests.mockRestore();
    await writer.close();
  });

  it('replays what a crashed process journaled, exactly once, even when replayed twice', async () => {
    const crashed = await createLedgerWriter(unreachable, { journalDir, ...manual });
    await Promise.all(['crash-1', 'crash-2', 'crash-3'].map((id) => crashed.write(record(id))));
    // The crash: `crashed` is never flushed nor closed. Keep its segment to replay it again.
    const [segment] = await segmentsIn(journalDir);
    const copy = path.join(tmpdir(), `signalbox-segment-${process.pid}-${segment ?? ''}`);
    await copyFile(path.join(journalDir, segment ?? ''), copy);

    const logger = silentLogger();
    const restarted = await createLedgerWriter(repository, { journalDir, ...manual, logger });
    for (const id of ['crash-1', 'crash-2', 'crash-3'])
      expect(await repository.getRequest(id)).toEqual(record(id));
    expect((await segmentsIn(journalDir)).includes(segment ?? '')).toBe(false);
    await restarted.close();

    // A crash after the insert but before the segment's removal replays it once more.
    await copyFile(copy, path.join(journalDir, segment ?? ''));
    await rm(copy);
    const again = await createLedgerWriter(repository, { journalDir, ...manual, logger });
    await again.close();
    const page = await repository.listRequests({ limit: 200, cursor: null });
    const replayed = page.data.filter((row) => row.id.startsWith('crash-'));
    expect(replayed.map((row) => row.id).sort()).toEqual(['crash-1', 'crash-2', 'crash-3']);
    for (const row of replayed) expect(row.attempts).toHaveLength(2);
    expect(logger.error).not.toHaveBeenCalled();
    expect(await segmentsIn(journalDir)).toEqual([]);
  });

  it('skips a torn last line with a warning and replays the lines before it', async () => {
    const torn = encodeJournalLine(record('torn-3'));
    await writeFile(
      path.join(journalDir, 'ledger-000000000007.jsonl'),
      encodeJournalLine(record('torn-1')) +
        encodeJournalLine(record('torn-2')) +
        torn.slice(0, torn.length / 2),
    );
    const logger = silentLogger();
    const writer = await createLedgerWriter(repository, { journalDir, ...manual, logger });
    expect(await repository.getRequest('torn-1')).not.toBeNull();
    expect(await repository.getRequest('torn-2')).not.toBeNull();
    expect(await repository.getRequest('torn-3')).toBeNull();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    // New segments continue the sequence after the leftovers.
    expect(await segmentsIn(journalDir)).toEqual(['ledger-000000000008.jsonl']);
    await writer.close();
  });

  it('keeps records and segments while the database fails, and commits them later', async () => {
    let down = true;
    const flaky: Pick<LedgerRepository, 'insertRequests'> & Partial<LedgerRepository> = {
      ...repository,
      insertRequests: (records) =>
        down
          ? Promise.reject(new Error('connect ECONNREFUSED'))
          : repository.insertRequests(records),
    };
    const logger = silentLogger();
    const writer = await createLedgerWriter(flaky, { journalDir, ...manual, logger });
    await writer.write(record('outage-1'));
    await writer.write(record('outage-2'));
    await expect(writer.flush()).rejects.toThrow('ECONNREFUSED');
    expect(logger.error).toHaveBeenCalled();
    // The rotated segment is kept, a new one takes the next writes.
    expect(await segmentsIn(journalDir)).toHaveLength(2);
    await writer.write(record('outage-3'));

    down = false;
    await writer.flush();
    for (const id of ['outage-1', 'outage-2', 'outage-3'])
      expect(await repository.getRequest(id)).not.toBeNull();
    expect(await segmentsIn(journalDir)).toHaveLength(1);
    await writer.close();
    expect(await segmentsIn(journalDir)).toEqual([]);
  });

  it('sets aside a record the database refuses for good, and commits the others', async () => {
    const logger = silentLogger();
    const writer = await createLedgerWriter(repository, { journalDir, ...manual, logger });
    // Out of int4's range: no retry could ever insert it.
    const poison = { ...record('refused'), promptTokens: 2 ** 31 };
    await Promise.all([writer.write(record('accepted')), writer.write(poison)]);
    await writer.close();
    expect(await repository.getRequest('accepted')).not.toBeNull();
    expect(await repository.getRequest('refused')).toBeNull();
    expect(await readFile(path.join(journalDir, 'rejected.jsonl'), 'utf8')).toBe(
      encodeJournalLine(poison),
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('leaves unflushable records journaled at close, for the next start', async () => {
    const logger = silentLogger();
    const writer = await createLedgerWriter(unreachable, { journalDir, ...manual, logger });
    await writer.write(record('at-close'));
    await writer.close();
    expect(logger.error).toHaveBeenCalled();
    expect(await segmentsIn(journalDir)).toHaveLength(1);
    const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
    expect(await repository.getRequest('at-close')).not.toBeNull();
    await restarted.close();
  });
});

describe('journaled ledger writer start-up', () => {
  it('keeps replayed records pending when the database refuses them at start', async () => {
    const journalDir = await mkdtemp(path.join(tmpdir(), 'signalbox-journal-'));
    const database = await createDatabase({ databaseUrl: null, dataDir: null });
    try {
      await writeFile(
        path.join(journalDir, 'ledger-000000000001.jsonl'),
        encodeJournalLine(record('late-1')),
      );
      const logger = silentLogger();
      const writer = await createLedgerWriter(unreachable, { journalDir, ...manual, logger });
      expect(logger.error).toHaveBeenCalled();
      await writer.close();
      const repository = createLedgerRepository(database);
      const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
      expect(await repository.getRequest('late-1')).not.toBeNull();
      await restarted.close();
    } finally {
      await database.close();
      await rm(journalDir, { recursive: true, force: true });
    }
  });
});
