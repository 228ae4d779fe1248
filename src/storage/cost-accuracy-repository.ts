/**
 * Attempts whose cost came from the upstream (`provider` or `reconciled`) with their token
 * counts and the catalogue price in force when they ran (the `model_prices` version with the
 * latest `effective_from` not after the attempt's start; the earliest version when the model was
 * priced only later) — what the reconciliation report compares (src/usage/cost-accuracy.ts).
 */
import type { ModelPricing } from '../contracts/model-info.ts';
import type { Database } from './database.ts';

export interface PricedAttempt {
  model: string;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  cachedTokens: number | null;
  /** The upstream's figure, nano-USD. */
  costNanoUsd: bigint;
  /** The catalogue price in force; null when the catalogue never priced the model. */
  pricing: ModelPricing | null;
}

export interface CostAccuracyRepository {
  /**
   * Attempts of the requests created in [from, to) (newest first, at most `limit`), optionally of
   * one model, whose cost the upstream reported or reconciliation fetched.
   */
  pricedAttempts(options: {
    from: Date;
    to: Date;
    model: string | null;
    limit: number;
  }): Promise<PricedAttempt[]>;
}

function count(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Binds the reader to a database. */
export function createCostAccuracyRepository(database: Database): CostAccuracyRepository {
  return {
    async pricedAttempts({ from, to, model, limit }) {
      const parameters: unknown[] = [from.toISOString(), to.toISOString(), limit];
      let modelCondition = '';
      if (model !== null) {
        parameters.push(model);
        modelCondition = ` AND a.model = $4`;
      }
      const price = (direction: string, comparison: string) =>
        `(SELECT p.pricing::text FROM model_prices p WHERE p.model_id = a.model ` +
        `AND p.effective_from ${comparison} a.started_at ORDER BY p.effective_from ${direction} LIMIT 1)`;
      const rows = await database.execute(
        `SELECT a.model, a.prompt_tokens, a.completion_tokens, a.reasoning_tokens, a.cached_tokens, ` +
          `a.cost_nanousd::text AS cost, coalesce(${price('DESC', '<=')}, ${price('ASC', '>')}) AS pricing ` +
          `FROM requests r JOIN attempts a ON a.request_id = r.id ` +
          `WHERE r.created_at >= $1::timestamptz AND r.created_at < $2::timestamptz ` +
          `AND a.cost_source IN ('provider', 'reconciled') AND a.cost_nanousd IS NOT NULL${modelCondition} ` +
          `ORDER BY r.created_at DESC LIMIT $3`,
        parameters,
      );
      return rows.map((row) => ({
        model: String(row.model),
        promptTokens: count(row.prompt_tokens),
        completionTokens: count(row.completion_tokens),
        reasoningTokens: count(row.reasoning_tokens),
        cachedTokens: count(row.cached_tokens),
        costNanoUsd: BigInt(String(row.cost)),
        pricing: typeof row.pricing === 'string' ? (JSON.parse(row.pricing) as ModelPricing) : null,
      }));
    },
  };
}
