/**
 * The usage rollups' fast path: a ledger batch's contributions summed in JavaScript before the
 * insert, so the database upserts one row per (minute × key) group and per histogram bucket
 * instead of evaluating every measure's SQL expression for every row (on PGlite that cost
 * 100–800 µs per request; summing here costs a few µs). The hour tier is the sum of the minute
 * groups, done by the same statement.
 *
 * The sums belong to a statement that stores every record of the batch or fails whole
 * (ledger-insert.ts LEDGER_INSERT_SQL); a batch with records already stored (a journal replay)
 * goes through LEDGER_REPLAY_INSERT_SQL, whose rollups sum the rows actually inserted
 * (usage-rollup-sql.ts `rollupCtes`), so nothing is ever counted twice.
 * Docs: docs/decisions/0016-usage-rollups.md.
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import { histogramBucket } from '../lib/log-histogram.ts';
import { escapeNul } from './escape-nul.ts';
import {
  groupByPositions,
  HOUR_TIER,
  KEY_COLUMNS,
  keyList,
  MINUTE_TIER,
  MODEL_HOUR_TIER,
  ROLLUP_MEASURE_DEFINITIONS,
  ROLLUP_MEASURES,
  type ContributionSource,
  type RollupTier,
} from './usage-rollup-sql.ts';

type Cell = string | number;

const MINUTE_MS = 60_000;

interface Group {
  cells: string[];
  sums: (number | bigint)[];
}

interface HistogramGroup {
  cells: string[];
  metric: string;
  bucket: number;
  count: number;
}

const MEASURE_COUNT = ROLLUP_MEASURE_DEFINITIONS.length;

function emptySums(): (number | bigint)[] {
  return ROLLUP_MEASURE_DEFINITIONS.map((measure) => (measure.money === true ? 0n : 0));
}

/**
 * The batch's contributions as array parameters: the minute groups (bucket start as ISO text,
 * the six key columns, one array per measure: counts as numbers, nano-USD as decimal strings)
 * then the histogram groups (bucket start, the key columns, metric, bucket, count).
 * One pass, no per-record allocation beyond a group's first record (a few µs per record).
 */
export function rollupDeltaParameters(records: readonly RequestRecord[]): Cell[][] {
  const groups = new Map<string, Group>();
  const histograms = new Map<string, HistogramGroup>();
  // One record object reused as every record's contribution source.
  const source: ContributionSource = {
    status: '',
    attemptCount: 0,
    servedCandidate: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    costNanoUsd: null,
    costSource: null,
    latencyMs: 0,
  };
  for (const record of records) {
    const minute = Math.floor(record.createdAt.getTime() / MINUTE_MS) * MINUTE_MS;
    // Cells are NUL-escaped, so NUL separates them unambiguously.
    const keyId = escapeNul(record.keyId ?? '');
    const projectId = escapeNul(record.projectId ?? '');
    const model = escapeNul(record.model);
    const provider = escapeNul(record.provider ?? '');
    const status = escapeNul(record.status);
    const policy = escapeNul(record.policy ?? '');
    const groupKey = `${String(minute)}\u0000${keyId}\u0000${projectId}\u0000${model}\u0000${provider}\u0000${status}\u0000${policy}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      const cells = [
        new Date(minute).toISOString(),
        keyId,
        projectId,
        model,
        provider,
        status,
        policy,
      ];
      group = { cells, sums: emptySums() };
      groups.set(groupKey, group);
    }
    source.status = record.status;
    source.attemptCount = record.attempts.length;
    source.servedCandidate = record.servedCandidate;
    source.promptTokens = record.promptTokens;
    source.completionTokens = record.completionTokens;
    source.reasoningTokens = record.reasoningTokens;
    source.cachedTokens = record.cachedTokens;
    source.costNanoUsd = record.costNanoUsd;
    source.costSource = record.costSource;
    source.latencyMs = record.latencyMs;
    const sums = group.sums;
    for (let index = 0; index < MEASURE_COUNT; index += 1) {
      const value = (
        ROLLUP_MEASURE_DEFINITIONS[index] as (typeof ROLLUP_MEASURE_DEFINITIONS)[number]
      ).of(source);
      const sum = sums[index] as number | bigint;
      sums[index] = typeof value === 'bigint' ? (sum as bigint) + value : (sum as number) + value;
    }
    addHistogram(histograms, group.cells, groupKey, 'latency_ms', record.latencyMs);
    addHistogram(histograms, group.cells, groupKey, 'ttft_ms', record.ttftMs);
  }
  const minuteColumns: Cell[][] = Array.from(
    { length: 1 + KEY_COLUMNS.length + MEASURE_COUNT },
    () => [],
  );
  for (const group of groups.values()) {
    group.cells.forEach((cell, index) => minuteColumns[index]?.push(cell));
    group.sums.forEach((sum, index) =>
      minuteColumns[1 + KEY_COLUMNS.length + index]?.push(
        typeof sum === 'bigint' ? sum.toString() : sum,
      ),
    );
  }
  const histogramColumns: Cell[][] = Array.from({ length: 1 + KEY_COLUMNS.length + 3 }, () => []);
  for (const entry of histograms.values()) {
    entry.cells.forEach((cell, index) => histogramColumns[index]?.push(cell));
    histogramColumns[1 + KEY_COLUMNS.length]?.push(entry.metric);
    histogramColumns[2 + KEY_COLUMNS.length]?.push(entry.bucket);
    histogramColumns[3 + KEY_COLUMNS.length]?.push(entry.count);
  }
  return [...minuteColumns, ...histogramColumns];
}

function addHistogram(
  histograms: Map<string, HistogramGroup>,
  cells: string[],
  groupKey: string,
  metric: string,
  value: number | null,
): void {
  if (value === null) return;
  const bucket = histogramBucket(value);
  const key = `${groupKey}\u0000${metric}\u0000${String(bucket)}`;
  const entry = histograms.get(key);
  if (entry === undefined) histograms.set(key, { cells, metric, bucket, count: 1 });
  else entry.count += 1;
}

const KEY_TYPES = ['timestamptz', ...KEY_COLUMNS.map(() => 'text')];

function arrays(types: readonly string[], offset: number): string {
  return types.map((type, index) => `$${String(offset + index + 1)}::${type}[]`).join(', ');
}

function measureUpdates(): string {
  return ROLLUP_MEASURES.map((column) => `"${column}" = t."${column}" + excluded."${column}"`).join(
    ', ',
  );
}

/**
 * `INSERT INTO <tier> … SELECT <its keys>, sum(<measures>) FROM rollup_delta GROUP BY …`: the
 * minute groups summed into a coarser tier (hour; hour × model × provider × status).
 */
function coarserRollupCte(tier: RollupTier, measures: string): string {
  const keys = keyList(tier);
  const positions = groupByPositions(tier);
  const select = [
    `date_trunc('${tier.unit}', bucket_start, 'UTC')`,
    ...tier.keys.map((c) => `"${c}"`),
  ];
  return (
    `${tier.rollups}_delta AS (INSERT INTO "${tier.rollups}" AS t (${keys}, ${measures}) ` +
    `SELECT ${select.join(', ')}, ${ROLLUP_MEASURES.map((c) => `sum("${c}")`).join(', ')} FROM rollup_delta ` +
    `GROUP BY ${positions} ORDER BY ${positions} ` +
    `ON CONFLICT (${keys}) DO UPDATE SET ${measureUpdates()})`
  );
}

/**
 * The CTEs adding a batch's summed contributions, reading the parameters from `$offset + 1` on:
 * `rollup_delta` and `histogram_delta` (the minute groups) upserted into the minute tier and,
 * summed by hour, into the hour tier; `rollup_delta` summed by hour × model × provider × status
 * into MODEL_HOUR_TIER.
 */
export function rollupDeltaCtes(offset: number): string {
  const minuteHistograms = MINUTE_TIER.histograms;
  const hourHistograms = HOUR_TIER.histograms;
  const measures = ROLLUP_MEASURES.map((column) => `"${column}"`).join(', ');
  const histogramOffset = offset + 1 + KEY_COLUMNS.length + ROLLUP_MEASURES.length;
  const keys = keyList(MINUTE_TIER);
  const positions = groupByPositions(MINUTE_TIER);
  const hourKeys = `date_trunc('hour', bucket_start, 'UTC'), ${KEY_COLUMNS.map((c) => `"${c}"`).join(', ')}`;
  return [
    `rollup_delta AS (SELECT * FROM unnest(${arrays([...KEY_TYPES, ...ROLLUP_MEASURES.map(() => 'int8')], offset)}) ` +
      `AS d (${keys}, ${measures}))`,
    `histogram_delta AS (SELECT * FROM unnest(${arrays([...KEY_TYPES, 'text', 'int4', 'int8'], histogramOffset)}) ` +
      `AS h (${keys}, "metric", "bucket", "count"))`,
    `${MINUTE_TIER.rollups}_delta AS (INSERT INTO "${MINUTE_TIER.rollups}" AS t (${keys}, ${measures}) ` +
      `SELECT * FROM rollup_delta ORDER BY ${positions} ` +
      `ON CONFLICT (${keys}) DO UPDATE SET ${measureUpdates()})`,
    coarserRollupCte(HOUR_TIER, measures),
    coarserRollupCte(MODEL_HOUR_TIER, measures),
    `${minuteHistograms}_delta AS (INSERT INTO "${minuteHistograms}" AS t (${keys}, "metric", "bucket", "count") ` +
      `SELECT * FROM histogram_delta ORDER BY ${positions}, 8, 9 ` +
      `ON CONFLICT (${keys}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count")`,
    `${hourHistograms}_delta AS (INSERT INTO "${hourHistograms}" AS t (${keys}, "metric", "bucket", "count") ` +
      `SELECT ${hourKeys}, "metric", "bucket", sum("count") FROM histogram_delta ` +
      `GROUP BY ${positions}, 8, 9 ORDER BY ${positions}, 8, 9 ` +
      `ON CONFLICT (${keys}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count")`,
  ].join(', ');
}
