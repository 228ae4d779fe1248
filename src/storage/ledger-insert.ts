/**
 * The ledger's bulk insert, run by the ledger writer's background flush (or, without a journal,
 * on the request path's settle step): ONE constant SQL statement per batch, whatever its size.
 * Each column travels as one array parameter and `unnest` turns the arrays back into rows (a
 * JSON column as ONE `jsonb` array, `jsonb_array_elements`: as a `jsonb[]` element each value
 * would be quoted and escaped by the driver and unescaped by `array_in` before `jsonb_in` read
 * it, ~9 µs per request on PGlite for a routing decision of ~550 bytes); a data-modifying CTE
 * inserts the requests and the main statement their attempts, so the batch is atomic without
 * an explicit transaction. Drizzle's query builder costs about 80 µs per row
 * here (its `is()` checks), more than the database itself, so the statement is built once from
 * the schema's column list (ledger-columns.ts) rather than by the builder.
 *
 * PostgreSQL refuses U+0000 in `text` (SQLSTATE 22P05) and the `\u0000` escape in `jsonb`, and a
 * NUL can arrive in any string a client or an upstream chose (a model name, a generation id).
 * Every text cell therefore has each U+0000 replaced by the six characters `\u0000` (escaped,
 * not dropped), and JSON cells carry it as that text too: the row is stored and visible like any
 * other, and the escape shows where the NUL was (docs/architecture.md).
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import { attemptColumns, requestColumns, type LedgerColumn } from './ledger-columns.ts';
import { escapeNul } from './escape-nul.ts';
import { rollupDeltaCtes, rollupDeltaParameters } from './usage-rollup-delta.ts';
import { ROLLUP_SOURCE_COLUMNS, rollupCtes } from './usage-rollup-sql.ts';

function attemptRequestIdIndex(): number {
  const index = attemptColumns.findIndex((column) => column.key === 'requestId');
  if (index < 0) throw new Error('attempts have no request_id column');
  return index;
}

function unnest(columns: readonly LedgerColumn[], offset: number): string {
  return columns.map((column, index) => `$${offset + index + 1}::${column.arrayType}[]`).join(', ');
}

/**
 * `SELECT <cells> FROM ROWS FROM (…) AS <alias> (c0, c1, …)`: the rows of `columns` from their
 * parameters (`$offset + 1` on), in column order. A JSON column's parameter is one JSON array
 * (`columnParameter`) whose `null` elements become SQL NULL.
 */
function rowsFrom(columns: readonly LedgerColumn[], offset: number, alias: string): string {
  const sources = columns.map((column, index) =>
    column.kind === 'json'
      ? `jsonb_array_elements($${offset + index + 1}::jsonb)`
      : `unnest($${offset + index + 1}::${column.arrayType}[])`,
  );
  const cells = columns.map((column, index) =>
    column.kind === 'json' ? `nullif(c${index}, 'null'::jsonb)` : `c${index}`,
  );
  const aliases = columns.map((_, index) => `c${index}`).join(', ');
  return `SELECT ${cells.join(', ')} FROM ROWS FROM (${sources.join(', ')}) AS ${alias} (${aliases})`;
}

function names(columns: readonly LedgerColumn[]): string {
  return columns.map((column) => `"${column.name}"`).join(', ');
}

/**
 * The statement for a batch of new requests (every normal flush); parameters are produced by
 * `ledgerInsertParameters`. It inserts the requests, their attempts and the batch's usage
 * rollups (its contributions summed in JavaScript, usage-rollup-delta.ts) as one atomic
 * statement: the ledger and its rollups commit together or not at all. A plain INSERT: when any
 * request id is already stored (a journal replayed after a crash, usage/ledger-journal.ts, or a
 * reused id) it fails whole with unique_violation (23505) and the repository runs
 * LEDGER_REPLAY_INSERT_SQL instead. Kept small (no per-row SQL expressions), so parsing and
 * planning it costs little; both backends run it as a named prepared statement (on PGlite through
 * its wire protocol, pglite-prepared.ts), so it is parsed once per connection.
 */
export const LEDGER_INSERT_SQL = ledgerInsertSql({ rollups: true });

/**
 * LEDGER_INSERT_SQL, or without its rollups (only for bench/analytics.ts, which measures what
 * the rollups cost per request).
 */
export function ledgerInsertSql(options: { rollups: boolean }): string {
  const inserts =
    `inserted_requests AS (INSERT INTO "requests" (${names(requestColumns)}) ` +
    `${rowsFrom(requestColumns, 0, 'new_requests')})`;
  const attemptsInsert =
    `INSERT INTO "attempts" (${names(attemptColumns)}) ` +
    `SELECT * FROM unnest(${unnest(attemptColumns, requestColumns.length)})`;
  const rollups = options.rollups
    ? `, ${rollupDeltaCtes(requestColumns.length + attemptColumns.length)}`
    : '';
  return `WITH ${inserts}${rollups} ${attemptsInsert}`;
}

/**
 * The idempotent statement for a batch of which some requests may already be stored (after
 * LEDGER_INSERT_SQL failed on a duplicate id); parameters: `ledgerInsertParameters(records,
 * { rollups: false })`. A request whose id is already stored is skipped (`ON CONFLICT DO
 * NOTHING`) together with its attempts, which are inserted only for the ids the CTE returns, so
 * replaying the ledger journal never duplicates rows; the usage rollups follow the rows actually
 * inserted, summed by SQL (usage-rollup-sql.ts). It returns the `id` of every request it skipped,
 * so the caller can tell a replay from a reused id (ledger-repository.ts). Two records with one
 * id in the same batch fail the batch, on the attempts' unique (request_id, attempt_number): the
 * repository renames such duplicates first. The request id must stay the first request column
 * (`$1` below).
 */
export const LEDGER_REPLAY_INSERT_SQL =
  `WITH inserted_requests AS (INSERT INTO "requests" (${names(requestColumns)}) ` +
  `${rowsFrom(requestColumns, 0, 'new_requests')} ` +
  `ON CONFLICT ("id") DO NOTHING RETURNING ${ROLLUP_SOURCE_COLUMNS.map((c) => `"${c}"`).join(', ')}), ` +
  `inserted_attempts AS (INSERT INTO "attempts" (${names(attemptColumns)}) ` +
  `SELECT * FROM unnest(${unnest(attemptColumns, requestColumns.length)}) ` +
  `AS new_attempts (${names(attemptColumns)}) ` +
  `WHERE new_attempts."request_id" IN (SELECT "id" FROM inserted_requests)), ` +
  `rollup_source AS (SELECT r.*, coalesce(counted.attempt_count, 0) AS attempt_count ` +
  `FROM inserted_requests r LEFT JOIN (SELECT "request_id", count(*) AS attempt_count ` +
  `FROM unnest($${String(requestColumns.length + attemptRequestIdIndex() + 1)}::text[]) AS batch_attempts ("request_id") ` +
  `GROUP BY "request_id") AS counted ON counted."request_id" = r."id"), ` +
  `${rollupCtes('rollup_source')} ` +
  `SELECT batch."id" FROM unnest($1::text[]) AS batch ("id") ` +
  `WHERE batch."id" NOT IN (SELECT "id" FROM inserted_requests)`;

type Cell = string | number | boolean | null;

export { escapeNul };

/**
 * `\u0000` escapes in JSON text (a U+0000 in some string) → `\\u0000`, so the string holds the
 * six characters `\u0000` instead (jsonb refuses the escape). An escape is one preceded by an
 * even number of backslashes: the text `\u0000` a client sent is already `\\u0000` and stays.
 */
export function escapeJsonNul(json: string): string {
  return json.includes('\\u0000')
    ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\\\u0000')
    : json;
}

/**
 * A value as its array parameter carries it: bigints and timestamps as text (exact), JSON as
 * text; NULs escaped (jsonb refuses `\u0000`, so in JSON it becomes an escaped backslash).
 */
export function toCell(kind: LedgerColumn['kind'], value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bigint':
      return (value as bigint).toString();
    case 'timestamp':
      return (value as Date).toISOString();
    case 'json':
      return escapeJsonNul(JSON.stringify(value));
    default:
      return typeof value === 'string' ? escapeNul(value) : (value as Cell);
  }
}

/** The cells of one column as its parameter: an array, or for a JSON column one JSON array. */
function columnParameter(kind: LedgerColumn['kind'], cells: Cell[]): Cell[] | string {
  return kind === 'json' ? `[${cells.map((cell) => cell ?? 'null').join(',')}]` : cells;
}

/**
 * Parameters for LEDGER_INSERT_SQL (or `ledgerInsertSql({ rollups })`) and
 * LEDGER_REPLAY_INSERT_SQL: the columns in the statement's column order (an array each; a JSON
 * column one JSON array text), then with rollups the batch's summed contributions.
 */
export function ledgerInsertParameters(
  records: readonly RequestRecord[],
  options: { rollups: boolean } = { rollups: true },
): (Cell[] | string)[] {
  const requestCount = requestColumns.length;
  const attemptCount = attemptColumns.length;
  const request: Cell[][] = Array.from({ length: requestCount }, () => []);
  const attempt: Cell[][] = Array.from({ length: attemptCount }, () => []);
  for (const record of records) {
    const fields = record as unknown as Record<string, unknown>;
    for (let index = 0; index < requestCount; index += 1) {
      const column = requestColumns[index] as LedgerColumn;
      (request[index] as Cell[]).push(toCell(column.kind, fields[column.key]));
    }
    for (const entry of record.attempts) {
      const attemptFields = entry as unknown as Record<string, unknown>;
      for (let index = 0; index < attemptCount; index += 1) {
        const column = attemptColumns[index] as LedgerColumn;
        const value = column.key === 'requestId' ? record.id : attemptFields[column.key];
        (attempt[index] as Cell[]).push(toCell(column.kind, value));
      }
    }
  }
  const columns = [
    ...request.map((cells, index) =>
      columnParameter((requestColumns[index] as LedgerColumn).kind, cells),
    ),
    ...attempt.map((cells, index) =>
      columnParameter((attemptColumns[index] as LedgerColumn).kind, cells),
    ),
  ];
  return options.rollups ? [...columns, ...rollupDeltaParameters(records)] : columns;
}
