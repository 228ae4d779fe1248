/**
 * The ledger's storage: `requests` and `attempts` rows (contracts/ledger.ts). Writes
 * arrive in batches from the ledger writer (usage/ledger-writer.ts) and are inserted by
 * one idempotent statement (ledger-insert.ts); reads page newest first with a keyset cursor.
 */
import { and, asc, desc, eq, gte, inArray, lte, ne, or, sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type { AttemptRecord, RequestPage, RequestRecord } from '../contracts/ledger.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { Database, SignalboxDrizzle } from './database.ts';
import { attempts, requests } from './schema.ts';
import { suffixRequestId } from '../lib/ids.ts';
import {
  escapeNul,
  LEDGER_INSERT_SQL,
  LEDGER_REPLAY_INSERT_SQL,
  ledgerInsertParameters,
} from './ledger-insert.ts';
import {
  updateAttemptCost,
  type AttemptCostResult,
  type AttemptCostUpdate,
} from './ledger-cost-update.ts';

export interface LedgerRepository {
  /**
   * Inserts requests and their attempts in ONE statement (group commit of a batch):
   * all rows are committed or none. Idempotent: a request already stored (same id, creation
   * time, model and latency) is skipped with its attempts, so a replayed journal never
   * duplicates rows. A request whose id is taken by a DIFFERENT stored request (a client that
   * reused an `x-request-id`) is stored under `<id>~<6 alphanumerics>` by a second statement:
   * never dropped, never merged. U+0000 in text is stored as the text `\u0000`
   * (ledger-insert.ts). Rejects with the driver's error, e.g. on a value out of a column's
   * range or one id twice in the batch (the ledger writers then insert record by record, and
   * the second becomes a reused id).
   */
  insertRequests(records: readonly RequestRecord[]): Promise<void>;
  /**
   * Newest first (`created_at` desc, then `id` desc), each with its attempts in
   * `attempt_number` order. `cursor` is the opaque `nextCursor` of the previous page
   * (base64url of created_at + id), null for the first page.
   * @throws SignalboxError `invalid_request` (param `limit`) unless 1 <= limit <= 200,
   *   (param `cursor`) when the cursor was not made by this function.
   */
  listRequests(options: {
    limit: number;
    cursor: string | null;
    filter?: RequestFilter;
  }): Promise<RequestPage>;
  /** One request with its attempts, or null. */
  getRequest(id: string): Promise<RequestRecord | null>;
  /**
   * Sets a late cost on one attempt while its cost is NULL or `estimated` (the cost
   * reconciler's write), and recomputes its request's total (sum of the attempts' known costs)
   * and source (the weakest); fills the attempt's missing token counts, and the request's when
   * it has none and this is its last attempt. See ledger-cost-update.ts for the results.
   * @throws the driver's error.
   */
  updateAttemptCost(update: AttemptCostUpdate): Promise<AttemptCostResult>;
  /**
   * The request whose served generation has this id (the `id` of its completion and its
   * `x-generation-id` header), with its attempts; the newest when several share it; null when
   * none (index `requests_generation_id_idx`).
   */
  findByGenerationId(generationId: string): Promise<RequestRecord | null>;
  /**
   * Per requested model since `since`: request count, failed requests (status other than
   * `success`), and the median latency of the successful ones (ms; null when none succeeded).
   */
  modelStatistics(since: Date): Promise<Map<string, ModelStatistics>>;
}

export interface ModelStatistics {
  requests: number;
  errors: number;
  medianLatencyMs: number | null;
}

/**
 * What `listRequests` keeps (every field optional; all given must hold). The cursor of a
 * filtered page is only valid with the same filter.
 */
export interface RequestFilter {
  /** `created_at` >= from. */
  from?: Date;
  /** `created_at` < to. */
  to?: Date;
  /** The requested model or the served one. */
  model?: string;
  /** The provider instance that served (or was tried last). */
  provider?: string;
  /** `success`, `error` (anything but success), or one error code. */
  status?: string;
  /** A policy name (`signalbox/<name>` → `<name>`). */
  policy?: string;
  keyId?: string;
  projectId?: string;
  /** Known cost >= this, nano-USD. */
  minCostNanoUsd?: bigint;
  /** Known cost <= this, nano-USD. */
  maxCostNanoUsd?: bigint;
}

function filterConditions(filter: RequestFilter): SQL[] {
  const conditions: (SQL | undefined)[] = [];
  if (filter.from !== undefined)
    conditions.push(sql`${requests.createdAt} >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to !== undefined)
    conditions.push(sql`${requests.createdAt} < ${filter.to.toISOString()}::timestamptz`);
  if (filter.model !== undefined)
    conditions.push(or(eq(requests.model, filter.model), eq(requests.servedModel, filter.model)));
  if (filter.provider !== undefined) conditions.push(eq(requests.provider, filter.provider));
  if (filter.status === 'error') conditions.push(ne(requests.status, 'success'));
  else if (filter.status !== undefined) conditions.push(eq(requests.status, filter.status));
  if (filter.policy !== undefined) conditions.push(eq(requests.policy, filter.policy));
  if (filter.keyId !== undefined) conditions.push(eq(requests.keyId, filter.keyId));
  if (filter.projectId !== undefined) conditions.push(eq(requests.projectId, filter.projectId));
  if (filter.minCostNanoUsd !== undefined)
    conditions.push(gte(requests.costNanoUsd, filter.minCostNanoUsd));
  if (filter.maxCostNanoUsd !== undefined)
    conditions.push(lte(requests.costNanoUsd, filter.maxCostNanoUsd));
  return conditions.filter((condition) => condition !== undefined);
}

/** True for PostgreSQL's unique_violation (SQLSTATE 23505), as node-postgres and PGlite report it. */
function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
  );
}

/** Largest page `listRequests` returns. */
export const MAX_REQUESTS_PAGE = 200;

type RequestRow = typeof requests.$inferSelect;
type AttemptRow = typeof attempts.$inferSelect;

/** Binds the ledger repository to a database. */
export function createLedgerRepository(database: Database): LedgerRepository {
  const { db } = database;
  return {
    async insertRequests(records) {
      if (records.length === 0) return;
      try {
        await database.execute(LEDGER_INSERT_SQL, ledgerInsertParameters(records), {
          name: 'signalbox_ledger_insert',
        });
        return;
      } catch (error) {
        // Some id is already stored: a replay, or a reused id. The idempotent statement sorts them.
        if (!isUniqueViolation(error)) throw error;
      }
      let batch: readonly RequestRecord[] = records;
      // A renamed id colliding again is astronomically unlikely; three rounds bound the loop.
      for (let round = 0; round < 3 && batch.length > 0; round += 1) {
        const skipped = await database.execute(
          LEDGER_REPLAY_INSERT_SQL,
          ledgerInsertParameters(batch, { rollups: false }),
        );
        if (skipped.length === 0) return;
        batch = await reusedIds(db, batch, new Set(skipped.map((row) => String(row.id))));
      }
    },

    async listRequests({ limit, cursor, filter = {} }) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REQUESTS_PAGE) {
        throw new SignalboxError(
          'invalid_request',
          `limit must be a whole number from 1 to ${MAX_REQUESTS_PAGE}.`,
          {
            param: 'limit',
          },
        );
      }
      const after = cursor === null ? null : decodeCursor(cursor);
      const rows = await db
        .select()
        .from(requests)
        // A row comparison, so PostgreSQL walks requests_created_at_id_idx from the cursor.
        .where(
          and(
            ...filterConditions(filter),
            after === null
              ? undefined
              : sql`(${requests.createdAt}, ${requests.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id})`,
          ),
        )
        .orderBy(desc(requests.createdAt), desc(requests.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(last) : null;
      return { data: await withAttempts(db, page), nextCursor };
    },

    async modelStatistics(since) {
      const rows = await db
        .select({
          model: requests.model,
          requests: sql<number>`count(*)::int`,
          errors: sql<number>`(count(*) filter (where ${requests.status} <> 'success'))::int`,
          medianLatencyMs: sql<
            number | null
          >`(percentile_cont(0.5) within group (order by ${requests.latencyMs}) filter (where ${requests.status} = 'success'))::float8`,
        })
        .from(requests)
        .where(sql`${requests.createdAt} >= ${since.toISOString()}::timestamptz`)
        .groupBy(requests.model);
      return new Map(
        rows.map((row) => [
          row.model,
          {
            requests: row.requests,
            errors: row.errors,
            medianLatencyMs: row.medianLatencyMs === null ? null : Math.round(row.medianLatencyMs),
          },
        ]),
      );
    },

    updateAttemptCost: (update) => updateAttemptCost(database, update),

    async getRequest(id) {
      const rows = await db.select().from(requests).where(eq(requests.id, id));
      const [record] = await withAttempts(db, rows);
      return record ?? null;
    },

    async findByGenerationId(generationId) {
      const rows = await db
        .select()
        .from(requests)
        .where(eq(requests.generationId, generationId))
        .orderBy(desc(requests.createdAt))
        .limit(1);
      const [record] = await withAttempts(db, rows);
      return record ?? null;
    },
  };
}

/**
 * Of the records the insert skipped, those that are NOT the stored row of their id (a reused
 * id, not a replay), each renamed to a suffixed id for the next round.
 */
async function reusedIds(
  db: SignalboxDrizzle,
  batch: readonly RequestRecord[],
  skipped: ReadonlySet<string>,
): Promise<RequestRecord[]> {
  const stored = await db
    .select({
      id: requests.id,
      createdAt: requests.createdAt,
      model: requests.model,
      latencyMs: requests.latencyMs,
    })
    .from(requests)
    .where(inArray(requests.id, [...skipped]));
  const byId = new Map(stored.map((row) => [row.id, row]));
  return batch
    .filter((record) => {
      const id = escapeNul(record.id);
      if (!skipped.has(id)) return false;
      const row = byId.get(id);
      const replay =
        row !== undefined &&
        row.createdAt.getTime() === record.createdAt.getTime() &&
        row.model === escapeNul(record.model) &&
        row.latencyMs === record.latencyMs;
      return !replay;
    })
    .map((record) => ({ ...record, id: suffixRequestId(record.id) }));
}

async function withAttempts(
  db: SignalboxDrizzle,
  rows: readonly RequestRow[],
): Promise<RequestRecord[]> {
  if (rows.length === 0) return [];
  const attemptRows = await db
    .select()
    .from(attempts)
    .where(
      inArray(
        attempts.requestId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(attempts.requestId), asc(attempts.attemptNumber));
  const byRequest = new Map<string, AttemptRecord[]>();
  for (const row of attemptRows) {
    const list = byRequest.get(row.requestId) ?? [];
    list.push(fromAttemptRow(row));
    byRequest.set(row.requestId, list);
  }
  return rows.map((row) => fromRequestRow(row, byRequest.get(row.id) ?? []));
}

/** Row keys are the record's field names (ledger-columns.ts checks they agree). */
function fromRequestRow(row: RequestRow, attemptRecords: AttemptRecord[]): RequestRecord {
  return { ...row, attempts: attemptRecords };
}

function fromAttemptRow(row: AttemptRow): AttemptRecord {
  const { id: _id, requestId: _requestId, ...record } = row;
  return record;
}

function encodeCursor(row: RequestRow): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const invalid = new SignalboxError(
    'invalid_request',
    'cursor is not a cursor this endpoint returned.',
    {
      param: 'cursor',
    },
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid;
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string') throw invalid;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) throw invalid;
  return { createdAt: date, id };
}
