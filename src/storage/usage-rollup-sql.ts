/**
 * SQL that keeps the usage rollups (schema.ts `usage_rollups_*`, `usage_histograms_*`) equal to
 * the ledger: each request contributes one value per measure to the rollup row of its minute and
 * of its hour (`insert … on conflict do update` adding the contributions), and its latency and
 * TTFT one count each to a histogram bucket (src/lib/log-histogram.ts). The ledger insert runs
 * these as CTEs of its own statement, over the rows it actually inserted (ledger-insert.ts), so
 * a replayed journal adds nothing twice; a late cost subtracts a request's contribution and adds
 * it again around its update, in the update's transaction (ledger-cost-update.ts).
 * Rows are upserted in key order, so concurrent writers (several instances on one PostgreSQL)
 * lock shared rollup rows in the same order. Docs: docs/decisions/0016-usage-rollups.md.
 */
import { sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import { histogramBucketSql } from '../lib/log-histogram.ts';

/** A rollup tier: its tables and the `date_trunc` unit of its buckets. */
export interface RollupTier {
  unit: 'minute' | 'hour';
  rollups: string;
  histograms: string;
}

export const ROLLUP_TIERS: readonly RollupTier[] = [
  { unit: 'minute', rollups: 'usage_rollups_minute', histograms: 'usage_histograms_minute' },
  { unit: 'hour', rollups: 'usage_rollups_hour', histograms: 'usage_histograms_hour' },
];

/** The `requests` columns a contribution reads (plus `attempt_count`, the request's attempts). */
export const ROLLUP_SOURCE_COLUMNS = [
  'id',
  'created_at',
  'key_id',
  'project_id',
  'model',
  'provider',
  'status',
  'policy',
  'prompt_tokens',
  'completion_tokens',
  'reasoning_tokens',
  'cached_tokens',
  'cost_nanousd',
  'cost_source',
  'latency_ms',
  'ttft_ms',
  'served_candidate',
] as const;

export const KEY_COLUMNS = [
  'key_id',
  'project_id',
  'model',
  'provider',
  'status',
  'policy',
] as const;

function costOf(source: string): string {
  return `CASE WHEN cost_source = '${source}' THEN coalesce(cost_nanousd, 0) ELSE 0 END`;
}
function pricedBy(source: string): string {
  return `CASE WHEN cost_source = '${source}' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END`;
}

/** The fields of a ledger record a contribution reads (RequestRecord's, plus its attempt count). */
export interface ContributionSource {
  status: string;
  attemptCount: number;
  servedCandidate: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  cachedTokens: number | null;
  costNanoUsd: bigint | null;
  costSource: string | null;
  latencyMs: number;
}

/**
 * A measure: its column, one request's contribution as an SQL expression over its stored row,
 * and the same contribution computed from the record in JavaScript (usage-rollup-delta.ts sums
 * a batch's contributions before the insert). The two must agree; usage-rollups.test.ts checks
 * the rollups against the ledger after random workloads through both paths.
 */
interface Measure {
  name: string;
  sql: string;
  of: (row: ContributionSource) => number | bigint;
  money?: true;
}

const n = (value: number | null) => value ?? 0;
const cost = (source: string) => (row: ContributionSource) =>
  row.costSource === source ? (row.costNanoUsd ?? 0n) : 0n;
const priced = (source: string) => (row: ContributionSource) =>
  row.costSource === source && row.costNanoUsd !== null ? 1 : 0;

const MEASURES: readonly Measure[] = [
  { name: 'requests', sql: '1', of: () => 1 },
  {
    name: 'errors',
    sql: `CASE WHEN status <> 'success' THEN 1 ELSE 0 END`,
    of: (row) => (row.status === 'success' ? 0 : 1),
  },
  { name: 'attempts', sql: 'attempt_count', of: (row) => row.attemptCount },
  {
    name: 'retries',
    sql: 'greatest(attempt_count - 1, 0)',
    of: (row) => Math.max(row.attemptCount - 1, 0),
  },
  {
    name: 'fallbacks',
    sql: 'CASE WHEN served_candidate > 0 THEN 1 ELSE 0 END',
    of: (row) => (n(row.servedCandidate) > 0 ? 1 : 0),
  },
  { name: 'prompt_tokens', sql: 'coalesce(prompt_tokens, 0)', of: (row) => n(row.promptTokens) },
  {
    name: 'completion_tokens',
    sql: 'coalesce(completion_tokens, 0)',
    of: (row) => n(row.completionTokens),
  },
  {
    name: 'reasoning_tokens',
    sql: 'coalesce(reasoning_tokens, 0)',
    of: (row) => n(row.reasoningTokens),
  },
  { name: 'cached_tokens', sql: 'coalesce(cached_tokens, 0)', of: (row) => n(row.cachedTokens) },
  {
    name: 'cost_nanousd',
    sql: 'coalesce(cost_nanousd, 0)',
    of: (row) => row.costNanoUsd ?? 0n,
    money: true,
  },
  ...(['provider', 'reconciled', 'computed', 'estimated'] as const).map((source): Measure => ({
    name: `cost_${source}_nanousd`,
    sql: costOf(source),
    of: cost(source),
    money: true,
  })),
  ...(['provider', 'reconciled', 'computed', 'estimated'] as const).map((source): Measure => ({
    name: `cost_${source}_requests`,
    sql: pricedBy(source),
    of: priced(source),
  })),
  {
    name: 'cost_unknown_requests',
    sql: 'CASE WHEN cost_nanousd IS NULL THEN 1 ELSE 0 END',
    of: (row) => (row.costNanoUsd === null ? 1 : 0),
  },
  { name: 'latency_ms_sum', sql: 'latency_ms', of: (row) => row.latencyMs },
  {
    name: 'generation_ms_sum',
    sql: 'CASE WHEN completion_tokens IS NOT NULL THEN latency_ms ELSE 0 END',
    of: (row) => (row.completionTokens === null ? 0 : row.latencyMs),
  },
];

/** The measures (column, SQL contribution, JavaScript contribution), in column order. */
export const ROLLUP_MEASURE_DEFINITIONS: readonly Measure[] = MEASURES;

/** The rollup measure columns, in order. */
export const ROLLUP_MEASURES: readonly string[] = MEASURES.map((measure) => measure.name);

function keySelect(unit: string): string {
  return [
    `date_trunc('${unit}', created_at, 'UTC')`,
    ...KEY_COLUMNS.map((column) => `coalesce(${column}, '')`),
  ].join(', ');
}

export const KEY_LIST = ['bucket_start', ...KEY_COLUMNS].map((column) => `"${column}"`).join(', ');
export const GROUP_BY = Array.from(
  { length: KEY_COLUMNS.length + 1 },
  (_, index) => index + 1,
).join(', ');

/**
 * `INSERT … SELECT … ON CONFLICT DO UPDATE` adding `sign` × the contributions of the rows of
 * `source` (a table expression with ROLLUP_SOURCE_COLUMNS and `attempt_count`) to `tier`.
 */
export function rollupUpsertSql(tier: RollupTier, source: string, sign: 1 | -1 = 1): string {
  const factor = sign === 1 ? '' : '-';
  const measures = MEASURES.map((measure) => `${factor}sum(${measure.sql})`).join(', ');
  const updates = ROLLUP_MEASURES.map(
    (column) => `"${column}" = t."${column}" + excluded."${column}"`,
  ).join(', ');
  return (
    `INSERT INTO "${tier.rollups}" AS t (${KEY_LIST}, ${ROLLUP_MEASURES.map((c) => `"${c}"`).join(', ')}) ` +
    `SELECT ${keySelect(tier.unit)}, ${measures} FROM ${source} GROUP BY ${GROUP_BY} ORDER BY ${GROUP_BY} ` +
    `ON CONFLICT (${KEY_LIST}) DO UPDATE SET ${updates}`
  );
}

/** Histogram counts of the rows of `source` (latency_ms and ttft_ms) added to `tier`. */
export function histogramUpsertSql(tier: RollupTier, source: string): string {
  return (
    `INSERT INTO "${tier.histograms}" AS t (${KEY_LIST}, "metric", "bucket", "count") ` +
    `SELECT ${keySelect(tier.unit)}, m.metric, m.bucket, count(*) FROM ${source}, ` +
    `LATERAL (VALUES ('latency_ms', ${histogramBucketSql('latency_ms')}), ` +
    `('ttft_ms', ${histogramBucketSql('ttft_ms')})) AS m (metric, bucket) ` +
    `WHERE m.bucket IS NOT NULL GROUP BY ${GROUP_BY}, 8, 9 ORDER BY ${GROUP_BY}, 8, 9 ` +
    `ON CONFLICT (${KEY_LIST}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count"`
  );
}

/**
 * The CTEs the ledger insert appends: `<name> AS (…)` for every tier's rollups and histograms,
 * over `source`.
 */
export function rollupCtes(source: string): string {
  return ROLLUP_TIERS.flatMap((tier) => [
    `${tier.rollups} AS (${rollupUpsertSql(tier, source)})`,
    `${tier.histograms} AS (${histogramUpsertSql(tier, source)})`,
  ]).join(', ');
}

/**
 * One request's contribution from its stored row, `sign` = -1 to take it out, 1 to put it back:
 * the late-cost update runs both around its change, in its transaction. The request id is bound
 * as a parameter.
 */
export function requestContributionSql(tier: RollupTier, sign: 1 | -1, requestId: string): SQL {
  const marker = '\u0001request_id\u0001';
  const source =
    `(SELECT r.*, (SELECT count(*) FROM "attempts" a WHERE a."request_id" = r."id") AS attempt_count ` +
    `FROM "requests" r WHERE r."id" = ${marker}) AS contribution`;
  const [before = '', after = ''] = rollupUpsertSql(tier, source, sign).split(marker);
  return sql.join([sql.raw(before), sql`${requestId}`, sql.raw(after)]);
}
