/**
 * The ledger journal's line format (docs/decisions/0003-ledger-group-commit.md,
 * 0009-crash-accounting.md): one JSON object per line, terminated by "\n", keys in a fixed
 * order, `"v": 1` first. Three kinds of line:
 * - a settled RequestRecord (no `t` key, the format since the first journal);
 * - `"t":"begin"`: an AttemptIntent, journaled before an upstream attempt is dispatched;
 * - `"t":"generation"`: the generation id an attempt's response headers gave.
 * bigints (nano-USD) travel as decimal strings so they stay exact beyond 2^53; Dates as ISO
 * 8601 strings (ms precision, the precision of `timestamptz` reads back here). A reader that
 * meets another version or kind rejects the line rather than guess (so a journal with intents
 * replayed by a version before them keeps those lines in a `*.damaged` segment, never drops them).
 */
import {
  COST_SOURCES,
  type AttemptRecord,
  type CostSource,
  type RequestRecord,
} from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
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

function decimal(value: bigint | null): string | null {
  return value === null ? null : value.toString();
}

/** One journal line for `record`, ending in "\n". */
export function encodeJournalLine(record: RequestRecord): string {
  return (
    JSON.stringify({
      v: LEDGER_JOURNAL_VERSION,
      id: record.id,
      createdAt: record.createdAt.toISOString(),
      model: record.model,
      provider: record.provider,
      servedModel: record.servedModel,
      status: record.status,
      httpStatus: record.httpStatus,
      stream: record.stream,
      generationId: record.generationId,
      promptTokens: record.promptTokens,
      completionTokens: record.completionTokens,
      reasoningTokens: record.reasoningTokens,
      cachedTokens: record.cachedTokens,
      latencyMs: record.latencyMs,
      ttftMs: record.ttftMs,
      costNanoUsd: decimal(record.costNanoUsd),
      costSource: record.costSource,
      attempts: record.attempts.map((attempt) => ({
        attemptNumber: attempt.attemptNumber,
        provider: attempt.provider,
        model: attempt.model,
        servedModel: attempt.servedModel,
        generationId: attempt.generationId,
        status: attempt.status,
        upstreamStatus: attempt.upstreamStatus,
        startedAt: attempt.startedAt.toISOString(),
        latencyMs: attempt.latencyMs,
        ttftMs: attempt.ttftMs,
        promptTokens: attempt.promptTokens,
        completionTokens: attempt.completionTokens,
        reasoningTokens: attempt.reasoningTokens,
        cachedTokens: attempt.cachedTokens,
        costNanoUsd: decimal(attempt.costNanoUsd),
        costSource: attempt.costSource,
      })),
    }) + '\n'
  );
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
      maxCostNanoUsd: decimal(intent.maxCostNanoUsd),
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

/** Reads typed fields out of one parsed JSON object, throwing on the first mismatch. */
function fieldReader(source: unknown) {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new SignalboxError('internal_error', 'A ledger journal entry is not an object.');
  }
  const object = source as Record<string, unknown>;
  function fail(key: string): never {
    throw new SignalboxError('internal_error', `Ledger journal field "${key}" is malformed.`);
  }
  function string(key: string): string {
    const value = object[key];
    return typeof value === 'string' ? value : fail(key);
  }
  function number(key: string): number {
    const value = object[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : fail(key);
  }
  function date(key: string): Date {
    const value = new Date(string(key));
    return Number.isNaN(value.getTime()) ? fail(key) : value;
  }
  function nullable<T>(key: string, read: (key: string) => T): T | null {
    return object[key] === null ? null : read(key);
  }
  return {
    string,
    number,
    date,
    boolean(key: string): boolean {
      const value = object[key];
      return typeof value === 'boolean' ? value : fail(key);
    },
    nullableString: (key: string) => nullable(key, string),
    nullableNumber: (key: string) => nullable(key, number),
    nullableBigint: (key: string) =>
      nullable(key, (name) => {
        const text = string(name);
        return /^-?\d+$/.test(text) ? BigInt(text) : fail(name);
      }),
    costSource(key: string): CostSource | null {
      const value = object[key];
      if (value === null) return null;
      return COST_SOURCES.find((source) => source === value) ?? fail(key);
    },
    array(key: string): unknown[] {
      const value = object[key];
      return Array.isArray(value) ? (value as unknown[]) : fail(key);
    },
  };
}

function decodeAttempt(source: unknown): AttemptRecord {
  const read = fieldReader(source);
  return {
    attemptNumber: read.number('attemptNumber'),
    provider: read.string('provider'),
    model: read.string('model'),
    servedModel: read.nullableString('servedModel'),
    generationId: read.nullableString('generationId'),
    status: read.string('status'),
    upstreamStatus: read.nullableNumber('upstreamStatus'),
    startedAt: read.date('startedAt'),
    latencyMs: read.number('latencyMs'),
    ttftMs: read.nullableNumber('ttftMs'),
    promptTokens: read.nullableNumber('promptTokens'),
    completionTokens: read.nullableNumber('completionTokens'),
    reasoningTokens: read.nullableNumber('reasoningTokens'),
    cachedTokens: read.nullableNumber('cachedTokens'),
    costNanoUsd: read.nullableBigint('costNanoUsd'),
    costSource: read.costSource('costSource'),
  };
}

/**
 * The entry one journal line holds (without its "\n").
 * @throws SyntaxError when the line is not JSON (a torn line); SignalboxError
 *   `internal_error` when it is JSON of another version, kind or shape.
 */
export function decodeJournalEntry(line: string): JournalEntry {
  const parsed: unknown = JSON.parse(line);
  const read = fieldReader(parsed);
  if (read.number('v') !== LEDGER_JOURNAL_VERSION) {
    throw new SignalboxError('internal_error', 'Unknown ledger journal version.');
  }
  const kind = (parsed as { t?: unknown }).t;
  if (kind === undefined) return { kind: 'record', record: decodeRecord(read) };
  if (kind === 'begin') {
    return {
      kind: 'begin',
      intent: {
        requestId: read.string('requestId'),
        attemptNumber: read.number('attemptNumber'),
        createdAt: read.date('createdAt'),
        model: read.string('model'),
        stream: read.boolean('stream'),
        provider: read.string('provider'),
        upstreamModel: read.string('upstreamModel'),
        canonicalModel: read.string('canonicalModel'),
        startedAt: read.date('startedAt'),
        maxCostNanoUsd: read.nullableBigint('maxCostNanoUsd'),
      },
    };
  }
  if (kind === 'generation') {
    return {
      kind: 'generation',
      generation: {
        requestId: read.string('requestId'),
        attemptNumber: read.number('attemptNumber'),
        generationId: read.string('generationId'),
        at: read.date('at'),
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

function decodeRecord(read: ReturnType<typeof fieldReader>): RequestRecord {
  return {
    id: read.string('id'),
    createdAt: read.date('createdAt'),
    model: read.string('model'),
    provider: read.nullableString('provider'),
    servedModel: read.nullableString('servedModel'),
    status: read.string('status'),
    httpStatus: read.number('httpStatus'),
    stream: read.boolean('stream'),
    generationId: read.nullableString('generationId'),
    promptTokens: read.nullableNumber('promptTokens'),
    completionTokens: read.nullableNumber('completionTokens'),
    reasoningTokens: read.nullableNumber('reasoningTokens'),
    cachedTokens: read.nullableNumber('cachedTokens'),
    latencyMs: read.number('latencyMs'),
    ttftMs: read.nullableNumber('ttftMs'),
    costNanoUsd: read.nullableBigint('costNanoUsd'),
    costSource: read.costSource('costSource'),
    attempts: read.array('attempts').map(decodeAttempt),
  };
}
