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
 *
 * Crash accounting (docs/decisions/0009-crash-accounting.md): a request in flight when the
 * process dies has been (or is being) billed upstream but never reaches `write`. So the gateway
 * also journals each upstream attempt's intent before dispatching it (`begin`) and its
 * generation id as soon as the upstream's headers give it (`noteGeneration`). The settled record
 * (`write`) supersedes its request's intents. At the next start, every request with intents
 * and no settled record becomes an `interrupted` ledger row (its attempts' costs: the intents'
 * upper-bound estimates, later replaced by the cost reconciler where a generation id is known).
 * Acknowledged requests stay exactly once: a request id is stored once, whichever comes first.
 *
 * Batched writes off the hot path follow tensorzero's `db/batching.rs`.
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import type { AttemptIntent } from './attempt-intent.ts';
import type { LedgerRepository } from '../storage/index.ts';
import { createCommittingLedgerWriter } from './committing-ledger-writer.ts';
import { createJournaledLedgerWriter } from './journaled-ledger-writer.ts';
import type { SettlementListener } from './settlement.ts';

export type { AttemptIntent } from './attempt-intent.ts';

export interface LedgerWriter {
  /**
   * Journals an attempt about to be dispatched; resolves once it would survive a crash of this
   * process (with a journal: the line is in the segment file — one synchronous append, no wait
   * for the disk). Rejects with the file system's error: the caller must then not dispatch, since
   * a crash would leave that spend unrecorded. Without a journal it resolves at once and records
   * nothing (see committing-ledger-writer.ts).
   */
  begin(intent: AttemptIntent): Promise<void>;
  /**
   * Journals the upstream generation id of a begun attempt as soon as its response headers give
   * it. Fire-and-forget: never throws (a failure is logged); ignored for a request that was not
   * begun or is already settled.
   */
  noteGeneration(requestId: string, attemptNumber: number, generationId: string): void;
  /**
   * The `interrupted` records this writer built at start-up from a crashed process's journal
   * (already committed, or pending like any write), for the cost reconciler to refine.
   */
  readonly recovered: readonly RequestRecord[];
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
 * warning; intents without a settled record become `interrupted` rows, see `recovered`) and
 * deletes them, so await it at start-up before the server listens. If the
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
