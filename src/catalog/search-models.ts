/**
 * Search, filter, sort and cursor-paginate the catalogue in memory (the admin
 * `GET /admin/catalog/models` and `signalbox models list`). Pure: over CatalogEntry[].
 * Prices in filters are USD per 1M tokens; context in tokens.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import {
  isFreeModel,
  modelAuthor,
  pricePerMillionUsd,
  supportsCapability,
  type CatalogEntry,
  type Capability,
} from './catalog-entry.ts';

export type ModelSort = 'price' | 'context' | 'newest' | 'name';

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

const haystacks = new WeakMap<ModelInfo, string>();

function haystack(model: ModelInfo): string {
  let text = haystacks.get(model);
  if (text === undefined) {
    text = `${model.id}\n${model.name}\n${model.description ?? ''}`.toLowerCase();
    haystacks.set(model, text);
  }
  return text;
}

function matcher(query: ModelSearchQuery): (entry: CatalogEntry) => boolean {
  const words = (query.text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  const providers = query.providers === undefined ? null : new Set(query.providers);
  return ({ model, status, enabled }) => {
    if (query.retired !== undefined && (status === 'retired') !== query.retired) return false;
    if (query.enabled !== undefined && enabled !== query.enabled) return false;
    if (providers !== null && !providers.has(modelAuthor(model.id))) return false;
    if (query.free !== undefined && isFreeModel(model) !== query.free) return false;
    if (query.minContext !== undefined && (model.context_length ?? 0) < query.minContext)
      return false;
    if (!withinPrice(model, 'prompt', query.maxPromptPrice)) return false;
    if (!withinPrice(model, 'completion', query.maxCompletionPrice)) return false;
    const { input_modalities: inputs = [], output_modalities: outputs = [] } = model.architecture;
    if (query.inputModality !== undefined && !inputs.includes(query.inputModality)) return false;
    if (query.outputModality !== undefined && !outputs.includes(query.outputModality)) return false;
    for (const capability of query.supports ?? [])
      if (!supportsCapability(model, capability)) return false;
    if (words.length === 0) return true;
    const text = haystack(model);
    return words.every((word) => text.includes(word));
  };
}

function withinPrice(
  model: ModelInfo,
  key: 'prompt' | 'completion',
  max: number | undefined,
): boolean {
  if (max === undefined) return true;
  const price = pricePerMillionUsd(model.pricing, key);
  return price !== null && price <= max;
}

type SortKey = [number, number, string];

/** Ascending sort key per model; ties broken by id so the order (and cursors) are total. */
function sortKey(model: ModelInfo, sort: ModelSort): SortKey {
  switch (sort) {
    case 'price':
      return [
        pricePerMillionUsd(model.pricing, 'prompt') ?? Number.MAX_VALUE,
        pricePerMillionUsd(model.pricing, 'completion') ?? Number.MAX_VALUE,
        model.id,
      ];
    case 'context':
      return [-(model.context_length ?? 0), 0, model.id];
    case 'newest':
      return [-model.created, 0, model.id];
    case 'name':
      return [0, 0, `${model.name.toLowerCase()}\u0000${model.id}`];
  }
}

function compareKeys(left: SortKey, right: SortKey): number {
  return (
    left[0] - right[0] ||
    left[1] - right[1] ||
    (left[2] < right[2] ? -1 : left[2] > right[2] ? 1 : 0)
  );
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
 * Filters, sorts and pages `entries`.
 * @throws SignalboxError `invalid_request` (param `limit` or `cursor`) for a bad limit or cursor.
 */
export function searchModels(
  entries: readonly CatalogEntry[],
  query: ModelSearchQuery,
): ModelSearchPage {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new SignalboxError(
      'invalid_request',
      `"limit" must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`,
      {
        param: 'limit',
      },
    );
  const sort = query.sort ?? 'name';
  const after =
    query.cursor === undefined || query.cursor === null ? null : decodeCursor(query.cursor);
  const matches = entries.filter(matcher(query));
  const keyed = matches.map((entry) => ({ entry, key: sortKey(entry.model, sort) }));
  keyed.sort((left, right) => compareKeys(left.key, right.key));
  const start = after === null ? 0 : keyed.findIndex((item) => compareKeys(item.key, after) > 0);
  const page = start === -1 ? [] : keyed.slice(start, start + limit);
  const last = page.at(-1);
  const more = start !== -1 && start + limit < keyed.length;
  return {
    data: page.map((item) => item.entry),
    total: matches.length,
    nextCursor: more && last !== undefined ? encodeCursor(last.key) : null,
  };
}
