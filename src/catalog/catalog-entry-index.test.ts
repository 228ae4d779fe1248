// The catalogue entry index on the REAL 2026 snapshot: searching the index gives the same
// pages as a direct filter and sort of the entries, and the cache rebuilds only when told.
import { describe, expect, it } from 'vitest';
import {
  isFreeModel,
  modelAuthor,
  pricePerMillionUsd,
  supportsCapability,
  type CatalogEntry,
} from './catalog-entry.ts';
import { createCatalogEntryIndex, createCatalogEntryIndexCache } from './catalog-entry-index.ts';
import { searchModels, type ModelSearchQuery } from './search-models.ts';
import { loadSnapshotModels } from './snapshot.ts';

const entries: CatalogEntry[] = loadSnapshotModels().map((model, index) => ({
  model,
  status: index % 7 === 0 ? 'retired' : 'active',
  enabled: index % 5 !== 0,
  retiredAt: index % 7 === 0 ? new Date('2026-05-20T00:00:00Z') : null,
}));
const index = createCatalogEntryIndex(entries);

function allIds(query: ModelSearchQuery): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = searchModels(index, { ...query, cursor, limit: 7 });
    ids.push(...page.data.map((entry) => entry.model.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

describe('createCatalogEntryIndex', () => {
  it('pages a price-sorted tools search exactly as a direct filter and sort does', () => {
    const expected = entries
      .filter(
        ({ model }) =>
          supportsCapability(model, 'tools') &&
          (pricePerMillionUsd(model.pricing, 'prompt') ?? Infinity) <= 1,
      )
      .map(({ model }) => ({
        id: model.id,
        prompt: pricePerMillionUsd(model.pricing, 'prompt') ?? 0,
        completion: pricePerMillionUsd(model.pricing, 'completion') ?? Number.MAX_VALUE,
      }))
      .sort(
        (left, right) =>
          left.prompt - right.prompt ||
          left.completion - right.completion ||
          (left.id < right.id ? -1 : 1),
      )
      .map((row) => row.id);
    expect(expected.length).toBeGreaterThan(50);
    expect(allIds({ supports: ['tools'], maxPromptPrice: 1, sort: 'price' })).toEqual(expected);
  });

  it('filters on status, enabled, author, free, context and words like the entries say', () => {
    const query: ModelSearchQuery = { retired: false, enabled: true, providers: ['openai'] };
    const expected = entries
      .filter(
        (entry) =>
          entry.status === 'active' && entry.enabled && modelAuthor(entry.model.id) === 'openai',
      )
      .map((entry) => entry.model.id)
      .sort();
    expect(allIds({ ...query, sort: 'name' }).sort()).toEqual(expected);
    const free = entries.filter((entry) => isFreeModel(entry.model)).length;
    expect(searchModels(index, { free: true }).total).toBe(free);
    const longContext = searchModels(index, { minContext: 1_000_000, sort: 'context', limit: 500 });
    expect(longContext.data.every((entry) => (entry.model.context_length ?? 0) >= 1e6)).toBe(true);
    const words = searchModels(index, { text: 'GPT-4O mini', limit: 500 }).data;
    expect(words.length).toBeGreaterThan(0);
    for (const { model } of words)
      expect(`${model.id} ${model.name} ${model.description ?? ''}`.toLowerCase()).toMatch(
        /(?=.*gpt-4o)(?=.*mini)/s,
      );
  });

  it('looks entries up by id and sorts each order once', () => {
    expect(index.get('openai/gpt-4o')?.model.name).toBe('OpenAI: GPT-4o');
    expect(index.get('no/such')).toBeUndefined();
    expect(index.size).toBe(356);
    expect(index.ordered('newest')).toBe(index.ordered('newest'));
  });
});

describe('createCatalogEntryIndexCache', () => {
  it('reuses one index until invalidated, then reloads', async () => {
    let loads = 0;
    const cache = createCatalogEntryIndexCache(() => {
      loads += 1;
      return Promise.resolve(entries.slice(0, loads * 10));
    });
    const [first, concurrent] = await Promise.all([cache.get(), cache.get()]);
    expect(first).toBe(concurrent);
    expect(await cache.get()).toBe(first);
    expect(first.size).toBe(10);
    cache.invalidate();
    const second = await cache.get();
    expect(second.size).toBe(20);
    expect(loads).toBe(2);
  });

  it('does not keep a failed build', async () => {
    let fail = true;
    const cache = createCatalogEntryIndexCache(() =>
      fail ? Promise.reject(new Error('database down')) : Promise.resolve(entries),
    );
    await expect(cache.get()).rejects.toThrow('database down');
    fail = false;
    expect((await cache.get()).size).toBe(356);
  });
});
