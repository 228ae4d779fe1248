/**
 * The budget store of a single instance: counters in a Map, atomic because every check-and-
 * reserve runs in one synchronous turn. Settled spend of a period is loaded once from the ledger
 * (concurrent first requests share the load). See budget-store.ts.
 */
import type { BudgetScope, BudgetUsage } from '../contracts/budget-usage.ts';
import type { BudgetSpec } from '../contracts/principal.ts';
import { budgetPeriodStart } from './budget-period.ts';
import {
  holdKey,
  type BudgetHold,
  type BudgetStore,
  type ReserveRequest,
  type ReserveResult,
  type SettledSpendSource,
} from './budget-store.ts';

interface Counters {
  spent: bigint;
  reserved: bigint;
  /** Reservation id → amount and expiry (ms since the epoch). */
  holds: Map<string, { amount: bigint; expiresAt: number }>;
}

export interface MemoryBudgetStoreOptions {
  settledSpend: SettledSpendSource;
  /** IANA zone of the periods (for `usage`). */
  timeZone: string;
  now?: () => number;
}

export function createMemoryBudgetStore(options: MemoryBudgetStoreOptions): BudgetStore {
  const now = options.now ?? Date.now;
  const counters = new Map<string, Counters>();
  const loading = new Map<string, Promise<Counters>>();

  async function countersOf(hold: BudgetHold): Promise<Counters> {
    const key = holdKey(hold);
    const existing = counters.get(key);
    if (existing !== undefined) return existing;
    let pending = loading.get(key);
    if (pending === undefined) {
      pending = options.settledSpend(hold.scope, new Date(hold.periodStart)).then(
        (spent) => {
          const loaded = counters.get(key) ?? { spent, reserved: 0n, holds: new Map() };
          counters.set(key, loaded);
          // A new period of this budget began: earlier periods with nothing held are done.
          const scopePeriod = key.slice(0, key.lastIndexOf(':') + 1);
          for (const [other, entry] of counters)
            if (other !== key && other.startsWith(scopePeriod) && entry.holds.size === 0)
              counters.delete(other);
          loading.delete(key);
          return loaded;
        },
        (error: unknown) => {
          loading.delete(key);
          throw error;
        },
      );
      loading.set(key, pending);
    }
    return pending;
  }

  function expire(entry: Counters, at: number): void {
    for (const [id, hold] of entry.holds) {
      if (hold.expiresAt > at) continue;
      entry.reserved -= hold.amount;
      entry.holds.delete(id);
    }
  }

  return {
    async reserve(request: ReserveRequest): Promise<ReserveResult> {
      const entries = await Promise.all(request.holds.map(countersOf));
      // From here to the end: one synchronous turn, so no other reservation interleaves.
      const at = now();
      let available = request.amountNanoUsd;
      request.holds.forEach((hold, index) => {
        const entry = entries[index];
        if (entry === undefined) return;
        expire(entry, at);
        const free = hold.budget.limitNanoUsd - entry.spent - entry.reserved;
        if (free < available) available = free;
      });
      if (available < request.minimumNanoUsd || available < 0n)
        return { ok: false, availableNanoUsd: available < 0n ? 0n : available };
      for (const entry of entries) {
        entry.reserved += available;
        entry.holds.set(request.id, { amount: available, expiresAt: at + request.ttlMs });
      }
      return { ok: true, reservedNanoUsd: available };
    },

    async settle(id, holds, actualNanoUsd) {
      for (const entry of await Promise.all(holds.map(countersOf))) {
        const held = entry.holds.get(id);
        if (held !== undefined) {
          entry.reserved -= held.amount;
          entry.holds.delete(id);
        }
        entry.spent += actualNanoUsd;
      }
    },

    async usage(scope: BudgetScope, budget: BudgetSpec): Promise<BudgetUsage> {
      const periodStart = budgetPeriodStart(budget.period, now(), options.timeZone);
      const entry = await countersOf({ scope, budget, periodStart });
      expire(entry, now());
      return { spentNanoUsd: entry.spent, reservedNanoUsd: entry.reserved, periodStart };
    },

    close: () => Promise.resolve(),
  };
}
