/**
 * Catalogue benchmark (`node bench/catalog.ts`, and the end of `npm run bench`): upsert of the 356-model snapshot into an
 * empty PGlite (target < 1 s) and again unchanged (< 0.5 s), a synthetic 20,000-model
 * catalogue (linear growth: 5,000 vs 20,000 per model), and search latency p99 over it
 * (< 20 ms), searching a CatalogEntryIndex built once as the admin route does. Prints the
 * figures; it asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import type { CatalogEntry } from '../src/catalog/catalog-entry.ts';
import { createCatalogEntryIndex } from '../src/catalog/catalog-entry-index.ts';
import { searchModels, type ModelSearchQuery } from '../src/catalog/search-models.ts';
import { loadSnapshotModels } from '../src/catalog/snapshot.ts';
import type { ModelInfo } from '../src/contracts/model-info.ts';
import { createCatalogRepository, createDatabase } from '../src/storage/index.ts';

function synthetic(snapshot: readonly ModelInfo[], count: number): ModelInfo[] {
  return Array.from({ length: count }, (_, index) => {
    const base = snapshot[index % snapshot.length] ?? snapshot[0];
    if (base === undefined) throw new Error('empty snapshot');
    return { ...base, id: `${base.id}-synthetic-${index}`, name: `${base.name} #${index}` };
  });
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

async function upsertFigures(models: ModelInfo[]): Promise<{ first: number; again: number }> {
  const database = await createDatabase({ databaseUrl: null, dataDir: null });
  try {
    const catalog = createCatalogRepository(database);
    const [, first] = await timed(() =>
      catalog.upsertModels(models, new Date('2026-05-18T00:00:00Z')),
    );
    const [, again] = await timed(() =>
      catalog.upsertModels(models, new Date('2026-05-19T00:00:00Z')),
    );
    return { first, again };
  } finally {
    await database.close();
  }
}

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

const queries: ModelSearchQuery[] = [
  { text: 'claude', sort: 'price' },
  { supports: ['tools'], maxPromptPrice: 1, sort: 'price' },
  { supports: ['vision', 'reasoning'], minContext: 200_000, sort: 'context' },
  { providers: ['openai'], sort: 'newest' },
  { free: true },
  { text: 'coding agent', limit: 100 },
];

/** Runs the catalogue benchmark and prints its figures (also called by bench/run.ts). */
export async function runCatalogBenchmark(): Promise<void> {
  const snapshot = loadSnapshotModels();
  const small = await upsertFigures(snapshot);
  console.log(`356-model snapshot, empty PGlite: ${small.first.toFixed(0)} ms (target < 1000)`);
  console.log(`356-model snapshot, unchanged:    ${small.again.toFixed(0)} ms (target < 500)`);
  const medium = await upsertFigures(synthetic(snapshot, 5_000));
  const large = await upsertFigures(synthetic(snapshot, 20_000));
  console.log(
    `5,000 models:  ${medium.first.toFixed(0)} ms first, ${medium.again.toFixed(0)} ms unchanged`,
  );
  console.log(
    `20,000 models: ${large.first.toFixed(0)} ms first, ${large.again.toFixed(0)} ms unchanged`,
  );
  console.log(
    `per model: ${((medium.first / 5_000) * 1000).toFixed(1)} µs at 5k vs ${((large.first / 20_000) * 1000).toFixed(1)} µs at 20k (linear if close)`,
  );

  const entries: CatalogEntry[] = synthetic(snapshot, 20_000).map((model) => ({
    model,
    status: 'active',
    enabled: true,
    retiredAt: null,
  }));
  const buildStart = performance.now();
  const index = createCatalogEntryIndex(entries);
  const buildMs = performance.now() - buildStart;
  // Warm-up: the first query per sort key sorts that order once (part of the index's cost).
  const warmStart = performance.now();
  for (const query of queries) searchModels(index, query);
  const warmMs = performance.now() - warmStart;
  console.log(
    `index of 20,000 models: built in ${buildMs.toFixed(0)} ms, sort orders in ${warmMs.toFixed(0)} ms (once per catalogue change)`,
  );
  const samples: number[] = [];
  for (let round = 0; round < 50; round += 1)
    for (const query of queries) {
      const start = performance.now();
      searchModels(index, query);
      samples.push(performance.now() - start);
    }
  console.log(
    `search over 20,000 models (${samples.length} queries): p50 ${percentile(samples, 0.5).toFixed(2)} ms, p99 ${percentile(samples, 0.99).toFixed(2)} ms (target < 20)`,
  );
}

// Run directly (`node bench/catalog.ts`), not when imported by bench/run.ts.
if (import.meta.main) await runCatalogBenchmark();
