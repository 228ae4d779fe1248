/**
 * Budgets that cannot be overshot: reserve, then settle. A request's worst-case cost is
 * reserved atomically against `limit − settled spend − open reservations` of every budget it
 * falls under (its key's and its project's); settle replaces the reservation with the actual
 * cost. Reservations expire after `ttlMs` (the request's deadline plus a grace), so a crashed
 * instance's holds vanish. The settled spend of a period is loaded from the ledger the first
 * time a store meets it (start, restart, a Redis flush): the store holds only live counters.
 * Implementations: memory-budget-store.ts (one instance), redis-budget-store.ts (shared).
 * Money is integer nano-USD. docs/decisions/0014-rate-limits-and-budgets.md.
 */
import type { BudgetScope, BudgetUsage, BudgetUsageReader } from '../contracts/budget-usage.ts';
import type { BudgetSpec } from '../contracts/principal.ts';

/** One budget a request falls under, in the period current at admission. */
export interface BudgetHold {
  readonly scope: BudgetScope;
  readonly budget: BudgetSpec;
  /** Start of the budget's current period, ms since the epoch (0 for `total`). */
  readonly periodStart: number;
}

export interface ReserveRequest {
  /** Identifies the reservation (the request id). */
  readonly id: string;
  readonly holds: readonly BudgetHold[];
  /** The amount wanted (the request's worst case), nano-USD. */
  readonly amountNanoUsd: bigint;
  /**
   * The least amount the request can run with, nano-USD: when less than `amountNanoUsd` is
   * free but at least this, the free amount is reserved (the caller then caps `max_tokens`).
   */
  readonly minimumNanoUsd: bigint;
  /** The reservation lapses after this, ms. */
  readonly ttlMs: number;
}

export type ReserveResult =
  | { readonly ok: true; readonly reservedNanoUsd: bigint }
  | { readonly ok: false; readonly availableNanoUsd: bigint };

/** The settled spend of a scope since a period start, nano-USD (the ledger's sum). */
export type SettledSpendSource = (scope: BudgetScope, since: Date) => Promise<bigint>;

export interface BudgetStore extends BudgetUsageReader {
  /**
   * Reserves in every hold, or in none: `min(amount, free of every hold)` when that is at least
   * `minimumNanoUsd`, else nothing (`ok: false` with the free amount).
   * @throws when the store (Redis, the ledger) is unreachable
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Releases reservation `id` in every hold and adds `actualNanoUsd` to their settled spend
   * (also when the reservation had already lapsed).
   * @throws when the store is unreachable
   */
  settle(id: string, holds: readonly BudgetHold[], actualNanoUsd: bigint): Promise<void>;
  close(): Promise<void>;
}

/** The counters' identity: scope, period kind and the period's start. */
export function holdKey(hold: Pick<BudgetHold, 'scope' | 'budget' | 'periodStart'>): string {
  return `${hold.scope.kind}:${encodeURIComponent(hold.scope.id)}:${hold.budget.period}:${hold.periodStart}`;
}

export type { BudgetScope, BudgetUsage };
