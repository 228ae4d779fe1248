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
  const fromDecision = featureNames
    .map(
      ({ name, bit }) =>
        `CASE WHEN routing_decision->'requirements' @> '${JSON.stringify([name])}'::jsonb ` +
        `THEN ${String(bit)} ELSE 0 END`,
    )
    .join(' | ');
  const features =
    featureNames.length === 0
      ? 'coalesce(required_features, 0)'
      : `coalesce(required_features, CASE WHEN routing_decision IS NULL THEN 0 ELSE ${fromDecision} END)`;
  const statement =
    `SELECT key_id, project_id, model, count(*)::int8 AS requests, ` +
    `coalesce(sum(prompt_tokens), 0)::text AS prompt, ` +
    `coalesce(sum(completion_tokens), 0)::text AS completion, ` +
    `coalesce(sum(reasoning_tokens), 0)::text AS reasoning, ` +
    `coalesce(sum(cached_tokens), 0)::text AS cached, ` +
    `sum(cost_nanousd)::text AS cost, ` +
    `coalesce(max(prompt_tokens), 0) AS max_prompt, ` +
    `coalesce(max(completion_tokens), 0) AS max_completion, ` +
    `coalesce(max(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0) AS max_total, ` +
    `coalesce(bit_or(${features}), 0) AS features, ` +
    `coalesce(bool_or(reasoning_tokens > 0), false) AS reasoning_used ` +
    `FROM requests WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz ` +
    `AND model <> '' AND model NOT LIKE 'signalbox/%' ` +
    `GROUP BY key_id, project_id, model HAVING count(*) >= $3 ` +
    `ORDER BY key_id NULLS FIRST, project_id NULLS FIRST, model`;
  return {
    async profiles({ from, to, minRequests }) {
      const rows = await database.execute(statement, [
        from.toISOString(),
        to.toISOString(),
        minRequests,
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
        database.execute(
          `SELECT model, bucket, sum("count")::int8 AS n FROM "${HOUR_TIER.histograms}" ` +
            `WHERE ${where} AND metric = 'latency_ms' GROUP BY model, bucket`,
          parameters,
        ),
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
