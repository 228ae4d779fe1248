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
  GROUP_BY,
  KEY_COLUMNS,
  KEY_LIST,
  ROLLUP_MEASURE_DEFINITIONS,
  ROLLUP_MEASURES,
  ROLLUP_TIERS,
  type ContributionSource,
} from './usage-rollup-sql.ts';

type Cell = string | number;

const MINUTE_MS = 60_000;

function keyCells(record: RequestRecord): string[] {
  return [
    record.keyId ?? '',
    record.projectId ?? '',
    record.model,
    record.provider ?? '',
    record.status,
    record.policy ?? '',
  ].map(escapeNul);
}

interface Group {
  cells: string[];
  sums: (number | bigint)[];
}

/**
 * The batch's contributions as array parameters: the minute groups (bucket start as ISO text,
 * the six key columns, one array per measure: counts as numbers, nano-USD as decimal strings)
 * then the histogram groups (bucket start, the key columns, metric, bucket, count).
 */
export function rollupDeltaParameters(records: readonly RequestRecord[]): Cell[][] {
  const groups = new Map<string, Group>();
  const histograms = new Map<string, { cells: (string | number)[]; count: number }>();
  for (const record of records) {
    const minute = new Date(Math.floor(record.createdAt.getTime() / MINUTE_MS) * MINUTE_MS);
    const cells = [minute.toISOString(), ...keyCells(record)];
    const groupKey = cells.join('\u0000');
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = {
        cells,
        sums: ROLLUP_MEASURE_DEFINITIONS.map((measure) => (measure.money === true ? 0n : 0)),
      };
      groups.set(groupKey, group);
    }
    const source: ContributionSource = {
      status: record.status,
      attemptCount: record.attempts.length,
      servedCandidate: record.servedCandidate,
      promptTokens: record.promptTokens,
      completionTokens: record.completionTokens,
      reasoningTokens: record.reasoningTokens,
      cachedTokens: record.cachedTokens,
      costNanoUsd: record.costNanoUsd,
      costSource: record.costSource,
      latencyMs: record.latencyMs,
    };
    const { sums } = group;
    ROLLUP_MEASURE_DEFINITIONS.forEach((measure, index) => {
      const value = measure.of(source);
      sums[index] =
        typeof value === 'bigint'
          ? (sums[index] as bigint) + value
          : (sums[index] as number) + value;
    });
    for (const [metric, value] of [
      ['latency_ms', record.latencyMs],
      ['ttft_ms', record.ttftMs],
    ] as const) {
      if (value === null) continue;
      const bucket = histogramBucket(value);
      const histogramKey = `${groupKey}\u0000${metric}\u0000${String(bucket)}`;
      const entry = histograms.get(histogramKey);
      if (entry === undefined)
        histograms.set(histogramKey, { cells: [...cells, metric, bucket], count: 1 });
      else entry.count += 1;
    }
  }
  const minuteColumns: Cell[][] = Array.from(
    { length: 1 + KEY_COLUMNS.length + ROLLUP_MEASURES.length },
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
    [...entry.cells, entry.count].forEach((cell, index) => histogramColumns[index]?.push(cell));
  }
  return [...minuteColumns, ...histogramColumns];
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
 * The CTEs adding a batch's summed contributions, reading the parameters from `$offset + 1` on:
 * `rollup_delta` and `histogram_delta` (the minute groups) upserted into the minute tier and,
 * summed by hour, into the hour tier.
 */
export function rollupDeltaCtes(offset: number): string {
  const [minute, hour] = ROLLUP_TIERS;
  if (minute === undefined || hour === undefined) throw new Error('rollup tiers missing');
  const measures = ROLLUP_MEASURES.map((column) => `"${column}"`).join(', ');
  const histogramOffset = offset + 1 + KEY_COLUMNS.length + ROLLUP_MEASURES.length;
  const hourKeys = `date_trunc('hour', bucket_start, 'UTC'), ${KEY_COLUMNS.map((c) => `"${c}"`).join(', ')}`;
  return [
    `rollup_delta AS (SELECT * FROM unnest(${arrays([...KEY_TYPES, ...ROLLUP_MEASURES.map(() => 'int8')], offset)}) ` +
      `AS d (${KEY_LIST}, ${measures}))`,
    `histogram_delta AS (SELECT * FROM unnest(${arrays([...KEY_TYPES, 'text', 'int4', 'int8'], histogramOffset)}) ` +
      `AS h (${KEY_LIST}, "metric", "bucket", "count"))`,
    `${minute.rollups}_delta AS (INSERT INTO "${minute.rollups}" AS t (${KEY_LIST}, ${measures}) ` +
      `SELECT * FROM rollup_delta ORDER BY ${GROUP_BY} ` +
      `ON CONFLICT (${KEY_LIST}) DO UPDATE SET ${measureUpdates()})`,
    `${hour.rollups}_delta AS (INSERT INTO "${hour.rollups}" AS t (${KEY_LIST}, ${measures}) ` +
      `SELECT ${hourKeys}, ${ROLLUP_MEASURES.map((c) => `sum("${c}")`).join(', ')} FROM rollup_delta ` +
      `GROUP BY ${GROUP_BY} ORDER BY ${GROUP_BY} ` +
      `ON CONFLICT (${KEY_LIST}) DO UPDATE SET ${measureUpdates()})`,
    `${minute.histograms}_delta AS (INSERT INTO "${minute.histograms}" AS t (${KEY_LIST}, "metric", "bucket", "count") ` +
      `SELECT * FROM histogram_delta ORDER BY ${GROUP_BY}, 8, 9 ` +
      `ON CONFLICT (${KEY_LIST}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count")`,
    `${hour.histograms}_delta AS (INSERT INTO "${hour.histograms}" AS t (${KEY_LIST}, "metric", "bucket", "count") ` +
      `SELECT ${hourKeys}, "metric", "bucket", sum("count") FROM histogram_delta ` +
      `GROUP BY ${GROUP_BY}, 8, 9 ORDER BY ${GROUP_BY}, 8, 9 ` +
      `ON CONFLICT (${KEY_LIST}, "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count")`,
  ].join(', ');
}
