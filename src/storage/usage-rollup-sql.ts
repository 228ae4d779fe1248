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

/** The rollup key's dimensions (after `bucket_start`), in key order. */
export const KEY_COLUMNS = [
  'key_id',
  'project_id',
  'model',
  'provider',
  'status',
  'policy',
] as const;

export type RollupKeyColumn = (typeof KEY_COLUMNS)[number];

/**
 * A rollup tier: its tables, the `date_trunc` unit of its buckets and its key columns (after
 * `bucket_start`). `histograms` is null for a tier without latency histograms.
 */
export interface RollupTier {
  unit: 'minute' | 'hour';
  rollups: string;
  histograms: string | null;
  keys: readonly RollupKeyColumn[];
}

export const MINUTE_TIER = {
  unit: 'minute',
  rollups: 'usage_rollups_minute',
  histograms: 'usage_histograms_minute',
  keys: KEY_COLUMNS,
} as const satisfies RollupTier;

export const HOUR_TIER = {
  unit: 'hour',
  rollups: 'usage_rollups_hour',
  histograms: 'usage_histograms_hour',
  keys: KEY_COLUMNS,
} as const satisfies RollupTier;

/**
 * The hour tier without the key, project and policy dimensions (hour × model × provider ×
 * status): a series grouped by one of those three, or by nothing, and filtered on them only,
 * reads this tier — far fewer rows than the full hour tier once many keys send traffic.
 */
export const MODEL_HOUR_TIER = {
  unit: 'hour',
  rollups: 'usage_rollups_hour_by_model',
  histograms: null,
  keys: ['model', 'provider', 'status'],
} as const satisfies RollupTier;

/** Every tier the ledger insert and a late cost keep equal to the ledger. */
export const ROLLUP_TIERS: readonly RollupTier[] = [MINUTE_TIER, HOUR_TIER, MODEL_HOUR_TIER];

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

function keySelect(tier: RollupTier): string {
  return [
    `date_trunc('${tier.unit}', created_at, 'UTC')`,
    ...tier.keys.map((column) => `coalesce(${column}, '')`),
  ].join(', ');
}

/** `"bucket_start", "<key>", …` of a tier. */
export function keyList(tier: RollupTier): string {
  return ['bucket_start', ...tier.keys].map((column) => `"${column}"`).join(', ');
}

/** `1, 2, …`: the positions of a tier's bucket and key columns in its SELECT lists. */
export function groupByPositions(tier: RollupTier): string {
  return Array.from({ length: tier.keys.length + 1 }, (_, index) => index + 1).join(', ');
}

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
  const keys = keyList(tier);
  const positions = groupByPositions(tier);
  return (
    `INSERT INTO "${tier.rollups}" AS t (${keys}, ${ROLLUP_MEASURES.map((c) => `"${c}"`).join(', ')}) ` +
    `SELECT ${keySelect(tier)}, ${measures} FROM ${source} GROUP BY ${positions} ORDER BY ${positions} ` +
    `ON CONFLICT (${keys}) DO UPDATE SET ${updates}`
  );
}

/**
 * Histogram counts of the rows of `source` (latency_ms and ttft_ms) added to `tier`; null for a
 * tier without histograms.
 */
export function histogramUpsertSql(tier: RollupTier, source: string): string | null {
  if (tier.histograms === null) return null;
  const keys = keyList(tier);
  const positions = groupByPositions(tier);
  const metric = tier.keys.length + 2;
  const extra = `${String(metric)}, ${String(metric + 1)}`;
  return (
    `INSERT INTO "${tier.histograms}" AS t (${keys}, "metric", "bucket", "count") ` +
    `SELECT ${keySelect(tier)}, m.metric, m.bucket, count(*) FROM ${source}, ` +
    `LATERAL (VALUES ('latency_ms', ${histogramBucketSql('latency_ms')}), ` +
    `('ttft_ms', ${histogramBucketSql('ttft_ms')})) AS m (metric, bucket) ` +
    `WHERE m.bucket IS NOT NULL GROUP BY ${positions}, ${extra} ORDER BY ${positions}, ${extra} ` +
    `ON CONFLICT (${keys}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count"`
  );
}

/**
 * The CTEs the ledger insert appends: `<name> AS (…)` for every tier's rollups and histograms,
 * over `source`.
 */
export function rollupCtes(source: string): string {
  return ROLLUP_TIERS.flatMap((tier) => {
    const histograms = histogramUpsertSql(tier, source);
    return [
      `${tier.rollups} AS (${rollupUpsertSql(tier, source)})`,
      ...(histograms === null || tier.histograms === null
        ? []
        : [`${tier.histograms} AS (${histograms})`]),
    ];
  }).join(', ');
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
