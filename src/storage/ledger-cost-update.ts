/**
 * A late cost for one ledger attempt (the cost reconciler's write, usage/cost-reconciler.ts):
 * the attempt's cost is replaced only while it is unknown (NULL) or an estimate, and the request's
 * total and source follow — total = the sum of its attempts' known costs, source = the weakest of
 * theirs (contracts/ledger.ts `weakestCostSource`). One short transaction, the request row locked
 * first, so two attempts of one request reconciled at once both count. The usage rollups follow
 * in the same transaction: the request's contribution is taken out before and put back after.
 */
import { and, asc, eq, isNull, or, sql } from './drizzle.ts';
import { weakestCostSource, type CostSource, type TokenCounts } from '../contracts/ledger.ts';
import type { Database } from './database.ts';
import { attempts, requests } from './schema.ts';
import { requestContributionSql, ROLLUP_TIERS } from './usage-rollup-sql.ts';

export interface AttemptCostUpdate {
  requestId: string;
  attemptNumber: number;
  /** nano-USD. */
  costNanoUsd: bigint;
  /** `reconciled` (the upstream's own figure) or `estimated`. */
  costSource: Extract<CostSource, 'reconciled' | 'estimated'>;
  /** Token counts to fill in where the attempt has none (a null count leaves the column as is). */
  tokens?: TokenCounts;
}

/**
 * `updated`; `settled`: the attempt already has a cost this update may not replace (reported,
 * computed or reconciled); `missing`: no such attempt row (yet — the ledger writer commits in the
 * background, so a caller may retry).
 */
export type AttemptCostResult = 'updated' | 'settled' | 'missing';

const NO_TOKENS: TokenCounts = {
  promptTokens: null,
  completionTokens: null,
  reasoningTokens: null,
  cachedTokens: null,
};

/** See the file comment. @throws the driver's error. */
export async function updateAttemptCost(
  database: Database,
  update: AttemptCostUpdate,
): Promise<AttemptCostResult> {
  const tokens = update.tokens ?? NO_TOKENS;
  return database.db.transaction(async (tx) => {
    const locked = await tx
      .select({ promptTokens: requests.promptTokens })
      .from(requests)
      .where(eq(requests.id, update.requestId))
      .for('update');
    const request = locked[0];
    if (request === undefined) return 'missing';
    const changed = await tx
      .update(attempts)
      .set({
        costNanoUsd: update.costNanoUsd,
        costSource: update.costSource,
        promptTokens: sql`coalesce(${attempts.promptTokens}, ${tokens.promptTokens}::int4)`,
        completionTokens: sql`coalesce(${attempts.completionTokens}, ${tokens.completionTokens}::int4)`,
        reasoningTokens: sql`coalesce(${attempts.reasoningTokens}, ${tokens.reasoningTokens}::int4)`,
        cachedTokens: sql`coalesce(${attempts.cachedTokens}, ${tokens.cachedTokens}::int4)`,
      })
      .where(
        and(
          eq(attempts.requestId, update.requestId),
          eq(attempts.attemptNumber, update.attemptNumber),
          or(isNull(attempts.costNanoUsd), eq(attempts.costSource, 'estimated')),
        ),
      )
      .returning({ attemptNumber: attempts.attemptNumber });
    const all = await tx
      .select()
      .from(attempts)
      .where(eq(attempts.requestId, update.requestId))
      .orderBy(asc(attempts.attemptNumber));
    if (changed.length === 0) {
      return all.some((row) => row.attemptNumber === update.attemptNumber) ? 'settled' : 'missing';
    }
    let total: bigint | null = null;
    let source: CostSource | null = null;
    for (const row of all) {
      if (row.costNanoUsd === null) continue;
      total = (total ?? 0n) + row.costNanoUsd;
      source = weakestCostSource(source, row.costSource);
    }
    // Tokens of a request come from the attempt that served it: fill them from the last
    // attempt only, and only when the request has none.
    const last = all.at(-1);
    const fillTokens =
      request.promptTokens === null && last?.attemptNumber === update.attemptNumber;
    for (const tier of ROLLUP_TIERS)
      await tx.execute(requestContributionSql(tier, -1, update.requestId));
    await tx
      .update(requests)
      .set({
        costNanoUsd: total,
        costSource: source,
        ...(fillTokens
          ? {
              promptTokens: last.promptTokens,
              completionTokens: last.completionTokens,
              reasoningTokens: last.reasoningTokens,
              cachedTokens: last.cachedTokens,
            }
          : {}),
      })
      .where(eq(requests.id, update.requestId));
    for (const tier of ROLLUP_TIERS)
      await tx.execute(requestContributionSql(tier, 1, update.requestId));
    return 'updated';
  });
}
