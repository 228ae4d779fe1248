// directProviderCatalogEntries against the shipped 2026-05 snapshot (what is catalogued) and
// the shipped LiteLLM table (prices and context).
import { describe, expect, it } from 'vitest';
import type { DirectProviderConfig } from '../config/config.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import { directProviderCatalogEntries, isDirectProviderEntry } from './direct-provider-models.ts';
import { loadSnapshotModels } from './snapshot.ts';
import { providerKind } from '../providers/index.ts';

const describeKind = (entry: DirectProviderConfig) => providerKind(entry.kind);

const catalogued = new Set(loadSnapshotModels().map((model) => model.id));
const isCatalogued = (id: string): boolean => catalogued.has(id);

function provider(
  fields: Partial<DirectProviderConfig> & Pick<DirectProviderConfig, 'id' | 'kind'>,
): DirectProviderConfig {
  return {
    apiKey: null,
    baseUrl: 'https://api.example.com/v1',
    models: {},
    serveCatalogue: false,
    headers: {},
    ...fields,
  };
}

describe('directProviderCatalogEntries', () => {
  it('prices an explicit OpenAI mapping OpenRouter does not list from LiteLLM', () => {
    expect(catalogued.has('openai/gpt-4-turbo-2024-04-09')).toBe(false);
    const openai = provider({
      id: 'openai',
      kind: 'openai',
      models: {
        'openai/gpt-4-turbo-2024-04-09': 'gpt-4-turbo-2024-04-09',
        // Listed by OpenRouter (the snapshot has it): OpenRouter's entry stays the one used.
        'openai/gpt-4o-2024-05-13': 'gpt-4o-2024-05-13',
      },
    });
    const entries = directProviderCatalogEntries([openai], isCatalogued, describeKind);
    expect(entries).toEqual([
      {
        id: 'openai/gpt-4-turbo-2024-04-09',
        canonical_slug: 'openai/gpt-4-turbo-2024-04-09',
        name: 'OpenAI: gpt-4-turbo-2024-04-09',
        created: 0,
        description:
          'Served directly by the "openai" provider as "gpt-4-turbo-2024-04-09"; not listed by OpenRouter.',
        context_length: 128000,
        architecture: {
          modality: 'text->text',
          input_modalities: ['text'],
          output_modalities: ['text'],
        },
        pricing: { prompt: '0.00001', completion: '0.00003' },
        top_provider: { context_length: 128000, max_completion_tokens: 4096 },
        per_request_limits: null,
        supported_parameters: [],
        direct_provider: 'openai',
      },
    ]);
    expect(entries.every(isDirectProviderEntry)).toBe(true);
    expect(loadSnapshotModels().some(isDirectProviderEntry)).toBe(false);
  });

  it("marks a custom provider's model LiteLLM does not know as unpriced, never free", () => {
    const local = provider({
      id: 'ollama',
      kind: 'openai-compatible',
      models: { 'ollama/llama3.2': 'llama3.2:3b' },
    });
    const [entry, ...rest] = directProviderCatalogEntries([local], isCatalogued, describeKind);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      id: 'ollama/llama3.2',
      name: 'ollama: llama3.2:3b',
      context_length: null,
      pricing: { prompt: '-1', completion: '-1' },
    });
    const usage = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
    expect(computeCostNanoUsd(usage, entry?.pricing)).toBeNull();
  });

  it('keeps the first provider of a canonical id and reads Gemini names as LiteLLM keys them', () => {
    const google = provider({
      id: 'google',
      kind: 'gemini',
      models: { 'google/gemini-2.5-flash-custom': 'models/gemini-2.5-flash' },
    });
    const custom = provider({
      id: 'proxy',
      kind: 'openai-compatible',
      models: { 'google/gemini-2.5-flash-custom': 'gemini-flash' },
    });
    const entries = directProviderCatalogEntries([google, custom], isCatalogued, describeKind);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      name: 'Google: models/gemini-2.5-flash',
      context_length: 1048576,
      pricing: { prompt: '0.0000003', completion: '0.0000025' },
      direct_provider: 'google',
    });
  });
});
