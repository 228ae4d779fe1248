/**
 * Reads of the usage rollups (usage-rollup-sql.ts, docs/analytics.md): sums of the rollup
 * measures and of the histogram counts per time bucket × group, from the minute tier for
 * minute series and the hour tier for hour and day series (sums from the hour × model ×
 * provider × status tier when the query needs no other dimension). Sums come back as decimal strings
 * (exact; nano-USD exceed 2^53) for the usage layer (src/usage/usage-analytics.ts) to shape.
 */
import type { Database } from './database.ts';
import {
  HOUR_TIER,
  MINUTE_TIER,
  MODEL_HOUR_TIER,
  ROLLUP_MEASURES,
  type RollupTier,
} from './usage-rollup-sql.ts';

export type AnalyticsInterval = 'minute' | 'hour' | 'day';
export type AnalyticsGroupBy = 'model' | 'provider' | 'key' | 'project' | 'policy' | 'status';

/** The rollup key dimensions a query may filter on (exact values; '' = none recorded). */
export interface AnalyticsFilters {
  model?: string | undefined;
  provider?: string | undefined;
  keyId?: string | undefined;
  projectId?: string | undefined;
  policy?: string | undefined;
  status?: string | undefined;
}

export interface AnalyticsQuery {
  /** Inclusive start; rounded down to the interval by the caller. */
  from: Date;
  /** Exclusive end. */
  to: Date;
  interval: AnalyticsInterval;
  /** null: one series for everything. */
  groupBy: AnalyticsGroupBy | null;
  filters: AnalyticsFilters;
}

/** One time bucket of one group: measure → decimal string. */
export interface RollupPoint {
  /** Start of the bucket. */
  t: Date;
  /** The group's value; null when the ledger recorded none (or no grouping). */
  group: string | null;
  measures: Readonly<Record<string, string>>;
}

/** One histogram bucket's count in one time bucket of one group. */
export interface HistogramPoint {
  t: Date;
  group: string | null;
  metric: 'latency_ms' | 'ttft_ms';
  bucket: number;
  count: number;
}

export interface UsageAnalyticsRepository {
  /**
   * Sums of the given rollup measures (ROLLUP_MEASURES names) per bucket × group, ordered by
   * group then time.
   */
  rollups(query: AnalyticsQuery, measures: readonly string[]): Promise<RollupPoint[]>;
  /** Summed histogram counts per bucket × group × metric × histogram bucket. */
  histograms(query: AnalyticsQuery): Promise<HistogramPoint[]>;
}

const GROUP_COLUMNS: Readonly<Record<AnalyticsGroupBy, string>> = {
  model: 'model',
  provider: 'provider',
  key: 'key_id',
  project: 'project_id',
  policy: 'policy',
  status: 'status',
};

const FILTER_COLUMNS: readonly (readonly [keyof AnalyticsFilters, string])[] = [
  ['model', 'model'],
  ['provider', 'provider'],
  ['keyId', 'key_id'],
  ['projectId', 'project_id'],
  ['policy', 'policy'],
  ['status', 'status'],
];

/** The tier with histograms an interval reads: minutes for minute series, else hours. */
function tierFor(interval: AnalyticsInterval): typeof MINUTE_TIER | typeof HOUR_TIER {
  return interval === 'minute' ? MINUTE_TIER : HOUR_TIER;
}

/** True when a query names no dimension outside `tier`'s key. */
function coveredBy(tier: RollupTier, query: AnalyticsQuery): boolean {
  const keys: readonly string[] = tier.keys;
  if (query.groupBy !== null && !keys.includes(GROUP_COLUMNS[query.groupBy])) return false;
  return FILTER_COLUMNS.every(
    ([field, column]) => query.filters[field] === undefined || keys.includes(column),
  );
}

/**
 * The rollup table a series reads: for hours and days, the hour × model × provider × status
 * tier when the query's grouping and filters stay within those dimensions, else the full tier.
 */
function rollupTableFor(query: AnalyticsQuery): string {
  if (query.interval !== 'minute' && coveredBy(MODEL_HOUR_TIER, query))
    return MODEL_HOUR_TIER.rollups;
  return tierFor(query.interval).rollups;
}

/** WHERE clause and parameters shared by both reads. */
function selection(query: AnalyticsQuery): {
  where: string;
  parameters: string[];
  group: string;
  bucket: string;
} {
  const parameters = [query.from.toISOString(), query.to.toISOString()];
  const conditions = [`bucket_start >= $1::timestamptz`, `bucket_start < $2::timestamptz`];
  for (const [field, column] of FILTER_COLUMNS) {
    const value = query.filters[field];
    if (value === undefined) continue;
    parameters.push(value);
    conditions.push(`${column} = $${String(parameters.length)}`);
  }
  return {
    where: conditions.join(' AND '),
    parameters,
    group: query.groupBy === null ? `''` : GROUP_COLUMNS[query.groupBy],
    // The hour tier's buckets are whole hours: a day is their UTC day.
    bucket: query.interval === 'day' ? `date_trunc('day', bucket_start, 'UTC')` : 'bucket_start',
  };
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return '0';
}

function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(text(value));
}

function groupOf(value: unknown): string | null {
  const found = text(value);
  return found === '' ? null : found;
}

function measureSums(measures: readonly string[]): string {
  const unknown = measures.find((measure) => !ROLLUP_MEASURES.includes(measure));
  if (unknown !== undefined) throw new Error(`not a rollup measure: ${unknown}`);
  return measures.map((measure) => `sum("${measure}")::text AS "${measure}"`).join(', ');
}

function measuresOf(
  row: Readonly<Record<string, unknown>>,
  measures: readonly string[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const measure of measures) values[measure] = text(row[measure]);
  return values;
}

function metricOf(value: unknown): 'latency_ms' | 'ttft_ms' {
  return value === 'ttft_ms' ? 'ttft_ms' : 'latency_ms';
}

/** Binds the rollup reads to a database. */
export function createUsageAnalyticsRepository(database: Database): UsageAnalyticsRepository {
  return {
    async rollups(query, measures) {
      const sums = measureSums(measures);
      const { where, parameters, group, bucket } = selection(query);
      const rows = await database.execute(
        `SELECT ${bucket} AS t, ${group} AS g, ${sums} ` +
          `FROM "${rollupTableFor(query)}" WHERE ${where} GROUP BY 1, 2 ORDER BY 2, 1`,
        parameters,
      );
      return rows.map((row) => ({
        t: date(row.t),
        group: groupOf(row.g),
        measures: measuresOf(row, measures),
      }));
    },

    async histograms(query) {
      const { where, parameters, group, bucket } = selection(query);
      const rows = await database.execute(
        `SELECT ${bucket} AS t, ${group} AS g, metric, bucket AS b, sum("count")::float8 AS n ` +
          `FROM "${tierFor(query.interval).histograms}" WHERE ${where} GROUP BY 1, 2, 3, 4`,
        parameters,
      );
      return rows.map((row) => ({
        t: date(row.t),
        group: groupOf(row.g),
        metric: metricOf(row.metric),
        bucket: Number(row.b),
        count: Number(row.n),
      }));
    },
  };
}
