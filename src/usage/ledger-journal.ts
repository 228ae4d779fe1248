/**
 * The ledger journal's files (docs/decisions/0003-ledger-group-commit.md,
 * 0009-crash-accounting.md): a directory of append-only segments
 * `ledger-<12-digit sequence>.jsonl`, one line per settled RequestRecord, attempt intent or
 * generation note (ledger-journal-codec.ts). New lines go to the current segment; the writer
 * rotates before each database flush and removes a segment once everything in it is settled and
 * committed. Whatever a crash leaves is read back at the next start. The directory must belong
 * to ONE process: start-up treats every segment in it as left over by a crash.
 *
 * Appends are synchronous `write(2)` calls on the event loop's thread: a line reaches the OS page
 * cache (durable against a crash of the process) before `append` returns, for ~2 µs of CPU,
 * where a libuv round trip through the thread pool costs ~20–50 µs of CPU and 60–140 µs of
 * latency per write (measured, ADR 0009). Generation notes, which nothing external waits on,
 * are queued and written with the next append or at the end of the event loop's turn, whichever
 * comes first. fdatasync, which can take milliseconds, stays in the background.
 */
import { close as closeFd, fdatasync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RequestRecord } from '../contracts/ledger.ts';
import type { AttemptIntent } from './attempt-intent.ts';
import { decodeJournalEntry, type GenerationNote } from './ledger-journal-codec.ts';

const datasyncFd = promisify(fdatasync);
const closeFdAsync = promisify(closeFd);

/** One segment file; `sequence` orders segments oldest first. */
export interface JournalSegment {
  readonly path: string;
  readonly sequence: number;
}

/** A segment found at start-up, with the lines it held. */
export interface LeftoverSegment {
  readonly segment: JournalSegment;
  /** Settled records. */
  readonly records: RequestRecord[];
  /** Attempt intents (`begin` lines). */
  readonly intents: AttemptIntent[];
  /** Generation notes. */
  readonly generations: GenerationNote[];
  /** A line before the last could not be read: keep the file for inspection, never delete it. */
  readonly damaged: boolean;
}

export interface JournalLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LedgerJournal {
  /**
   * Appends `text` (whole lines) to the current segment, synchronously, with as few `write`
   * calls as the OS allows (one, for a regular file): when it returns the bytes are in the OS
   * page cache — durable against a crash of this process, not of the machine. Returns the
   * segment written.
   * @throws the file system's error (say ENOSPC); nothing of `text` is then accounted written.
   */
  append(text: string): JournalSegment;
  /**
   * Queues `text` (whole lines) to be appended with whatever else is queued in the same turn of
   * the event loop: one `write` for all of them, at the latest on `process.nextTick`, earlier
   * when `append`, `writeQueued`, `rotate` or `close` runs first (queued lines always precede
   * what those write). `written(segment)` or `failed(error)` is then called synchronously, so a
   * caller's bookkeeping is done before anything else can observe the segment. For lines no
   * external effect waits on (a generation note); an attempt intent, which must be on disk
   * before its request is dispatched, and a settled record, which must be there as soon as the
   * client has its answer, use `append`.
   */
  appendQueued(
    text: string,
    written: (segment: JournalSegment) => void,
    failed: (error: unknown) => void,
  ): void;
  /** Writes what `appendQueued` holds now (before a database flush reads the bookkeeping). */
  writeQueued(): void;
  /**
   * Closes the current segment (its file descriptor once any background fdatasync is done) and
   * opens the next for new appends; returns the closed segment, or null when it was empty (no
   * rotation).
   * @throws the file system's error when the next segment cannot be opened.
   */
  rotate(): JournalSegment | null;
  /** Flushes a closed segment to disk (fdatasync), for records whose insert failed. */
  sync(segment: JournalSegment): Promise<void>;
  /** Deletes a closed segment whose records are committed (renames a damaged one `*.damaged`). */
  remove(segment: JournalSegment, damaged: boolean): Promise<void>;
  /** Appends records the database refuses for good to `rejected.jsonl`, kept for an operator. */
  quarantine(text: string): Promise<void>;
  /** Stops the sync timer and closes the current segment: deleted if empty, else synced. */
  close(): Promise<void>;
}

export interface LedgerJournalOptions {
  /** Most time between a write and its fdatasync, ms (machine crashes); default 1000. */
  syncIntervalMs?: number;
  logger?: JournalLogger;
}

const SEGMENT_PATTERN = /^ledger-(\d{12})\.jsonl$/;

function segmentAt(directory: string, sequence: number): JournalSegment {
  return {
    sequence,
    path: path.join(directory, `ledger-${String(sequence).padStart(12, '0')}.jsonl`),
  };
}

function writeAllSync(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Reads one leftover segment; a torn last line (a crash mid-write) is skipped with a warning. */
async function readSegment(
  segment: JournalSegment,
  logger: JournalLogger | undefined,
): Promise<LeftoverSegment> {
  const lines = (await readFile(segment.path, 'utf8')).split('\n');
  // A complete file ends in "\n", so the last element is "" unless the last line is torn.
  const last = lines.length - 1;
  const records: RequestRecord[] = [];
  const intents: AttemptIntent[] = [];
  const generations: GenerationNote[] = [];
  let damaged = false;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      const entry = decodeJournalEntry(line);
      if (entry.kind === 'record') records.push(entry.record);
      else if (entry.kind === 'begin') intents.push(entry.intent);
      else generations.push(entry.generation);
    } catch (error) {
      if (index === last) {
        logger?.warn(
          { err: error, segment: segment.path },
          'ledger journal: torn last line skipped',
        );
      } else {
        damaged = true;
        logger?.error(
          { err: error, segment: segment.path, line: index + 1 },
          'ledger journal: unreadable line skipped; the segment is kept as *.damaged',
        );
      }
    }
  }
  return { segment, records, intents, generations, damaged };
}

/**
 * Opens the journal in `directory` (created if missing): reads every segment a previous
 * process left, then opens a new current segment after them.
 * @throws the file system's error when the directory or a segment cannot be read or opened.
 */
export async function openLedgerJournal(
  directory: string,
  options: LedgerJournalOptions = {},
): Promise<{ journal: LedgerJournal; leftovers: LeftoverSegment[] }> {
  const logger = options.logger;
  await mkdir(directory, { recursive: true });
  const sequences = (await readdir(directory))
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((digits) => digits !== undefined)
    .map(Number)
    .sort((left, right) => left - right);
  const leftovers: LeftoverSegment[] = [];
  for (const sequence of sequences)
    leftovers.push(await readSegment(segmentAt(directory, sequence), logger));

  let current = segmentAt(directory, (sequences.at(-1) ?? 0) + 1);
  let fd = openSync(current.path, 'a');
  let bytes = 0;
  let unsynced = false;
  // Background fdatasyncs and the closes of rotated descriptors, one after another.
  let syncing: Promise<void> = Promise.resolve();
  /** Lines queued by appendQueued, and who to tell once they are written. */
  let queuedText = '';
  let queuedCallbacks: {
    written: (segment: JournalSegment) => void;
    failed: (error: unknown) => void;
  }[] = [];
  let queuedWriteScheduled = false;

  function writeText(text: string): void {
    const buffer = Buffer.from(text, 'utf8');
    writeAllSync(fd, buffer);
    bytes += buffer.length;
    unsynced = true;
  }

  /** Writes the queued lines followed by `text` in one write; tells the queued callers. */
  function writeWithQueued(text: string): void {
    const callbacks = queuedCallbacks;
    const all = queuedText + text;
    queuedText = '';
    queuedCallbacks = [];
    if (all === '') return;
    try {
      writeText(all);
    } catch (error) {
      for (const callback of callbacks) callback.failed(error);
      throw error;
    }
    for (const callback of callbacks) callback.written(current);
  }

  function writeQueued(): void {
    queuedWriteScheduled = false;
    if (queuedCallbacks.length === 0) return;
    try {
      writeWithQueued('');
    } catch {
      // Each queued caller was told through `failed`.
    }
  }

  function syncCurrent(): void {
    if (!unsynced) return;
    unsynced = false;
    const target = fd;
    syncing = syncing
      .then(() => datasyncFd(target))
      .catch((error: unknown) => {
        logger?.error({ err: error }, 'ledger journal: fdatasync failed');
      });
  }

  // fsync runs in the background on libuv's pool; appends never wait for it.
  const syncTimer = setInterval(syncCurrent, Math.max(1, options.syncIntervalMs ?? 1000));
  syncTimer.unref();

  const journal: LedgerJournal = {
    append(text) {
      writeWithQueued(text);
      return current;
    },
    appendQueued(text, written, failed) {
      queuedText += text;
      queuedCallbacks.push({ written, failed });
      if (queuedWriteScheduled) return;
      queuedWriteScheduled = true;
      process.nextTick(writeQueued);
    },
    writeQueued,
    rotate() {
      writeQueued();
      if (bytes === 0) return null;
      const closed = current;
      const next = segmentAt(directory, closed.sequence + 1);
      const nextFd = openSync(next.path, 'a');
      const closing = fd;
      current = next;
      fd = nextFd;
      bytes = 0;
      unsynced = false;
      syncing = syncing
        .then(() => closeFdAsync(closing))
        .catch((error: unknown) => {
          logger?.error({ err: error }, 'ledger journal: closing a rotated segment failed');
        });
      return closed;
    },
    async sync(segment) {
      const reopened = await open(segment.path, 'r');
      try {
        await reopened.datasync();
      } finally {
        await reopened.close();
      }
    },
    async remove(segment, damaged) {
      if (damaged) await rename(segment.path, `${segment.path}.damaged`);
      else await rm(segment.path, { force: true });
    },
    async quarantine(text) {
      const rejected = await open(path.join(directory, 'rejected.jsonl'), 'a');
      try {
        await writeAll(rejected, Buffer.from(text, 'utf8'));
        await rejected.datasync();
      } finally {
        await rejected.close();
      }
    },
    async close() {
      writeQueued();
      clearInterval(syncTimer);
      await syncing;
      if (bytes > 0) await datasyncFd(fd);
      await closeFdAsync(fd);
      if (bytes === 0) await rm(current.path, { force: true });
    },
  };
  return { journal, leftovers };
}
