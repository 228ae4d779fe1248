/**
 * The ledger journal's files (docs/decisions/0003-ledger-group-commit.md): a directory of
 * append-only segments `ledger-<12-digit sequence>.jsonl`, one line per RequestRecord
 * (ledger-journal-codec.ts). New lines go to the current segment; the writer rotates before
 * each database flush and removes a segment once all its records are committed. Whatever a
 * crash leaves is read back at the next start. The directory must belong to ONE process:
 * start-up treats every segment in it as left over by a crash.
 */
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { RequestRecord } from '../contracts/ledger.ts';
import { decodeJournalLine } from './ledger-journal-codec.ts';

/** One segment file; `sequence` orders segments oldest first. */
export interface JournalSegment {
  readonly path: string;
  readonly sequence: number;
}

/** A segment found at start-up, with the records it held. */
export interface LeftoverSegment {
  readonly segment: JournalSegment;
  readonly records: RequestRecord[];
  /** A line before the last could not be read: keep the file for inspection, never delete it. */
  readonly damaged: boolean;
}

export interface JournalLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LedgerJournal {
  /**
   * Appends `text` (whole lines) to the current segment with as few `write` calls as the OS
   * allows (one, for a regular file); resolves once the bytes are in the OS page cache —
   * durable against a crash of this process, not of the machine — with the segment written.
   * @throws the file system's error (say ENOSPC).
   */
  append(text: string): Promise<JournalSegment>;
  /**
   * Closes the current segment and opens the next for new appends, after the appends
   * already queued; returns the closed segment, or null when it was empty (no rotation).
   */
  rotate(): Promise<JournalSegment | null>;
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
  let damaged = false;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      records.push(decodeJournalLine(line));
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
  return { segment, records, damaged };
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
  let handle = await open(current.path, 'a');
  let bytes = 0;
  let unsynced = false;
  let syncing: Promise<void> = Promise.resolve();
  // Appends and rotations run one after another, in call order.
  let tail: Promise<unknown> = Promise.resolve();

  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  }

  function syncCurrent(): void {
    if (!unsynced) return;
    unsynced = false;
    const target = handle;
    syncing = syncing
      .then(() => target.datasync())
      .catch((error: unknown) => {
        logger?.error({ err: error }, 'ledger journal: fdatasync failed');
      });
  }

  // fsync runs in the background on libuv's pool; appends never wait for it.
  const syncTimer = setInterval(syncCurrent, Math.max(1, options.syncIntervalMs ?? 1000));
  syncTimer.unref();

  const journal: LedgerJournal = {
    append(text) {
      return serialised(async () => {
        const buffer = Buffer.from(text, 'utf8');
        await writeAll(handle, buffer);
        bytes += buffer.length;
        unsynced = true;
        return current;
      });
    },
    rotate() {
      return serialised(async () => {
        if (bytes === 0) return null;
        const closed = current;
        const closing = handle;
        current = segmentAt(directory, closed.sequence + 1);
        handle = await open(current.path, 'a');
        bytes = 0;
        unsynced = false;
        await syncing;
        await closing.close();
        return closed;
      });
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
    close() {
      clearInterval(syncTimer);
      return serialised(async () => {
        await syncing;
        if (bytes > 0) await handle.datasync();
        await handle.close();
        if (bytes === 0) await rm(current.path, { force: true });
      });
    },
  };
  return { journal, leftovers };
}
