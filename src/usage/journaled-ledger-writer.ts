/**
 * The ledger writer with a journal (docs/decisions/0003-ledger-group-commit.md,
 * 0009-crash-accounting.md). `write`, `begin` and `noteGeneration` append one line to the
 * current journal segment synchronously (the bytes are in the file when they return). A
 * background flush, never on a request's path, rotates the segment, inserts up to `maxBatch`
 * pending records with ONE idempotent `insertRequests`, and deletes segments whose lines are
 * all settled and committed. A failed flush keeps records and segments and retries with
 * backoff; nothing is dropped. Records stay in memory between write and flush: the files are
 * read only at start, where intents without a settled record become `interrupted` rows.
 *
 * Segment accounting (journal-segment-book.ts): an intent keeps its segment on disk until its
 * request's record is committed — were the process to die first, the next start would find it.
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { retryDelayMs } from '../lib/backoff.ts';
import type { LedgerRepository } from '../storage/index.ts';
import {
  encodeGenerationLine,
  encodeIntentLine,
  encodeJournalLine,
} from './ledger-journal-codec.ts';
import { createSegmentBook } from './journal-segment-book.ts';
import { openLedgerJournal, type JournalSegment, type LeftoverSegment } from './ledger-journal.ts';
import { replayLeftovers } from './replay-journal.ts';
import type { LedgerWriter, LedgerWriterOptions } from './ledger-writer.ts';

interface Pending {
  record: RequestRecord;
  /** Sequences of the segments this record (and its request's intents) hold. */
  segments: readonly number[];
}

const RESOLVED = Promise.resolve();

type FlushResult = { ok: true } | { ok: false; error: unknown };

/**
 * SQLSTATE class 22 (data exception) or 23 (integrity constraint violation): the rows are at
 * fault, not the database, so retrying the batch as is would fail for ever.
 */
function isDataError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && /^2[23][0-9A-Z]{3}$/.test(error.code);
}

/**
 * Opens the journal in `options.journalDir`, replays what a previous process left there
 * (see createLedgerWriter) and returns the writer.
 * @throws the file system's error when the journal cannot be read or opened.
 */
export async function createJournaledLedgerWriter(
  repository: Pick<LedgerRepository, 'insertRequests'>,
  options: LedgerWriterOptions & { journalDir: string },
): Promise<LedgerWriter> {
  const maxBatch = Math.max(1, options.maxBatch ?? 1000);
  const flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 200);
  const maxRetryDelayMs = Math.max(1, options.maxRetryDelayMs ?? 30_000);
  const logger = options.logger;
  const { journal, leftovers } = await openLedgerJournal(options.journalDir, {
    ...(options.syncIntervalMs === undefined ? {} : { syncIntervalMs: options.syncIntervalMs }),
    ...(logger === undefined ? {} : { logger }),
  });

  let pending: Pending[] = [];
  const book = createSegmentBook();
  /** Begun, unsettled requests → the sequences of the segments holding their lines. */
  const unsettled = new Map<string, Set<number>>();
  let flushing: Promise<FlushResult> | null = null;
  let timer: { cancel: () => void; retry: boolean; delayMs: number } | null = null;
  let failures = 0;
  let closed = false;
  let stopped = false;
  let closing: Promise<void> | null = null;

  /** Appends one line; on failure logs it and returns the error instead. */
  function append(line: string, what: string): JournalSegment | Error {
    try {
      return journal.append(line);
    } catch (error) {
      logger?.error({ err: error }, `ledger journal append failed (${what})`);
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  function startTimer(delayMs: number, retry: boolean): void {
    const timeout = setTimeout(() => {
      timer = null;
      void runFlush();
    }, delayMs);
    // A pending flush must not keep the process alive: the journal holds its records.
    timeout.unref();
    timer = {
      cancel: () => {
        clearTimeout(timeout);
      },
      retry,
      delayMs,
    };
  }

  function scheduleFlush(): void {
    if (stopped || flushing !== null || pending.length === 0) return;
    const full = pending.length >= maxBatch;
    if (timer !== null) {
      if (timer.retry || !full || timer.delayMs === 0) return;
      timer.cancel();
    }
    startTimer(full ? 0 : flushIntervalMs, false);
  }

  function forget(committed: ReadonlySet<Pending>): void {
    if (committed.size === 0) return;
    pending = pending.filter((item) => !committed.has(item));
    for (const item of committed) book.release(item.segments);
  }

  /** After a data error: record by record; a record refused alone goes to rejected.jsonl. */
  async function insertOneByOne(batch: readonly Pending[]): Promise<FlushResult> {
    const committed = new Set<Pending>();
    try {
      for (const item of batch) {
        try {
          await repository.insertRequests([item.record]);
        } catch (error) {
          if (!isDataError(error)) throw error;
          logger?.error(
            { err: error, requestId: item.record.id },
            'ledger record refused by the database; kept in the journal directory as rejected.jsonl',
          );
          await journal.quarantine(encodeJournalLine(item.record));
        }
        committed.add(item);
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      forget(committed);
    }
  }

  async function removeCommittedSegments(): Promise<void> {
    for (const tracked of book.takeRemovable()) {
      // A segment left behind is replayed idempotently at the next start: log, go on.
      await journal.remove(tracked.segment, tracked.damaged).catch((error: unknown) => {
        logger?.error(
          { err: error, segment: tracked.segment.path },
          'ledger journal: remove failed',
        );
      });
    }
  }

  async function flushOnce(): Promise<FlushResult> {
    const rotated = journal.rotate();
    if (rotated !== null) book.track(rotated).closed = true;
    const batch = pending.slice(0, maxBatch);
    if (batch.length > 0) {
      try {
        await repository.insertRequests(batch.map((item) => item.record));
        forget(new Set(batch));
      } catch (error) {
        if (!isDataError(error)) return { ok: false, error };
        const result = await insertOneByOne(batch);
        if (!result.ok) return result;
      }
    }
    await removeCommittedSegments();
    return { ok: true };
  }

  async function onFailure(error: unknown): Promise<void> {
    failures += 1;
    const delayMs = retryDelayMs(failures - 1, undefined, {
      initialMs: Math.max(100, flushIntervalMs),
      maxMs: maxRetryDelayMs,
    });
    logger?.error(
      { err: error, pending: pending.length, retryInMs: delayMs },
      'ledger flush failed; the records stay in the journal and are retried',
    );
    // These segments outlive their flush: make them survive a machine crash too.
    for (const segment of book.takeUnsynced()) {
      await journal.sync(segment).catch((syncError: unknown) => {
        logger?.error({ err: syncError }, 'ledger journal: fdatasync failed');
      });
    }
    if (!stopped) startTimer(delayMs, true);
  }

  function runFlush(): Promise<FlushResult> {
    if (flushing !== null) return flushing;
    timer?.cancel();
    timer = null;
    flushing = flushOnce()
      .catch((error: unknown): FlushResult => ({ ok: false, error }))
      .then(async (result) => {
        if (result.ok) failures = 0;
        else await onFailure(result.error);
        return result;
      })
      .finally(() => {
        flushing = null;
        scheduleFlush();
      });
    return flushing;
  }

  async function flush(): Promise<void> {
    // Generation notes queued in this turn are written before the flush reads the bookkeeping.
    journal.writeQueued();
    for (;;) {
      if (flushing !== null) await flushing;
      if (pending.length === 0) return;
      const result = await runFlush();
      if (!result.ok) throw result.error;
    }
  }

  async function closeWriter(): Promise<void> {
    closed = true;
    try {
      await flush();
    } catch (error) {
      logger?.error(
        { err: error, pending: pending.length },
        'ledger records left in the journal at close; they are replayed at the next start',
      );
    }
    stopped = true;
    timer?.cancel();
    timer = null;
    if (flushing !== null) await flushing;
    await journal.close();
  }

  const recovered = adoptLeftovers(leftovers);
  if (leftovers.length > 0) {
    // Replay before the server listens; a refusal is logged and retried in the background.
    let result = await runFlush();
    while (result.ok && pending.length > 0) result = await runFlush();
  }

  /** Queues what a crashed process left (records, and `interrupted` rows for its intents). */
  function adoptLeftovers(found: readonly LeftoverSegment[]): RequestRecord[] {
    for (const leftover of found) {
      const tracked = book.track(leftover.segment);
      Object.assign(tracked, { closed: true, damaged: leftover.damaged, synced: true });
    }
    const replay = replayLeftovers(found);
    for (const item of replay.items) {
      book.holdAll(item.segments);
      pending.push(item);
    }
    if (replay.recovered.length > 0) {
      logger?.warn(
        { requests: replay.recovered.length },
        'ledger journal: requests in flight at the last crash recorded as interrupted',
      );
    }
    return replay.recovered;
  }

  return {
    recovered,
    write(record) {
      if (closed) {
        return Promise.reject(new SignalboxError('internal_error', 'The ledger writer is closed.'));
      }
      // Synchronous, not queued: a request the client has seen answered must never be left
      // to the crash path (it would be stored `interrupted`); test/faults/crash-accounting.
      const segment = append(encodeJournalLine(record), 'record');
      if (segment instanceof Error) return Promise.reject(segment);
      const held = unsettled.get(record.id) ?? new Set<number>();
      unsettled.delete(record.id);
      book.hold(held, segment);
      pending.push({ record, segments: [...held] });
      scheduleFlush();
      return RESOLVED;
    },
    begin(intent) {
      if (closed) {
        return Promise.reject(new SignalboxError('internal_error', 'The ledger writer is closed.'));
      }
      const segment = append(encodeIntentLine(intent), 'attempt intent');
      if (segment instanceof Error) return Promise.reject(segment);
      let held = unsettled.get(intent.requestId);
      if (held === undefined) {
        held = new Set();
        unsettled.set(intent.requestId, held);
      }
      book.hold(held, segment);
      return RESOLVED;
    },
    noteGeneration(requestId, attemptNumber, generationId) {
      const held = unsettled.get(requestId);
      if (closed || held === undefined) return;
      const line = encodeGenerationLine({ requestId, attemptNumber, generationId, at: new Date() });
      journal.appendQueued(
        line,
        (segment) => {
          book.hold(held, segment);
        },
        (error) => {
          logger?.error({ err: error }, 'ledger journal append failed (generation id)');
        },
      );
    },
    flush,
    close() {
      closing ??= closeWriter();
      return closing;
    },
  };
}
