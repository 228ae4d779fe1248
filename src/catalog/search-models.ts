/**
 * Search, filter, sort and cursor-paginate the catalogue in memory (the admin
 * `GET /admin/catalog/models` and `signalbox models list`). Pure: over a CatalogEntryIndex
 * (catalog-entry-index.ts) or plain CatalogEntry[].
 * Prices in filters are USD per 1M tokens; context in tokens.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { CatalogEntry, Capability } from './catalog-entry.ts';
import {
  capabilityBit,
  compareSortKeys,
  createCatalogEntryIndex,
  type CatalogEntryIndex,
  type IndexedCatalogEntry,
  type ModelSort,
  type SortKey,
} from './catalog-entry-index.ts';

export type { ModelSort } from './catalog-entry-index.ts';

export interface ModelSearchQuery {
  /** Words that must all appear (case-insensitive) in the id, name or description. */
  text?: string;
  /** `architecture.input_modalities` must include it, e.g. `image`. */
  inputModality?: string;
  outputModality?: string;
  supports?: readonly Capability[];
  /** Tokens. */
  minContext?: number;
  /** USD per 1M prompt tokens; unpriced models never match a price filter. */
  maxPromptPrice?: number;
  /** USD per 1M completion tokens. */
  maxCompletionPrice?: number;
  /** Authors (`openai`), any of. */
  providers?: readonly string[];
  free?: boolean;
  /** true = only retired, false = only active, unset = both. */
  retired?: boolean;
  enabled?: boolean;
  /** Default `name`. `price` = prompt price then completion price, ascending, unpriced last. */
  sort?: ModelSort;
  /** 1..500, default 50. */
  limit?: number;
  /** `next_cursor` of the previous page, for the same query. */
  cursor?: string | null;
}

export interface ModelSearchPage {
  data: CatalogEntry[];
  /** Matches over all pages. */
  total: number;
  nextCursor: string | null;
}

export const MAX_SEARCH_LIMIT = 500;

function matcher(query: ModelSearchQuery): (item: IndexedCatalogEntry) => boolean {
  const words = (query.text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  const providers = query.providers === undefined ? null : new Set(query.providers);
  let required = 0;
  for (const capability of query.supports ?? []) required |= capabilityBit(capability);
  const { maxPromptPrice, maxCompletionPrice, minContext, inputModality, outputModality } = query;
  return (item) => {
    if (query.retired !== undefined && item.retired !== query.retired) return false;
    if (query.enabled !== undefined && item.entry.enabled !== query.enabled) return false;
    if (providers !== null && !providers.has(item.author)) return false;
    if (query.free !== undefined && item.free !== query.free) return false;
    if (minContext !== undefined && item.contextLength < minContext) return false;
    if ((item.capabilityBits & required) !== required) return false;
    // Unpriced models (null) never match a price filter.
    if (
      maxPromptPrice !== undefined &&
      (item.promptPerMillion === null || item.promptPerMillion > maxPromptPrice)
    )
      return false;
    if (
      maxCompletionPrice !== undefined &&
      (item.completionPerMillion === null || item.completionPerMillion > maxCompletionPrice)
    )
      return false;
    if (inputModality !== undefined && !item.inputModalities.includes(inputModality)) return false;
    if (outputModality !== undefined && !item.outputModalities.includes(outputModality))
      return false;
    for (const word of words) if (!item.searchText.includes(word)) return false;
    return true;
  };
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'number' &&
      typeof value[2] === 'string'
    )
      return [value[0], value[1], value[2]];
  } catch {
    // Falls through to the error below.
  }
  throw new SignalboxError('invalid_request', '"cursor" is not a cursor this query returned.', {
    param: 'cursor',
  });
}

/**
 * Filters, sorts and pages the catalogue. Give a `CatalogEntryIndex` (built once per
 * catalogue version) for speed; plain entries are indexed for this one call.
 * @throws SignalboxError `invalid_request` (param `limit` or `cursor`) for a bad limit or cursor.
 */
export function searchModels(
  source: readonly CatalogEntry[] | CatalogEntryIndex,
  query: ModelSearchQuery,
): ModelSearchPage {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new SignalboxError(
      'invalid_request',
      `"limit" must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`,
      { param: 'limit' },
    );
  const after =
    query.cursor === undefined || query.cursor === null ? null : decodeCursor(query.cursor);
  const index = isEntryIndex(source) ? source : createCatalogEntryIndex(source);
  const order = index.ordered(query.sort ?? 'name');
  const matches = matcher(query);
  const start = after === null ? 0 : firstAfter(order, after);
  const data: CatalogEntry[] = [];
  let lastKey: SortKey | null = null;
  let total = 0;
  let more = false;
  for (let position = 0; position < order.length; position += 1) {
    const ordered = order[position];
    if (ordered === undefined || !matches(ordered.item)) continue;
    total += 1;
    if (position < start) continue;
    if (data.length < limit) {
      data.push(ordered.item.entry);
      lastKey = ordered.key;
    } else more = true;
  }
  return { data, total, nextCursor: more && lastKey !== null ? encodeCursor(lastKey) : null };
}

function isEntryIndex(
  source: readonly CatalogEntry[] | CatalogEntryIndex,
): source is CatalogEntryIndex {
  return !Array.isArray(source);
}

/** Position of the first key strictly after `after` (binary search; the order is ascending). */
function firstAfter(order: readonly { key: SortKey }[], after: SortKey): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const key = order[middle]?.key;
    if (key !== undefined && compareSortKeys(key, after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
