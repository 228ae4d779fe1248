/**
 * Settled spend from the ledger: the sum of `requests.cost_nanousd` of one key's or project's
 * requests since a time (the start of a budget period). Used by the admin API when no budget
 * store (src/limits/) is configured; rows still in the journal are not counted (flush first).
 */
import { and, eq, gte, sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type { BudgetScope } from '../contracts/budget-usage.ts';
import type { Database } from './database.ts';
import { requests } from './schema.ts';

export interface LedgerSpendReader {
  /** Nano-USD spent by the key or project since `from` (all time when null). */
  spend(scope: BudgetScope, from: Date | null): Promise<bigint>;
}

export function createLedgerSpendReader(database: Database): LedgerSpendReader {
  const { db } = database;
  return {
    async spend(scope, from) {
      const where: SQL[] = [
        eq(scope.kind === 'key' ? requests.keyId : requests.projectId, scope.id),
      ];
      if (from !== null) where.push(gte(requests.createdAt, from));
      const [row] = await db
        .select({ total: sql<string | null>`sum(${requests.costNanoUsd})` })
        .from(requests)
        .where(and(...where));
      return BigInt(row?.total ?? 0);
    },
  };
}
