/**
 * An in-memory index over the catalogue's entries for search (admin `GET
 * /admin/catalog/models`, `signalbox models list`): everything a filter or a sort reads is
 * computed once per catalogue version — lower-cased search text, author, capability flags,
 * prices per 1M tokens as numbers — and each sort order is sorted once, on first use.
 * A search is then one linear pass of cheap comparisons over a pre-sorted array, with no
 * sort and no allocation per entry (docs/performance.md: keep catalogue work off the
 * request path). Rebuild it only when the catalogue changes (`createCatalogEntryIndexCache`).
 */
import type { ModelInfo } from '../contracts/model-info.ts';
import {
  capabilities,
  isFreeModel,
  modelAuthor,
  pricePerMillionUsd,
  supportsCapability,
  type CatalogEntry,
  type Capability,
} from './catalog-entry.ts';

export type ModelSort = 'price' | 'context' | 'newest' | 'name';

/**
 * An ascending, total sort key: two numbers then a string (the id breaks ties), so cursors
 * can name a position in any order.
 */
export type SortKey = readonly [number, number, string];

/** One entry with the values search filters and sorts on, precomputed. */
export interface IndexedCatalogEntry {
  readonly entry: CatalogEntry;
  /** `id \n name \n description`, lower-cased. */
  readonly searchText: string;
  /** The id's author (`openai/gpt-4o` → `openai`). */
  readonly author: string;
  readonly free: boolean;
  readonly retired: boolean;
  /** Bit `1 << capabilities.indexOf(c)` set when the model supports capability `c`. */
  readonly capabilityBits: number;
  /** USD per 1M tokens, floats for filters and ranking only; null = unpriced. */
  readonly promptPerMillion: number | null;
  readonly completionPerMillion: number | null;
  /** Tokens; 0 when unknown. */
  readonly contextLength: number;
  readonly inputModalities: readonly string[];
  readonly outputModalities: readonly string[];
}

export interface CatalogEntryIndex {
  /** Every entry, in the order given (storage: by id). */
  readonly entries: readonly CatalogEntry[];
  readonly size: number;
  readonly builtAt: Date;
  /** The entry with exactly this id. */
  get(id: string): CatalogEntry | undefined;
  /** Every indexed entry in the ascending order of `sort`, with its keys; sorted once. */
  ordered(sort: ModelSort): readonly OrderedCatalogEntry[];
}

export interface OrderedCatalogEntry {
  readonly item: IndexedCatalogEntry;
  readonly key: SortKey;
}

/** The bit of a capability in `IndexedCatalogEntry.capabilityBits`. */
export function capabilityBit(capability: Capability): number {
  return 1 << capabilities.indexOf(capability);
}

function indexEntry(entry: CatalogEntry): IndexedCatalogEntry {
  const { model } = entry;
  let capabilityBits = 0;
  for (const capability of capabilities)
    if (supportsCapability(model, capability)) capabilityBits |= capabilityBit(capability);
  return {
    entry,
    searchText: `${model.id}\n${model.name}\n${model.description ?? ''}`.toLowerCase(),
    author: modelAuthor(model.id),
    free: isFreeModel(model),
    retired: entry.status === 'retired',
    capabilityBits,
    promptPerMillion: pricePerMillionUsd(model.pricing, 'prompt'),
    completionPerMillion: pricePerMillionUsd(model.pricing, 'completion'),
    contextLength: model.context_length ?? 0,
    inputModalities: model.architecture.input_modalities ?? [],
    outputModalities: model.architecture.output_modalities ?? [],
  };
}

/** The ascending key of an entry in a sort order; `price` puts unpriced models last. */
export function sortKey(item: IndexedCatalogEntry, sort: ModelSort): SortKey {
  const model: ModelInfo = item.entry.model;
  switch (sort) {
    case 'price':
      return [
        item.promptPerMillion ?? Number.MAX_VALUE,
        item.completionPerMillion ?? Number.MAX_VALUE,
        model.id,
      ];
    case 'context':
      return [-item.contextLength, 0, model.id];
    case 'newest':
      return [-model.created, 0, model.id];
    case 'name':
      return [0, 0, `${model.name.toLowerCase()}\u0000${model.id}`];
  }
}

/** Negative, zero or positive as `left` sorts before, with or after `right`. */
export function compareSortKeys(left: SortKey, right: SortKey): number {
  return (
    left[0] - right[0] ||
    left[1] - right[1] ||
    (left[2] < right[2] ? -1 : left[2] > right[2] ? 1 : 0)
  );
}

/** Indexes `entries` (O(n); each sort order costs O(n log n) once, when first asked for). */
export function createCatalogEntryIndex(
  entries: readonly CatalogEntry[],
  builtAt: Date = new Date(),
): CatalogEntryIndex {
  const items = entries.map(indexEntry);
  const byId = new Map(entries.map((entry) => [entry.model.id, entry]));
  const orders = new Map<ModelSort, OrderedCatalogEntry[]>();
  return {
    entries,
    size: entries.length,
    builtAt,
    get: (id) => byId.get(id),
    ordered: (sort) => {
      let order = orders.get(sort);
      if (order === undefined) {
        order = items.map((item) => ({ item, key: sortKey(item, sort) }));
        order.sort((left, right) => compareSortKeys(left.key, right.key));
        orders.set(sort, order);
      }
      return order;
    },
  };
}

export interface CatalogEntryIndexCache {
  /** The current index, built from `load()` on first use after an invalidation. */
  get(): Promise<CatalogEntryIndex>;
  /** Drops the index: call after anything changes the catalogue (sync, enable/disable). */
  invalidate(): void;
}

/**
 * Holds one index and rebuilds it lazily after `invalidate()`. Concurrent `get()`s share one
 * build; an invalidation during a build drops it (the next `get()` reloads), and a failed
 * build is not cached.
 */
export function createCatalogEntryIndexCache(
  load: () => Promise<readonly CatalogEntry[]>,
): CatalogEntryIndexCache {
  let current: Promise<CatalogEntryIndex> | null = null;
  return {
    get: () => {
      if (current !== null) return current;
      const building = load().then((entries) => createCatalogEntryIndex(entries));
      current = building;
      building.catch(() => {
        if (current === building) current = null;
      });
      return building;
    },
    invalidate: () => {
      current = null;
    },
  };
}
