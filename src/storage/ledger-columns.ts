/**
 * The ledger's columns, read from the Drizzle schema (schema.ts) — the one list the bulk insert
 * (ledger-insert.ts), the row readers (ledger-repository.ts) and the journal's line format
 * (src/usage/ledger-journal-codec.ts) all follow. A column's key in the schema is its field name
 * in RequestRecord / AttemptRecord (contracts/ledger.ts); the type checks below fail the build
 * when the two drift apart, so a new ledger column is one schema line plus its record field.
 */
import { getTableColumns } from './drizzle.ts';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import { attempts, requests } from './schema.ts';

/** How a column's value travels: its JSON form in the journal, its array type in the insert. */
export type ColumnKind = 'text' | 'integer' | 'boolean' | 'bigint' | 'timestamp' | 'json';

export interface LedgerColumn<Key extends string = string> {
  /** The record field (the schema's key). */
  key: Key;
  /** The SQL column name. */
  name: string;
  kind: ColumnKind;
  /** The element type for `unnest($n::<type>[])`. */
  arrayType: string;
  nullable: boolean;
}

const kinds: Readonly<Record<string, readonly [ColumnKind, string]>> = {
  PgText: ['text', 'text'],
  PgInteger: ['integer', 'int4'],
  PgBoolean: ['boolean', 'bool'],
  PgBigInt64: ['bigint', 'int8'],
  PgTimestamp: ['timestamp', 'timestamptz'],
  PgJsonb: ['json', 'jsonb'],
  PgJson: ['json', 'json'],
};

function describe<Key extends string>(
  table: typeof requests | typeof attempts,
  skip: readonly string[],
): LedgerColumn<Key>[] {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  return Object.entries(columns)
    .filter(([key]) => !skip.includes(key))
    .map(([key, column]) => {
      const kind = kinds[column.columnType];
      if (kind === undefined)
        throw new Error(`ledger column ${column.name}: no mapping for ${column.columnType}`);
      return {
        key: key as Key,
        name: column.name,
        kind: kind[0],
        arrayType: kind[1],
        nullable: !column.notNull,
      };
    });
}

export type RequestColumnKey = Exclude<keyof RequestRecord, 'attempts'>;
/** `requestId` comes from the request the attempt belongs to. */
export type AttemptColumnKey = keyof AttemptRecord | 'requestId';

/** Every `requests` column, in schema order. */
export const requestColumns: readonly LedgerColumn<RequestColumnKey>[] = describe(requests, []);
/** Every `attempts` column but its serial `id`, in schema order. */
export const attemptColumns: readonly LedgerColumn<AttemptColumnKey>[] = describe(attempts, ['id']);

// Compile-time: the records' fields and the tables' columns are the same sets of names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const requestFieldsMatch: Same<RequestColumnKey, keyof typeof requests.$inferSelect> = true;
const attemptFieldsMatch: Same<
  AttemptColumnKey,
  Exclude<keyof typeof attempts.$inferSelect, 'id'>
> = true;
/** The compile-time checks above, kept referenced. */
export const ledgerFieldsMatchSchema: readonly [true, true] = [
  requestFieldsMatch,
  attemptFieldsMatch,
];
