// Parsing, search, compare and recommend on the REAL OpenRouter /models snapshots
// (snapshot/ and __fixtures__/); every assertion follows from the data itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import { pricePerMillionUsd, type CatalogEntry } from './catalog-entry.ts';
import { compareModels } from './compare-models.ts';
import { parseModelsResponse } from './parse-models.ts';
import { recommendModels } from './recommend-models.ts';
import { searchModels } from './search-models.ts';
import { loadSnapshotModels } from './snapshot.ts';

const models = loadSnapshotModels();
const entries: CatalogEntry[] = models.map((model) => ({
  model,
  status: 'active',
  enabled: true,
  retiredAt: null,
}));
const olderBody = JSON.parse(
  readFileSync(
    new URL('./__fixtures__/models-snapshot-2025-07-tools-only.json', import.meta.url),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };

function byId(id: string): CatalogEntry {
  const entry = entries.find((candidate) => candidate.model.id === id);
  if (entry === undefined) throw new Error(`${id} is not in the snapshot`);
  return entry;
}

function allPages(query: Parameters<typeof searchModels>[1]): CatalogEntry[] {
  const found: CatalogEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = searchModels(entries, { ...query, cursor });
    found.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return found;
}

describe('parseModelsResponse on both /models formats', () => {
  it('reads all 356 models of the 2026 format', () => {
    expect(models).toHaveLength(356);
    expect(models.every((model) => typeof model.canonical_slug === 'string')).toBe(true);
  });

  it('reads all 151 models of the 2025-07 format, zero prices kept as spelled out', () => {
    const older = parseModelsResponse(olderBody);
    expect(older).toHaveLength(olderBody.data.length);
    expect(older).toHaveLength(151);
    expect(older.every((model) => model.supported_parameters.includes('tools'))).toBe(true);
    const free = older.find(
      (model) => model.id === 'mistralai/mistral-small-3.2-24b-instruct:free',
    );
    expect(free?.pricing).toMatchObject({
      prompt: '0',
      completion: '0',
      request: '0',
      web_search: '0',
    });
    const usage = { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 };
    expect(computeCostNanoUsd(usage, free?.pricing)).toBe(0n);
  });
});

describe('searchModels on the 2026 snapshot', () => {
  it('--supports tools --max-price 1 --sort price: every result fits, in price order', () => {
    const found = allPages({ supports: ['tools'], maxPromptPrice: 1, sort: 'price', limit: 37 });
    const expected = models.filter(
      (model) =>
        model.supported_parameters.includes('tools') &&
        Number(model.pricing.prompt) >= 0 &&
        Number(model.pricing.prompt) <= 0.000001,
    );
    expect(found.map((entry) => entry.model.id).sort()).toEqual(
      expected.map((model) => model.id).sort(),
    );
    const prices = found.map(
      (entry) => pricePerMillionUsd(entry.model.pricing, 'prompt') ?? Infinity,
    );
    expect(prices).toEqual([...prices].sort((left, right) => left - right));
  });

  it('filters by modality, capability, context, provider and free', () => {
    const vision = allPages({
      supports: ['vision', 'reasoning'],
      outputModality: 'text',
      minContext: 200_000,
    });
    expect(vision.length).toBeGreaterThan(0);
    for (const { model } of vision) {
      expect(model.architecture.input_modalities).toContain('image');
      expect(model.supported_parameters).toContain('reasoning');
      expect(model.context_length).toBeGreaterThanOrEqual(200_000);
    }
    const free = allPages({ free: true });
    expect(free).toHaveLength(
      models.filter(
        (model) =>
          model.id.endsWith(':free') ||
          (Number(model.pricing.prompt) === 0 && Number(model.pricing.completion) === 0),
      ).length,
    );
    const openai = allPages({ providers: ['openai'] });
    expect(openai.length).toBe(models.filter((model) => model.id.startsWith('openai/')).length);
  });

  it('finds words in id, name or description, sorts by context and newest', () => {
    const found = allPages({ text: 'Claude opus', sort: 'context' });
    expect(found.length).toBeGreaterThan(0);
    for (const { model } of found)
      expect(`${model.id} ${model.name} ${model.description ?? ''}`.toLowerCase()).toMatch(
        /claude[\s\S]*|opus/,
      );
    const contexts = found.map((entry) => entry.model.context_length ?? 0);
    expect(contexts).toEqual([...contexts].sort((left, right) => right - left));
    const newest = searchModels(entries, { sort: 'newest', limit: 5 }).data[0]?.model;
    expect(newest?.created).toBe(Math.max(...models.map((model) => model.created)));
  });

  it('pages through everything exactly once and separates retired and disabled', () => {
    const mixed = entries.map((entry, index) => ({
      ...entry,
      status: index % 3 === 0 ? ('retired' as const) : ('active' as const),
      enabled: index % 2 === 0,
    }));
    const retired = searchModels(mixed, { retired: true, limit: 500 }).data;
    expect(retired.every((entry) => entry.status === 'retired')).toBe(true);
    expect(retired).toHaveLength(Math.ceil(356 / 3));
    expect(searchModels(mixed, { enabled: false, limit: 500 }).total).toBe(178);
    const ids = allPages({ limit: 50 }).map((entry) => entry.model.id);
    expect(new Set(ids).size).toBe(356);
    expect(() => searchModels(entries, { cursor: 'garbage' })).toThrow(SignalboxError);
    expect(() => searchModels(entries, { limit: 0 })).toThrow(SignalboxError);
  });
});

describe('compareModels', () => {
  it('prices a workload per day exactly with the pricing module', () => {
    const compared = [
      byId('openai/gpt-4o'),
      byId('anthropic/claude-sonnet-4.5'),
      byId('google/gemini-2.5-flash'),
    ];
    const workload = { promptTokens: 2000, completionTokens: 500, requestsPerDay: 10_000 };
    const result = compareModels(compared, workload);
    expect(result.models.map((model) => model.id)).toEqual(compared.map((entry) => entry.model.id));
    for (const [index, row] of result.models.entries()) {
      const pricing = compared[index]?.model.pricing;
      const one = computeCostNanoUsd(
        { prompt_tokens: 2000, completion_tokens: 500, total_tokens: 2500 },
        pricing,
      );
      expect(row.costPerDayNanoUsd).toBe((one ?? 0n) * 10_000n);
      expect(row.capabilities.tools).toBe(
        compared[index]?.model.supported_parameters.includes('tools'),
      );
    }
    const cheapest = [...result.models].sort((left, right) =>
      Number((left.costPerDayNanoUsd ?? 0n) - (right.costPerDayNanoUsd ?? 0n)),
    )[0];
    expect(result.cheapest).toBe(cheapest?.id);
  });

  it('refuses fewer than 2 or more than 6 models', () => {
    const workload = { promptTokens: 1, completionTokens: 1, requestsPerDay: 1 };
    expect(() => compareModels(entries.slice(0, 1), workload)).toThrow(SignalboxError);
    expect(() => compareModels(entries.slice(0, 7), workload)).toThrow(SignalboxError);
  });
});

describe('recommendModels', () => {
  it('returns only models meeting a 1,000,000-token context and tools, cheapest first', () => {
    const result = recommendModels(entries, {
      capabilities: ['tools'],
      minContext: 1_000_000,
      limit: 10,
    });
    expect(result.models.length).toBeGreaterThan(0);
    for (const ranked of result.models) {
      const model = byId(ranked.id).model;
      expect(model.context_length).toBeGreaterThanOrEqual(1_000_000);
      expect(model.supported_parameters).toContain('tools');
      expect(ranked.reason).toMatch(new RegExp(`^#${ranked.rank} by cost`));
    }
    const costs = result.models.map((ranked) => ranked.costPer1kRequestsNanoUsd);
    expect(costs).toEqual([...costs].sort((left, right) => Number(left - right)));
    expect(result.excluded.length).toBeGreaterThan(0);
    for (const excluded of result.excluded) expect(excluded.reasons.length).toBeGreaterThan(0);
  });

  it('keeps to the budget and excludes what is over it, saying so', () => {
    const result = recommendModels(entries, {
      budgetPer1kRequestsUsd: 0.5,
      promptTokens: 1000,
      completionTokens: 500,
    });
    for (const ranked of result.models)
      expect(Number(ranked.costPer1kRequestsNanoUsd) / 1e9).toBeLessThanOrEqual(0.5);
    const freeOnly = recommendModels(entries, { budgetPer1kRequestsUsd: 0, limit: 50 });
    expect(freeOnly.models.length).toBeGreaterThan(0);
    for (const ranked of freeOnly.models) expect(ranked.costPer1kRequestsNanoUsd).toBe(0n);
    for (const excluded of freeOnly.excluded)
      expect(excluded.reasons).toEqual([expect.stringMatching(/over the \$0 budget$/)]);
  });

  it('ranks by observed latency for speed, excluding disabled and retired models', () => {
    const [first, second, third] = entries;
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('empty');
    const latencies = new Map([
      [first.model.id, 900],
      [second.model.id, 100],
    ]);
    const candidates = [first, second, { ...third, enabled: false }];
    const result = recommendModels(candidates, { preference: 'speed' }, latencies);
    expect(result.models.map((ranked) => ranked.id)).toEqual([second.model.id, first.model.id]);
    expect(result.excluded).toEqual([
      { id: third.model.id, name: third.model.name, reasons: ['disabled by an operator'] },
    ]);
  });
});
