/**
 * The ledger's bulk insert, run by the ledger writer's background flush (or, without a journal,
 * on the request path's settle step): ONE constant SQL statement per
 * batch, whatever its size. Each column travels as one array parameter and `unnest` turns the
 * arrays back into rows; a data-modifying CTE inserts the requests and the main statement their
 * attempts, so the batch is atomic without an explicit transaction. Drizzle's query builder
 * costs about 80 µs per row here (its `is()` checks), more than the database itself, so this
 * one statement is written by hand (bench: `npm run bench`, gateway vs gateway-no-ledger).
 * The column lists must match schema.ts; the storage suite checks every column round-trips.
 *
 * PostgreSQL refuses U+0000 in `text` (SQLSTATE 22P05), and a NUL can arrive in any string a
 * client or an upstream chose (a model name, a generation id). Every text cell therefore has
 * each U+0000 replaced by the six characters `\u0000` (escaped, not dropped): the row is stored
 * and visible like any other, and the escape shows where the NUL was (docs/architecture.md).
 */
import type { RequestRecord } from '../contracts/ledger.ts';

const REQUEST_COLUMNS: readonly (readonly [column: string, type: string])[] = [
  ['id', 'text'],
  ['created_at', 'timestamptz'],
  ['model', 'text'],
  ['provider', 'text'],
  ['served_model', 'text'],
  ['status', 'text'],
  ['http_status', 'int4'],
  ['stream', 'bool'],
  ['generation_id', 'text'],
  ['prompt_tokens', 'int4'],
  ['completion_tokens', 'int4'],
  ['reasoning_tokens', 'int4'],
  ['cached_tokens', 'int4'],
  ['latency_ms', 'int4'],
  ['ttft_ms', 'int4'],
  ['cost_nanousd', 'int8'],
  ['cost_source', 'text'],
];

const ATTEMPT_COLUMNS: readonly (readonly [column: string, type: string])[] = [
  ['request_id', 'text'],
  ['attempt_number', 'int4'],
  ['provider', 'text'],
  ['model', 'text'],
  ['served_model', 'text'],
  ['generation_id', 'text'],
  ['status', 'text'],
  ['upstream_status', 'int4'],
  ['started_at', 'timestamptz'],
  ['latency_ms', 'int4'],
  ['ttft_ms', 'int4'],
  ['prompt_tokens', 'int4'],
  ['completion_tokens', 'int4'],
  ['reasoning_tokens', 'int4'],
  ['cached_tokens', 'int4'],
  ['cost_nanousd', 'int8'],
  ['cost_source', 'text'],
];

function unnest(columns: typeof REQUEST_COLUMNS, offset: number): string {
  return columns.map(([, type], index) => `$${offset + index + 1}::${type}[]`).join(', ');
}

function names(columns: typeof REQUEST_COLUMNS): string {
  return columns.map(([column]) => `"${column}"`).join(', ');
}

/**
 * The statement; parameters are produced by `ledgerInsertParameters`. Idempotent: a request
 * whose id is already stored is skipped (`ON CONFLICT DO NOTHING`) together with its attempts,
 * which are inserted only for the ids the CTE returns — so replaying the ledger journal after
 * a crash (usage/ledger-journal.ts) never duplicates rows. It returns the `id` of every request
 * it skipped (none, normally), so the caller can tell a replay from a reused id
 * (ledger-repository.ts). Two records with one id in the same batch fail the batch, on the
 * attempts' unique (request_id, attempt_number): the repository renames such duplicates first.
 */
export const LEDGER_INSERT_SQL =
  `WITH inserted_requests AS (INSERT INTO "requests" (${names(REQUEST_COLUMNS)}) ` +
  `SELECT * FROM unnest(${unnest(REQUEST_COLUMNS, 0)}) ` +
  `ON CONFLICT ("id") DO NOTHING RETURNING "id"), ` +
  `inserted_attempts AS (INSERT INTO "attempts" (${names(ATTEMPT_COLUMNS)}) ` +
  `SELECT * FROM unnest(${unnest(ATTEMPT_COLUMNS, REQUEST_COLUMNS.length)}) ` +
  `AS new_attempts (${names(ATTEMPT_COLUMNS)}) ` +
  `WHERE new_attempts."request_id" IN (SELECT "id" FROM inserted_requests)) ` +
  `SELECT batch."id" FROM unnest($1::text[]) AS batch ("id") ` +
  `WHERE batch."id" NOT IN (SELECT "id" FROM inserted_requests)`;

type Cell = string | number | boolean | null;

/** U+0000 → the text `\u0000` (PostgreSQL text cannot hold NUL). */
export function escapeNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\\u0000') : text;
}

function cell(value: Cell): Cell {
  return typeof value === 'string' ? escapeNul(value) : value;
}

/** Column arrays for LEDGER_INSERT_SQL (bigints and timestamps as text, exact). */
export function ledgerInsertParameters(records: readonly RequestRecord[]): Cell[][] {
  const request: Cell[][] = REQUEST_COLUMNS.map(() => []);
  const attempt: Cell[][] = ATTEMPT_COLUMNS.map(() => []);
  for (const record of records) {
    const requestCells: Cell[] = [
      record.id,
      record.createdAt.toISOString(),
      record.model,
      record.provider,
      record.servedModel,
      record.status,
      record.httpStatus,
      record.stream,
      record.generationId,
      record.promptTokens,
      record.completionTokens,
      record.reasoningTokens,
      record.cachedTokens,
      record.latencyMs,
      record.ttftMs,
      record.costNanoUsd === null ? null : record.costNanoUsd.toString(),
      record.costSource,
    ];
    requestCells.forEach((value, index) => request[index]?.push(cell(value)));
    for (const entry of record.attempts) {
      const attemptCells: Cell[] = [
        record.id,
        entry.attemptNumber,
        entry.provider,
        entry.model,
        entry.servedModel,
        entry.generationId,
        entry.status,
        entry.upstreamStatus,
        entry.startedAt.toISOString(),
        entry.latencyMs,
        entry.ttftMs,
        entry.promptTokens,
        entry.completionTokens,
        entry.reasoningTokens,
        entry.cachedTokens,
        entry.costNanoUsd === null ? null : entry.costNanoUsd.toString(),
        entry.costSource,
      ];
      attemptCells.forEach((value, index) => attempt[index]?.push(cell(value)));
    }
  }
  return [...request, ...attempt];
}
