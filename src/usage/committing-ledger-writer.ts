/**
 * The ledger writer without a journal (`journalDir: null`): group commit. A completed
 * request's record is committed before its response ends, but records that arrive close
 * together share one statement: a batch opens with the first record, collects for
 * `maxDelayMs` or until `maxBatch` records, then commits; while that commit is in flight the
 * next batch collects, and goes as soon as it returns.
 *
 * Crash accounting (docs/decisions/0009-crash-accounting.md) needs a durable place for intents.
 * Without a journal the only one is the database, and writing an intent there would put a
 * commit round trip before every upstream attempt and need a cluster-wide owner for each intent
 * (another instance must not turn this one's in-flight requests into `interrupted` rows). So
 * this writer does not journal intents: `begin` resolves at once, `noteGeneration` does nothing,
 * and a request in flight when the process dies is not recorded — the deployment chose no local
 * disk, and that is the price. Use a journal (the default) for crash accounting.
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { LedgerRepository } from '../storage/index.ts';
import type { LedgerWriter, LedgerWriterOptions } from './ledger-writer.ts';

interface Pending {
  record: RequestRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Creates a writer whose `write` resolves once its record is committed, group-committing
 * through `repository.insertRequests`.
 */
export function createCommittingLedgerWriter(
  repository: Pick<LedgerRepository, 'insertRequests'>,
  options: Omit<LedgerWriterOptions, 'journalDir'>,
): LedgerWriter {
  const maxBatch = Math.max(1, options.maxBatch ?? 256);
  const maxDelayMs = Math.max(0, options.maxDelayMs ?? 2);
  const logger = options.logger;
  let queue: Pending[] = [];
  let cancelTimer: (() => void) | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  function clearTimer(): void {
    cancelTimer?.();
    cancelTimer = null;
  }

  function startTimer(): void {
    if (maxDelayMs === 0) {
      const immediate = setImmediate(commitNext);
      cancelTimer = () => {
        clearImmediate(immediate);
      };
    } else {
      const timeout = setTimeout(commitNext, maxDelayMs);
      cancelTimer = () => {
        clearTimeout(timeout);
      };
    }
  }

  function schedule(): void {
    // A commit in flight drains the queue when it returns; the records gathered
    // meanwhile have already waited one commit, longer than the window.
    if (inFlight !== null || queue.length === 0) return;
    if (queue.length >= maxBatch) {
      commitNext();
      return;
    }
    if (cancelTimer === null) startTimer();
  }

  function commitNext(): void {
    clearTimer();
    if (inFlight !== null || queue.length === 0) return;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(maxBatch);
    inFlight = commit(batch).finally(() => {
      inFlight = null;
      if (queue.length > 0) commitNext();
    });
  }

  async function commit(batch: Pending[]): Promise<void> {
    try {
      await repository.insertRequests(batch.map((pending) => pending.record));
      for (const pending of batch) pending.resolve();
      return;
    } catch (error) {
      logger?.error({ err: error, records: batch.length }, 'ledger batch commit failed');
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
    }
    // One bad record (say a repeated request id) must not cost the others their rows:
    // commit them one by one so only the records that fail alone are rejected.
    for (const pending of batch) {
      try {
        await repository.insertRequests([pending.record]);
        pending.resolve();
      } catch (error) {
        logger?.error({ err: error, requestId: pending.record.id }, 'ledger record commit failed');
        pending.reject(error);
      }
    }
  }

  async function flush(): Promise<void> {
    while (inFlight !== null || queue.length > 0) {
      if (inFlight === null) commitNext();
      await inFlight;
    }
  }

  return {
    recovered: [],
    begin: () => Promise.resolve(),
    noteGeneration: () => undefined,
    write(record) {
      if (closed) {
        return Promise.reject(new SignalboxError('internal_error', 'The ledger writer is closed.'));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        schedule();
      });
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}
