/**
 * Traffic profiles for the recommendations (src/usage/recommendations.ts, ADR 0019): per
 * key × project × requested model over a period, what the ledger's requests used — how many,
 * their summed token counts and known cost, the largest prompt and prompt + completion seen, the
 * OR of the Feature bits they required (`required_features`; for rows written before that column,
 * read from the stored decision's `requirements` names) and whether any produced reasoning
 * tokens. Requests addressed to a policy (`signalbox/<name>`) are left out: their model is
 * already routing's choice. Sums come back as decimal strings (exact).
 */
import type { Database } from './database.ts';
import { HOUR_TIER } from './usage-rollup-sql.ts';

const DAY_MS = 86_400_000;

/**
 * The whole UTC days inside [from, to), as the statements' `$4` and `$5`: the first day's start
 * and the last whole day's end (ISO; equal when there is none).
 */
function wholeDays(from: Date, to: Date): [string, string] {
  const firstDay = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const lastDayEnd = Math.max(firstDay, Math.floor(to.getTime() / DAY_MS) * DAY_MS);
  return [new Date(firstDay).toISOString(), new Date(lastDayEnd).toISOString()];
}

/** One requirement name of a stored decision and its Feature bit. */
export interface FeatureName {
  name: string;
  bit: number;
}

export interface TrafficProfile {
  /** null when the ledger recorded none (rows from before keys). */
  keyId: string | null;
  projectId: string | null;
  /** The model the requests asked for (plain ids only). */
  model: string;
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  reasoningTokens: bigint;
  cachedTokens: bigint;
  /** Sum of the known costs, nano-USD; null when no request's cost is known. */
  costNanoUsd: bigint | null;
  /** Tokens. */
  maxPromptTokens: number;
  maxCompletionTokens: number;
  maxTotalTokens: number;
  /** OR of the Feature bits the requests required. */
  features: number;
  /** Some request produced reasoning tokens. */
  reasoningUsed: boolean;
}

export interface TrafficProfileQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Groups with fewer requests are left out. */
  minRequests: number;
}

/** What the hour rollups hold of one requested model over a period. */
export interface ObservedRollup {
  model: string;
  requests: number;
  errors: number;
  /** Latency histogram: log-scale bucket → requests (src/lib/log-histogram.ts). */
  latency: Map<number, number>;
}

export interface TrafficProfileRepository {
  profiles(query: TrafficProfileQuery): Promise<TrafficProfile[]>;
  /**
   * Requests, errors and the merged latency histogram of each of `models` (requested model ids)
   * from the hour rollups whose hour starts in [from, to); models without any are left out.
   */
  observed(query: { from: Date; to: Date; models: readonly string[] }): Promise<ObservedRollup[]>;
}

function bigintOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' && value !== '') return BigInt(value);
  return 0n;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Binds the reader to a database. `featureNames` maps a stored decision's requirement names to
 * Feature bits (routing's list), for rows written before `required_features`.
 */
export function createTrafficProfileRepository(
  database: Database,
  featureNames: readonly FeatureName[],
): TrafficProfileRepository {
  // Literal names and bits from code, never from a request: safe to inline.
  const bitsOf = (requirements: string): string =>
    featureNames.length === 0
      ? '0'
      : featureNames
          .map(
            ({ name, bit }) =>
              `CASE WHEN ${requirements} @> '${JSON.stringify([name])}'::jsonb ` +
              `THEN ${String(bit)} ELSE 0 END`,
          )
          .join(' | ');
  // As the materialized view stores it (migration 0015): -1 = null, legacy names as jsonb.
  const storedFeatures =
    `CASE WHEN required_features >= 0 THEN required_features ` +
    `ELSE ${bitsOf('legacy_requirements')} END`;
  const liveFeatures =
    `coalesce(required_features, CASE WHEN routing_decision IS NULL THEN 0 ` +
    `ELSE ${bitsOf("routing_decision->'requirements'")} END)`;
  const live = (from: string, to: string): string =>
    `SELECT coalesce(key_id, '') AS key_id, coalesce(project_id, '') AS project_id, model, ` +
    `count(*)::int8 AS requests, ` +
    `coalesce(sum(prompt_tokens), 0)::int8 AS prompt_tokens, ` +
    `coalesce(sum(completion_tokens), 0)::int8 AS completion_tokens, ` +
    `coalesce(sum(reasoning_tokens), 0)::int8 AS reasoning_tokens, ` +
    `coalesce(sum(cached_tokens), 0)::int8 AS cached_tokens, ` +
    `sum(cost_nanousd) AS cost_nanousd, max(prompt_tokens) AS max_prompt_tokens, ` +
    `max(completion_tokens) AS max_completion_tokens, ` +
    `max(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)) AS max_total_tokens, ` +
    `bit_or(${liveFeatures}) AS features, bool_or(reasoning_tokens > 0) AS reasoning_used ` +
    `FROM requests WHERE created_at >= ${from} AND created_at < ${to} ` +
    `AND model <> '' AND model NOT LIKE 'signalbox/%' GROUP BY 1, 2, 3`;
  // $1 from, $2 to, $3 min requests, $4 first whole UTC day in the period, $5 end of the last
  // whole UTC day in it. Whole days before the view's cut-off come from the view; the partial
  // first day and everything from the cut-off on, from the ledger (one snapshot: one statement).
  const statement =
    `WITH refresh AS (SELECT coalesce(max(cutoff), '-infinity'::timestamptz) AS cutoff ` +
    `FROM traffic_profile_refresh), ` +
    `bounds AS (SELECT least(cutoff, $5::timestamptz) AS view_end FROM refresh), ` +
    `parts AS (` +
    `SELECT key_id, project_id, model, requests, prompt_tokens, completion_tokens, ` +
    `reasoning_tokens, cached_tokens, cost_nanousd, max_prompt_tokens, max_completion_tokens, ` +
    `max_total_tokens, ${storedFeatures} AS features, reasoning_used ` +
    `FROM traffic_profile_days, bounds WHERE day >= $4::timestamptz AND day < view_end ` +
    `AND day + interval '1 day' <= view_end ` +
    `UNION ALL ${live('$1::timestamptz', 'least($4::timestamptz, $2::timestamptz)')} ` +
    `UNION ALL ${live(
      '(SELECT greatest($1::timestamptz, $4::timestamptz, view_end) FROM bounds)',
      '$2::timestamptz',
    )}) ` +
    `SELECT key_id, project_id, model, sum(requests)::int8 AS requests, ` +
    `sum(prompt_tokens)::text AS prompt, sum(completion_tokens)::text AS completion, ` +
    `sum(reasoning_tokens)::text AS reasoning, sum(cached_tokens)::text AS cached, ` +
    `sum(cost_nanousd)::text AS cost, coalesce(max(max_prompt_tokens), 0) AS max_prompt, ` +
    `coalesce(max(max_completion_tokens), 0) AS max_completion, ` +
    `coalesce(max(max_total_tokens), 0) AS max_total, ` +
    `coalesce(bit_or(features), 0) AS features, ` +
    `coalesce(bool_or(reasoning_used), false) AS reasoning_used ` +
    `FROM parts GROUP BY key_id, project_id, model HAVING sum(requests) >= $3 ` +
    `ORDER BY key_id, project_id, model`;
  // The latency histograms: whole days before the cut-off from the view, the rest from the hour
  // tier. $1 from, $2 to, $3 models, $4 first whole UTC day, $5 end of the last whole UTC day.
  const hourLatency = (from: string, to: string): string =>
    `SELECT model, bucket, "count" AS n FROM "${HOUR_TIER.histograms}" ` +
    `WHERE metric = 'latency_ms' AND model = ANY($3::text[]) ` +
    `AND bucket_start >= ${from} AND bucket_start < ${to}`;
  const latencyStatement =
    `WITH bounds AS (SELECT least(coalesce(max(cutoff), '-infinity'::timestamptz), ` +
    `$5::timestamptz) AS view_end FROM traffic_profile_refresh) ` +
    `SELECT model, bucket, sum(n)::int8 AS n FROM (` +
    `SELECT model, bucket, "count" AS n FROM model_latency_days, bounds ` +
    `WHERE model = ANY($3::text[]) AND day >= $4::timestamptz ` +
    `AND day + interval '1 day' <= view_end ` +
    `UNION ALL ${hourLatency('$1::timestamptz', 'least($4::timestamptz, $2::timestamptz)')} ` +
    `UNION ALL ${hourLatency(
      '(SELECT greatest($1::timestamptz, $4::timestamptz, view_end) FROM bounds)',
      '$2::timestamptz',
    )}) parts GROUP BY model, bucket`;
  return {
    async profiles({ from, to, minRequests }) {
      const rows = await database.execute(statement, [
        from.toISOString(),
        to.toISOString(),
        minRequests,
        ...wholeDays(from, to),
      ]);
      return rows.map((row) => ({
        keyId: textOrNull(row.key_id),
        projectId: textOrNull(row.project_id),
        model: String(row.model),
        requests: Number(row.requests),
        promptTokens: bigintOf(row.prompt),
        completionTokens: bigintOf(row.completion),
        reasoningTokens: bigintOf(row.reasoning),
        cachedTokens: bigintOf(row.cached),
        costNanoUsd: row.cost === null || row.cost === undefined ? null : bigintOf(row.cost),
        maxPromptTokens: Number(row.max_prompt),
        maxCompletionTokens: Number(row.max_completion),
        maxTotalTokens: Number(row.max_total),
        features: Number(row.features),
        reasoningUsed: row.reasoning_used === true || row.reasoning_used === 't',
      }));
    },

    async observed({ from, to, models }) {
      if (models.length === 0) return [];
      const parameters = [from.toISOString(), to.toISOString(), [...models]];
      const where =
        `bucket_start >= $1::timestamptz AND bucket_start < $2::timestamptz ` +
        `AND model = ANY($3::text[])`;
      const [counts, buckets] = await Promise.all([
        database.execute(
          `SELECT model, sum(requests)::int8 AS requests, sum(errors)::int8 AS errors ` +
            `FROM "${HOUR_TIER.rollups}" WHERE ${where} GROUP BY model`,
          parameters,
        ),
        database.execute(latencyStatement, [...parameters, ...wholeDays(from, to)]),
      ]);
      const byModel = new Map<string, ObservedRollup>();
      for (const row of counts) {
        const model = String(row.model);
        byModel.set(model, {
          model,
          requests: Number(row.requests),
          errors: Number(row.errors),
          latency: new Map(),
        });
      }
      for (const row of buckets)
        byModel.get(String(row.model))?.latency.set(Number(row.bucket), Number(row.n));
      return [...byModel.values()].filter((entry) => entry.requests > 0);
    },
  };
}
