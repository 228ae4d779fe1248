/**
 * Settled spend from the ledger: the sum of `requests.cost_nanousd` of one key or project since
 * a time (a budget period's start), by the `requests_key_id_created_at_idx` /
 * `requests_project_id_created_at_idx` indexes. Budgets load it when they first meet a period
 * (src/limits/budget-store.ts), so spend survives a restart and a Redis flush. A request's
 * period is the one it was received in (`created_at`). Rows still in an instance's journal are
 * not counted until inserted (a few ms with the default journal).
 */
import { and, eq, gte, sql } from './drizzle.ts';
import type { BudgetScope } from '../contracts/budget-usage.ts';
import type { Database } from './database.ts';
import { requests } from './schema.ts';

export interface SpendRepository {
  /** Nano-USD (0 when none); requests with an unknown cost count 0. */
  settledSpendNanoUsd(scope: BudgetScope, since: Date): Promise<bigint>;
}

export function createSpendRepository(database: Database): SpendRepository {
  const { db } = database;
  return {
    async settledSpendNanoUsd(scope, since) {
      const column = scope.kind === 'key' ? requests.keyId : requests.projectId;
      const rows = await db
        .select({ total: sql<string | null>`sum(${requests.costNanoUsd})::text` })
        .from(requests)
        .where(and(eq(column, scope.id), gte(requests.createdAt, since)));
      const total = rows[0]?.total ?? null;
      return total === null ? 0n : BigInt(total);
    },
  };
}
