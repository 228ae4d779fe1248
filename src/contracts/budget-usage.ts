/**
 * What a key's or project's budget stands at: settled spend in the current period and the
 * open reservations of requests in flight (reserve, then settle — src/limits/). Implemented by
 * the budget store (memory, Redis or PostgreSQL); read by `GET /admin/keys/{id}` and
 * `GET /admin/projects/{id}`. Money is integer nano-USD.
 */
import type { BudgetSpec } from './principal.ts';

export interface BudgetScope {
  readonly kind: 'key' | 'project';
  readonly id: string;
}

export interface BudgetUsage {
  /** Settled spend in the budget's current period, nano-USD. */
  spentNanoUsd: bigint;
  /** Open reservations (worst-case cost of requests in flight), nano-USD. */
  reservedNanoUsd: bigint;
  /** Start of the current period, ms since the epoch (0 for `total`). */
  periodStart: number;
}

export interface BudgetUsageReader {
  /** @throws when the store is unreachable (callers show the budget as unknown). */
  usage(scope: BudgetScope, budget: BudgetSpec): Promise<BudgetUsage>;
}
