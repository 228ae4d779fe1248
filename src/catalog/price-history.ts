/**
 * Prices in force (issue 10 "Cost truth"): every model's price versions (`model_prices`), held in
 * memory with the catalogue so that a cost is computed at the price in force when the attempt
 * started — not at whatever price is loaded when it ends, or when a journal is replayed. Built
 * once per catalogue load (O(n log n)); a read is a Map lookup and a binary search, no I/O.
 */
import type { ModelPricing } from '../contracts/model-info.ts';
import type { PriceVersion } from './catalog-entry.ts';

/** One version with the model it prices (what storage lists). */
export interface ModelPriceVersion extends PriceVersion {
  modelId: string;
}

export interface PriceHistory {
  /**
   * The pricing in force at `at` (ms since the epoch): the version with the latest
   * `effective_from` not after it; for a time before the model's first version, that first
   * version (the catalogue priced it only later, and it is the nearest price known); undefined
   * when the history holds no version of the model (the caller falls back to the loaded entry).
   */
  at(modelId: string, at: number): ModelPricing | undefined;
  /** Number of versions held. */
  readonly size: number;
}

interface Versions {
  /** effective_from, ms, ascending. */
  times: number[];
  pricings: ModelPricing[];
}

/** An empty history: every read falls back to the loaded catalogue entry. */
export const NO_PRICE_HISTORY: PriceHistory = { at: () => undefined, size: 0 };

/** The history of `versions` (any order). */
export function createPriceHistory(versions: readonly ModelPriceVersion[]): PriceHistory {
  const byModel = new Map<string, { time: number; pricing: ModelPricing }[]>();
  for (const version of versions) {
    const list = byModel.get(version.modelId) ?? [];
    list.push({ time: version.effectiveFrom.getTime(), pricing: version.pricing });
    byModel.set(version.modelId, list);
  }
  const index = new Map<string, Versions>();
  for (const [modelId, list] of byModel) {
    list.sort((left, right) => left.time - right.time);
    index.set(modelId, {
      times: list.map((entry) => entry.time),
      pricings: list.map((entry) => entry.pricing),
    });
  }
  return {
    size: versions.length,
    at(modelId, at) {
      const entry = index.get(modelId);
      if (entry === undefined) return undefined;
      const { times, pricings } = entry;
      // The last index whose time is <= at (binary search), else the first version.
      let low = 0;
      let high = times.length - 1;
      let found = 0;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        if ((times[middle] ?? Infinity) <= at) {
          found = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      return pricings[found];
    },
  };
}
