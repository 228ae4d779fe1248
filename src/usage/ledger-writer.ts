/**
 * The ledger writer (docs/decisions/0003-ledger-group-commit.md). A completed request's
 * record must survive a crash of the gateway. Two ways, chosen by `journalDir`:
 * - a directory (the default wiring, `<dataDir>/journal`): `write` appends the record to a
 *   local journal and resolves once it is in the file; a background flush moves journaled
 *   records into the database in large batches, and start-up replays what a crash left
 *   (journaled-ledger-writer.ts);
 * - null: `write` resolves once the record is committed to the database, records arriving
 *   together sharing one statement (committing-ledger-writer.ts) — no local disk needed,
 *   but every request waits for a commit and pays a small batch's statement.
 * CONVENTIONS.md point 13 (tensorzero `db/batching.rs`).
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import type { LedgerRepository } from '../storage/index.ts';
import { createCommittingLedgerWriter } from './committing-ledger-writer.ts';
import { createJournaledLedgerWriter } from './journaled-ledger-writer.ts';
import type { SettlementListener } from './settlement.ts';

export interface LedgerWriter {
  /**
   * Resolves once the record is durable against a crash of this process: written to the
   * journal file, or (without a journal) committed to the database. Rejects with the file
   * system's or database's error when that fails, or SignalboxError `internal_error` after
   * close().
   */
  write(record: RequestRecord): Promise<void>;
  /**
   * Commits everything written so far to the database; resolves when it is committed, so a
   * read that follows sees every earlier write (the admin API calls it before listing).
   * Rejects with the database's error (the journal keeps the records for a later flush).
   */
  flush(): Promise<void>;
  /**
   * Flushes, refuses further writes, stops the writer's timers and closes the journal.
   * Never rejects on a database error: what could not be committed stays in the journal
   * for the next start (logged).
   */
  close(): Promise<void>;
}

export interface LedgerWriterLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LedgerWriterOptions {
  /**
   * Directory of the ledger journal, created if missing and owned by this process alone
   * (one per cluster worker); null = no journal, `write` waits for the database commit.
   */
  journalDir: string | null;
  /**
   * Most records per database statement. Journal: a flush starts as soon as this many are
   * pending; default 1000. Without a journal: most records per commit; default 256.
   */
  maxBatch?: number;
  /** Journal: most time between a record's write and the flush that commits it, ms; default 200. */
  flushIntervalMs?: number;
  /** Journal: most time between a write and its fdatasync (machine crashes), ms; default 1000. */
  syncIntervalMs?: number;
  /** Journal: longest wait between retries of a failing flush, ms; default 30000. */
  maxRetryDelayMs?: number;
  /** Without a journal: how long a batch collects after its first record, ms; default 2; 0 = next turn. */
  maxDelayMs?: number;
  logger?: LedgerWriterLogger;
}

/**
 * Creates the ledger writer. With a journal this first REPLAYS the segments a previous
 * process left in `journalDir` (idempotent inserts; a torn last line is skipped with a
 * warning) and deletes them, so await it at start-up before the server listens. If the
 * database refuses the replay, the records stay pending and on disk, the error is logged,
 * and the background flush retries — start-up does not fail on it.
 * @throws the file system's error when the journal directory cannot be read or opened.
 */
export async function createLedgerWriter(
  repository: Pick<LedgerRepository, 'insertRequests'>,
  options: LedgerWriterOptions,
): Promise<LedgerWriter> {
  if (options.journalDir === null) return createCommittingLedgerWriter(repository, options);
  return createJournaledLedgerWriter(repository, { ...options, journalDir: options.journalDir });
}

/** The ledger as a settlement listener: every settled request's record is written (journaled). */
export function ledgerSettlementListener(writer: LedgerWriter): SettlementListener {
  return {
    name: 'ledger',
    onSettled: (settlement) => writer.write(settlement.record),
  };
}
