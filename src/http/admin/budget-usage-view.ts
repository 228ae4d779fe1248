/**
 * What `GET /admin/keys/{id}` and `GET /admin/projects/{id}` show of a budget: settled spend in
 * the current period, open reservations and what is left. From the budget store
 * (BudgetUsageReader, src/limits/) when one is configured; else from the ledger alone (spend
 * since the period's start in UTC, no reservations). Money is integer nano-USD.
 */
import type { BudgetScope, BudgetUsageReader } from '../../contracts/budget-usage.ts';
import type { BudgetSpec } from '../../contracts/principal.ts';
import type { LedgerSpendReader } from '../../storage/index.ts';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import { usdOf } from './key-schemas.ts';

export interface BudgetUsageSources {
  /** The budget store's view (spend and reservations); null = none configured. */
  budgetUsage: BudgetUsageReader | null;
  /** Spend from the ledger, when there is no budget store or no budget. */
  spend: LedgerSpendReader;
  /** Flushed before the ledger is read (read-your-writes). */
  ledger: Pick<LedgerWriter, 'flush'>;
}

/** Start of the period containing `now` in UTC (weeks start on Monday), ms; null for `total`. */
export function periodStart(period: BudgetSpec['period'], now: number): number | null {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  switch (period) {
    case 'day':
      return Date.UTC(year, month, day);
    case 'week':
      return Date.UTC(year, month, day - ((date.getUTCDay() + 6) % 7));
    case 'month':
      return Date.UTC(year, month, 1);
    case 'total':
      return null;
  }
}

/** The fields added to a key's or project's answer, in USD. */
export interface BudgetUsageView {
  spend_usd: number;
  reserved_usd: number;
  remaining_usd: number | null;
  period_start: string | null;
}

/** The budget usage of a key or project (all-time spend when it has no budget). */
export async function budgetUsageView(
  sources: BudgetUsageSources,
  scope: BudgetScope,
  budget: BudgetSpec | null,
  now: number,
): Promise<BudgetUsageView> {
  let spent: bigint;
  let reserved = 0n;
  let start: number | null;
  if (budget !== null && sources.budgetUsage !== null) {
    const usage = await sources.budgetUsage.usage(scope, budget);
    spent = usage.spentNanoUsd;
    reserved = usage.reservedNanoUsd;
    start = usage.periodStart === 0 ? null : usage.periodStart;
  } else {
    await sources.ledger.flush();
    start = budget === null ? null : periodStart(budget.period, now);
    spent = await sources.spend.spend(scope, start === null ? null : new Date(start));
  }
  const remaining = budget === null ? null : budget.limitNanoUsd - spent - reserved;
  return {
    spend_usd: usdOf(spent),
    reserved_usd: usdOf(reserved),
    remaining_usd: remaining === null ? null : usdOf(remaining > 0n ? remaining : 0n),
    period_start: start === null ? null : new Date(start).toISOString(),
  };
}
