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
import { createLedgerWriter, type AttemptIntent } from './ledger-writer.ts';

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

  it('stores a record with NUL characters, escaped, instead of setting it aside', async () => {
    const logger = silentLogger();
    const writer = await createLedgerWriter(repository, { journalDir, ...manual, logger });
    const base = record('with-nul');
    const nul = {
      ...base,
      model: 'openai/gpt-4o\u0000evil',
      generationId: 'gen-\u0000',
      attempts: base.attempts.map((entry) => ({ ...entry, servedModel: '\u0000x\u0000' })),
    };
    await Promise.all([writer.write(record('beside-nul')), writer.write(nul)]);
    await writer.close();
    const stored = await repository.getRequest('with-nul');
    expect(stored?.model).toBe('openai/gpt-4o\\u0000evil');
    expect(stored?.generationId).toBe('gen-\\u0000');
    expect(stored?.attempts[0]?.servedModel).toBe('\\u0000x\\u0000');
    expect(await repository.getRequest('beside-nul')).not.toBeNull();
    await expect(readFile(path.join(journalDir, 'rejected.jsonl'), 'utf8')).rejects.toThrow(
      'ENOENT',
    );
    expect(logger.error).not.toHaveBeenCalled();
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

/** Journaled "now", as the gateway does: generation notes carry the time they were made. */
const began = Date.now();

function intent(requestId: string, attemptNumber: number): AttemptIntent {
  return {
    requestId,
    createdAt: new Date(began),
    model: 'openai/gpt-4o-mini',
    stream: true,
    attemptNumber,
    provider: 'openrouter',
    upstreamModel: 'openai/gpt-4o-mini',
    canonicalModel: 'openai/gpt-4o-mini',
    startedAt: new Date(began + 10 + attemptNumber * 100),
    maxCostNanoUsd: 1_000_000n + BigInt(attemptNumber),
  };
}

describe.each(testBackends(postgresUrl))('crash accounting on $kind', (backend) => {
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

  it('records a begun, unsettled request as interrupted at the next start', async () => {
    const crashed = await createLedgerWriter(unreachable, { journalDir, ...manual });
    await crashed.begin(intent('cut-1', 0));
    crashed.noteGeneration('cut-1', 0, 'gen-cut-1-a');
    await crashed.begin(intent('cut-1', 1));
    crashed.noteGeneration('cut-1', 1, 'gen-cut-1-b');
    // Never begun: nothing to note it against.
    crashed.noteGeneration('never-begun', 0, 'gen-orphan');

    const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
    const row = await repository.getRequest('cut-1');
    expect(row).toMatchObject({
      status: 'interrupted',
      httpStatus: 0,
      model: 'openai/gpt-4o-mini',
      provider: 'openrouter',
      stream: true,
      generationId: 'gen-cut-1-b',
      promptTokens: null,
      costNanoUsd: 2_000_001n,
      costSource: 'estimated',
    });
    expect(row?.attempts.map((attempt) => [attempt.status, attempt.generationId])).toEqual([
      ['interrupted', 'gen-cut-1-a'],
      ['interrupted', 'gen-cut-1-b'],
    ]);
    expect(row?.attempts.map((attempt) => attempt.costNanoUsd)).toEqual([1_000_000n, 1_000_001n]);
    // Latency up to the last thing the journal saw: at least until the second attempt began.
    expect(row?.latencyMs).toBeGreaterThanOrEqual(110);
    expect(restarted.recovered.map((record) => record.id)).toEqual(['cut-1']);
    expect(await repository.getRequest('never-begun')).toBeNull();
    await restarted.close();
    expect(await segmentsIn(journalDir)).toEqual([]);
  });

  it('never records a settled request as interrupted, flushed or not', async () => {
    const crashed = await createLedgerWriter(unreachable, { journalDir, ...manual });
    await crashed.begin(intent('settled-1', 0));
    crashed.noteGeneration('settled-1', 0, 'gen-settled-1');
    await crashed.write(record('settled-1'));
    const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
    expect(await repository.getRequest('settled-1')).toEqual(record('settled-1'));
    expect(restarted.recovered).toEqual([]);
    await restarted.close();
  });

  it('keeps an open intent on disk across flushes until its request settles', async () => {
    const writer = await createLedgerWriter(repository, { journalDir, ...manual });
    await writer.begin(intent('long-1', 0));
    await writer.begin(intent('short-1', 0));
    await writer.write(record('short-1'));
    await writer.flush();
    // long-1 is still in flight: its segment must survive the flush.
    const [held] = await segmentsIn(journalDir);
    expect(await readFile(path.join(journalDir, held ?? ''), 'utf8')).toContain('"long-1"');
    const copy = path.join(tmpdir(), `signalbox-intent-${process.pid}-${held ?? ''}`);
    await copyFile(path.join(journalDir, held ?? ''), copy);

    await writer.write(record('long-1'));
    await writer.flush();
    expect(await segmentsIn(journalDir)).toHaveLength(1);
    await writer.close();
    expect(await segmentsIn(journalDir)).toEqual([]);

    // A crash after long-1 was committed but before its intent's segment went: replaying that
    // segment must not add an interrupted row beside the settled one.
    await copyFile(copy, path.join(journalDir, held ?? ''));
    await rm(copy);
    for (let replay = 0; replay < 2; replay += 1) {
      const again = await createLedgerWriter(repository, { journalDir, ...manual });
      await again.close();
    }
    expect(await repository.getRequest('long-1')).toEqual(record('long-1'));
    expect(await repository.getRequest('short-1')).toEqual(record('short-1'));
  });

  it('replays an interrupted request once, however often its segment is replayed', async () => {
    const crashed = await createLedgerWriter(unreachable, { journalDir, ...manual });
    await crashed.begin(intent('twice-1', 0));
    const [segment] = await segmentsIn(journalDir);
    const copy = path.join(tmpdir(), `signalbox-twice-${process.pid}-${segment ?? ''}`);
    await copyFile(path.join(journalDir, segment ?? ''), copy);
    const first = await createLedgerWriter(repository, { journalDir, ...manual });
    await first.close();
    await copyFile(copy, path.join(journalDir, segment ?? ''));
    await rm(copy);
    const second = await createLedgerWriter(repository, { journalDir, ...manual });
    await second.close();
    const page = await repository.listRequests({ limit: 200, cursor: null });
    expect(page.data.filter((row) => row.id === 'twice-1')).toHaveLength(1);
  });

  it('refuses to begin after close, so nothing is dispatched unaccounted', async () => {
    const writer = await createLedgerWriter(repository, { journalDir, ...manual });
    await writer.close();
    await expect(writer.begin(intent('late-begin', 0))).rejects.toBeInstanceOf(SignalboxError);
  });
});
