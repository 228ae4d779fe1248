/**
 * The ledger journal's line format (docs/decisions/0003-ledger-group-commit.md,
 * 0009-crash-accounting.md): one JSON object per line, terminated by "\n", `"v": 1` first.
 * Three kinds of line:
 * - a settled RequestRecord (no `t` key): every ledger column in the schema's order
 *   (src/storage/ledger-columns.ts, the one column list), `attempts` last; a nullable column
 *   missing from a line reads as null, so lines written before a column was added still replay;
 * - `"t":"begin"`: an AttemptIntent, journaled before an upstream attempt is dispatched;
 * - `"t":"generation"`: the generation id an attempt's response headers gave.
 * bigints (nano-USD) travel as decimal strings so they stay exact beyond 2^53; Dates as ISO
 * 8601 strings (ms precision, the precision of `timestamptz` reads back here); JSON columns as
 * JSON. A reader that meets another version or kind rejects the line rather than guess (so a
 * journal with intents replayed by a version before them keeps those lines in a `*.damaged`
 * segment, never drops them).
 */
import { COST_SOURCES, type AttemptRecord, type RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { isRecord } from '../lib/is-record.ts';
import {
  attemptColumns,
  requestColumns,
  type AttemptColumnKey,
  type LedgerColumn,
} from '../storage/index.ts';
import type { AttemptIntent } from './attempt-intent.ts';

/** One decoded journal line. */
export type JournalEntry =
  | { kind: 'record'; record: RequestRecord }
  | { kind: 'begin'; intent: AttemptIntent }
  | { kind: 'generation'; generation: GenerationNote };

/** A `"t":"generation"` line: the upstream named an attempt's generation at `at`. */
export interface GenerationNote {
  requestId: string;
  attemptNumber: number;
  generationId: string;
  at: Date;
}

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

/** One `"t":"begin"` line for `intent`, ending in "\n". */
export function encodeIntentLine(intent: AttemptIntent): string {
  return (
    JSON.stringify({
      v: LEDGER_JOURNAL_VERSION,
      t: 'begin',
      requestId: intent.requestId,
      attemptNumber: intent.attemptNumber,
      createdAt: intent.createdAt.toISOString(),
      model: intent.model,
      stream: intent.stream,
      provider: intent.provider,
      upstreamModel: intent.upstreamModel,
      canonicalModel: intent.canonicalModel,
      startedAt: intent.startedAt.toISOString(),
      maxCostNanoUsd: intent.maxCostNanoUsd === null ? null : intent.maxCostNanoUsd.toString(),
    }) + '\n'
  );
}

/** One `"t":"generation"` line, ending in "\n". */
export function encodeGenerationLine(note: GenerationNote): string {
  return (
    JSON.stringify({
      v: LEDGER_JOURNAL_VERSION,
      t: 'generation',
      requestId: note.requestId,
      attemptNumber: note.attemptNumber,
      generationId: note.generationId,
      at: note.at.toISOString(),
    }) + '\n'
  );
}

function string(source: Record<string, unknown>, key: string): string {
  const value = source[key];
  return typeof value === 'string' ? value : malformed(key);
}

function number(source: Record<string, unknown>, key: string): number {
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : malformed(key);
}

function date(source: Record<string, unknown>, key: string): Date {
  const value = new Date(string(source, key));
  return Number.isNaN(value.getTime()) ? malformed(key) : value;
}

function decodeIntent(source: Record<string, unknown>): AttemptIntent {
  const maxCost = source.maxCostNanoUsd;
  const stream = source.stream;
  return {
    requestId: string(source, 'requestId'),
    attemptNumber: number(source, 'attemptNumber'),
    createdAt: date(source, 'createdAt'),
    model: string(source, 'model'),
    stream: typeof stream === 'boolean' ? stream : malformed('stream'),
    provider: string(source, 'provider'),
    upstreamModel: string(source, 'upstreamModel'),
    canonicalModel: string(source, 'canonicalModel'),
    startedAt: date(source, 'startedAt'),
    maxCostNanoUsd:
      maxCost === null
        ? null
        : typeof maxCost === 'string' && /^-?\d+$/.test(maxCost)
          ? BigInt(maxCost)
          : malformed('maxCostNanoUsd'),
  };
}

/** A cost source must be one this version knows (a line from the future is refused, not guessed). */
function checkCostSource(row: { costSource: unknown }): void {
  if (row.costSource !== null && !COST_SOURCES.some((source) => source === row.costSource))
    malformed('costSource');
}

function decodeRecord(parsed: Record<string, unknown>): RequestRecord {
  const attempts = parsed.attempts;
  if (!Array.isArray(attempts)) malformed('attempts');
  const request = decodeRow(requestColumns, parsed) as Omit<RequestRecord, 'attempts'>;
  checkCostSource(request);
  const decoded = attempts.map(
    (entry) => decodeRow(journalAttemptColumns, entry) as unknown as AttemptRecord,
  );
  for (const attempt of decoded) checkCostSource(attempt);
  return { ...request, attempts: decoded };
}

/**
 * The entry one journal line holds (without its "\n").
 * @throws SyntaxError when the line is not JSON (a torn line); SignalboxError
 *   `internal_error` when it is JSON of another version, kind or shape.
 */
export function decodeJournalEntry(line: string): JournalEntry {
  const parsed: unknown = JSON.parse(line);
  if (!isRecord(parsed))
    throw new SignalboxError('internal_error', 'A ledger journal entry is not an object.');
  if (parsed.v !== LEDGER_JOURNAL_VERSION)
    throw new SignalboxError('internal_error', 'Unknown ledger journal version.');
  const kind = parsed.t;
  if (kind === undefined) return { kind: 'record', record: decodeRecord(parsed) };
  if (kind === 'begin') return { kind: 'begin', intent: decodeIntent(parsed) };
  if (kind === 'generation') {
    return {
      kind: 'generation',
      generation: {
        requestId: string(parsed, 'requestId'),
        attemptNumber: number(parsed, 'attemptNumber'),
        generationId: string(parsed, 'generationId'),
        at: date(parsed, 'at'),
      },
    };
  }
  throw new SignalboxError('internal_error', 'Unknown ledger journal line kind.');
}

/**
 * The record one journal line holds (without its "\n").
 * @throws SyntaxError when the line is not JSON (a torn line); SignalboxError
 *   `internal_error` when it is JSON of another version or shape, or not a record.
 */
export function decodeJournalLine(line: string): RequestRecord {
  const entry = decodeJournalEntry(line);
  if (entry.kind !== 'record') {
    throw new SignalboxError('internal_error', 'This ledger journal line is not a record.');
  }
  return entry.record;
}
