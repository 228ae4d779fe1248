/**
 * The schema's usage rollup and histogram tables (re-exported by schema.ts, which
 * drizzle.config.ts reads; migrations are generated from it).
 */
import { bigint, integer, pgTable, primaryKey, sql, text } from './drizzle.ts';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { nanoUsd, timestamptz } from './schema-columns.ts';

/**
 * Usage rollups (issue 10, docs/decisions/0016-usage-rollups.md): one row per time bucket ×
 * key × project × model × provider × status × policy, maintained in the SAME statement as the
 * ledger insert (ledger-insert.ts) and in the same transaction as a late cost
 * (ledger-cost-update.ts), so their totals always equal the ledger's. A ledger NULL (no key,
 * no provider, no policy) is stored as '' in the rollups, whose key columns are all NOT NULL.
 * Two tiers with the same columns: `usage_rollups_minute` and `usage_rollups_hour` (hour and
 * day series read the hour tier), plus `usage_rollups_hour_by_model` without the key, project
 * and policy dimensions.
 */
function usageRollupColumns() {
  const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
  const money = (name: string) =>
    nanoUsd(name)
      .notNull()
      .default(sql`0`);
  return {
    /** Start of the minute (or hour), UTC. */
    bucketStart: timestamptz('bucket_start').notNull(),
    keyId: text('key_id').notNull(),
    projectId: text('project_id').notNull(),
    model: text('model').notNull(),
    provider: text('provider').notNull(),
    status: text('status').notNull(),
    policy: text('policy').notNull(),
    requests: count('requests'),
    /** Requests whose status is not `success`. */
    errors: count('errors'),
    /** Upstream attempts; `retries` = attempts beyond each request's first. */
    attempts: count('attempts'),
    retries: count('retries'),
    /** Requests served by a target other than the plan's first (served_candidate > 0). */
    fallbacks: count('fallbacks'),
    promptTokens: count('prompt_tokens'),
    completionTokens: count('completion_tokens'),
    reasoningTokens: count('reasoning_tokens'),
    cachedTokens: count('cached_tokens'),
    /** Sum of the known costs; requests of unknown cost are counted in `costUnknownRequests`. */
    costNanoUsd: money('cost_nanousd'),
    costProviderNanoUsd: money('cost_provider_nanousd'),
    costReconciledNanoUsd: money('cost_reconciled_nanousd'),
    costComputedNanoUsd: money('cost_computed_nanousd'),
    costEstimatedNanoUsd: money('cost_estimated_nanousd'),
    costProviderRequests: count('cost_provider_requests'),
    costReconciledRequests: count('cost_reconciled_requests'),
    costComputedRequests: count('cost_computed_requests'),
    costEstimatedRequests: count('cost_estimated_requests'),
    costUnknownRequests: count('cost_unknown_requests'),
    /** Sum of latency_ms, and of latency_ms over the requests with completion tokens (tokens/s). */
    latencyMsSum: count('latency_ms_sum'),
    generationMsSum: count('generation_ms_sum'),
  };
}

type RollupKeyColumns = Pick<
  ReturnType<typeof usageRollupColumns>,
  'bucketStart' | 'keyId' | 'projectId' | 'model' | 'provider' | 'status' | 'policy'
>;

/** The rollup key, time first (range scans). */
function rollupKey(table: { [K in keyof RollupKeyColumns]: PgColumn }): [PgColumn, ...PgColumn[]] {
  return [
    table.bucketStart,
    table.keyId,
    table.projectId,
    table.model,
    table.provider,
    table.status,
    table.policy,
  ];
}

/** Per-minute usage rollups (see usageRollupColumns). */
export const usageRollupsMinute = pgTable('usage_rollups_minute', usageRollupColumns(), (table) => [
  primaryKey({ columns: [...rollupKey(table)] }),
]);

/** Per-hour usage rollups (see usageRollupColumns). */
export const usageRollupsHour = pgTable('usage_rollups_hour', usageRollupColumns(), (table) => [
  primaryKey({ columns: [...rollupKey(table)] }),
]);

/** The rollup columns without the key, project and policy dimensions. */
function modelRollupColumns() {
  const columns: Partial<ReturnType<typeof usageRollupColumns>> = usageRollupColumns();
  delete columns.keyId;
  delete columns.projectId;
  delete columns.policy;
  return columns as Omit<ReturnType<typeof usageRollupColumns>, 'keyId' | 'projectId' | 'policy'>;
}

/**
 * Per-hour usage rollups by model × provider × status only (no key, project or policy): what a
 * series grouped by model, provider or status, or not at all, reads (far fewer rows than
 * `usage_rollups_hour` when many keys send traffic). No histograms: percentiles read the full
 * hour tier. Kept by the same statements as the other tiers (usage-rollup-sql.ts
 * MODEL_HOUR_TIER).
 */
export const usageRollupsHourByModel = pgTable(
  'usage_rollups_hour_by_model',
  modelRollupColumns(),
  (table) => [
    primaryKey({ columns: [table.bucketStart, table.model, table.provider, table.status] }),
  ],
);

/**
 * Latency and TTFT histograms of the rollups, sparse: one row per rollup key × metric
 * (`latency_ms` | `ttft_ms`) × log-scale bucket that holds at least one request. Bucket 0 holds
 * 0 ms, bucket k ≥ 1 the values in (γ^(k-2), γ^(k-1)] ms, γ = 1.1 (src/usage/latency-histogram.ts),
 * so merged counts are exact and a percentile read from them is within 4.8 % of the exact value.
 */
function usageHistogramColumns() {
  const { bucketStart, keyId, projectId, model, provider, status, policy } = usageRollupColumns();
  return {
    bucketStart,
    keyId,
    projectId,
    model,
    provider,
    status,
    policy,
    metric: text('metric').notNull(),
    bucket: integer('bucket').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  };
}

/** Per-minute latency/TTFT histograms (see usageHistogramColumns). */
export const usageHistogramsMinute = pgTable(
  'usage_histograms_minute',
  usageHistogramColumns(),
  (table) => [primaryKey({ columns: [...rollupKey(table), table.metric, table.bucket] })],
);

/** Per-hour latency/TTFT histograms (see usageHistogramColumns). */
export const usageHistogramsHour = pgTable(
  'usage_histograms_hour',
  usageHistogramColumns(),
  (table) => [primaryKey({ columns: [...rollupKey(table), table.metric, table.bucket] })],
);
