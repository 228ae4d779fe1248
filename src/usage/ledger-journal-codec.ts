/**
 * The ledger journal's line format (docs/decisions/0003-ledger-group-commit.md): one JSON object
 * per RequestRecord, terminated by "\n", `"v": 1` first, then every ledger column in the
 * schema's order (src/storage/ledger-columns.ts, the one column list), `attempts` last. bigints
 * (nano-USD) travel as decimal strings so they stay exact beyond 2^53; Dates as ISO 8601
 * strings (ms precision, the precision of `timestamptz` reads back here); JSON columns as JSON.
 * A nullable column missing from a line reads as null, so lines written before a column was
 * added still replay. A reader that meets another version rejects the line rather than guess.
 */
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { isRecord } from '../lib/is-record.ts';
import {
  attemptColumns,
  requestColumns,
  type AttemptColumnKey,
  type LedgerColumn,
} from '../storage/index.ts';

/** The `v` of lines written today. */
export const LEDGER_JOURNAL_VERSION = 1;

const journalAttemptColumns = attemptColumns.filter(
  (column): column is LedgerColumn<Exclude<AttemptColumnKey, 'requestId'>> =>
    column.key !== 'requestId',
);

function encodeValue(kind: LedgerColumn['kind'], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'bigint') return (value as bigint).toString();
  if (kind === 'timestamp') return (value as Date).toISOString();
  return value;
}

function encodeRow(
  columns: readonly LedgerColumn[],
  source: object,
  into: Record<string, unknown>,
) {
  const fields = source as Record<string, unknown>;
  for (const column of columns) into[column.key] = encodeValue(column.kind, fields[column.key]);
  return into;
}

/** One journal line for `record`, ending in "\n". */
export function encodeJournalLine(record: RequestRecord): string {
  const line = encodeRow(requestColumns, record, { v: LEDGER_JOURNAL_VERSION });
  line.attempts = record.attempts.map((attempt) => encodeRow(journalAttemptColumns, attempt, {}));
  return JSON.stringify(line) + '\n';
}

function malformed(key: string): never {
  throw new SignalboxError('internal_error', `Ledger journal field "${key}" is malformed.`);
}

function decodeValue(column: LedgerColumn, value: unknown): unknown {
  if (value === null || value === undefined) return column.nullable ? null : malformed(column.key);
  switch (column.kind) {
    case 'text':
      return typeof value === 'string' ? value : malformed(column.key);
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? value : malformed(column.key);
    case 'boolean':
      return typeof value === 'boolean' ? value : malformed(column.key);
    case 'bigint':
      return typeof value === 'string' && /^-?\d+$/.test(value)
        ? BigInt(value)
        : malformed(column.key);
    case 'timestamp': {
      const date = typeof value === 'string' ? new Date(value) : null;
      return date === null || Number.isNaN(date.getTime()) ? malformed(column.key) : date;
    }
    case 'json':
      return value;
  }
}

function decodeRow(columns: readonly LedgerColumn[], source: unknown): Record<string, unknown> {
  if (!isRecord(source))
    throw new SignalboxError('internal_error', 'A ledger journal entry is not an object.');
  const row: Record<string, unknown> = {};
  for (const column of columns) row[column.key] = decodeValue(column, source[column.key]);
  return row;
}

/**
 * The record one journal line holds (without its "\n").
 * @throws SyntaxError when the line is not JSON (a torn line); SignalboxError
 *   `internal_error` when it is JSON of another version or shape.
 */
export function decodeJournalLine(line: string): RequestRecord {
  const parsed: unknown = JSON.parse(line);
  if (!isRecord(parsed))
    throw new SignalboxError('internal_error', 'A ledger journal entry is not an object.');
  if (parsed.v !== LEDGER_JOURNAL_VERSION)
    throw new SignalboxError('internal_error', 'Unknown ledger journal version.');
  const attempts = parsed.attempts;
  if (!Array.isArray(attempts)) malformed('attempts');
  const request = decodeRow(requestColumns, parsed) as Omit<RequestRecord, 'attempts'>;
  return {
    ...request,
    attempts: attempts.map(
      (entry) => decodeRow(journalAttemptColumns, entry) as unknown as AttemptRecord,
    ),
  };
}
