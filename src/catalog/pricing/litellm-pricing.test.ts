// LiteLLM's real price table (copied into ../snapshot/) read for native model names, and checked
// against OpenRouter's own prices for the same models in the real 2026-05 snapshot.
import { describe, expect, it } from 'vitest';
import { loadSnapshotModels } from '../snapshot.ts';
import type { ProviderKind } from '../../config/config.ts';
import { providerKind } from '../../providers/index.ts';
import { litellmPricing } from './litellm-pricing.ts';

/** Where each kind's definition says LiteLLM keeps a native name. */
const at = (nativeName: string, kind: ProviderKind) => providerKind(kind).priceTableKey(nativeName);

const snapshot = loadSnapshotModels();

function openRouterPricing(id: string) {
  const model = snapshot.find((candidate) => candidate.id === id);
  if (model === undefined) throw new Error(`${id} is not in the snapshot`);
  return model.pricing;
}

describe('litellmPricing', () => {
  it('prices gpt-4o exactly as OpenRouter does (2.5e-06 / 1e-05 → "0.0000025" / "0.00001")', () => {
    const pricing = litellmPricing(at('gpt-4o', 'openai'));
    expect(pricing).toMatchObject({
      prompt: '0.0000025',
      completion: '0.00001',
      input_cache_read: '0.00000125',
    });
    expect(pricing?.prompt).toBe(openRouterPricing('openai/gpt-4o').prompt);
    expect(pricing?.completion).toBe(openRouterPricing('openai/gpt-4o').completion);
  });

  it('prices claude-sonnet-4-5 with cache and web search as OpenRouter does', () => {
    const pricing = litellmPricing(at('claude-sonnet-4-5', 'anthropic'));
    const openRouter = openRouterPricing('anthropic/claude-sonnet-4.5');
    for (const key of [
      'prompt',
      'completion',
      'input_cache_read',
      'input_cache_write',
      'web_search',
    ])
      expect(pricing?.[key]).toBe(openRouter[key]);
  });

  it("finds Gemini names under gemini/, with or without the API's models/ prefix", () => {
    const pricing = litellmPricing(at('gemini-2.5-flash', 'gemini'));
    const openRouter = openRouterPricing('google/gemini-2.5-flash');
    for (const key of ['prompt', 'completion', 'input_cache_read', 'internal_reasoning', 'audio'])
      expect(pricing?.[key]).toBe(openRouter[key]);
    expect(litellmPricing(at('models/gemini-2.5-flash', 'gemini'))).toEqual(pricing);
  });

  it("is null for unknown names, another provider's entry, and unpriced kinds", () => {
    expect(litellmPricing(at('gpt-nonexistent', 'openai'))).toBeNull();
    // `gemini-2.5-flash` unprefixed is LiteLLM's Vertex AI entry, not OpenAI's.
    expect(litellmPricing(at('gemini-2.5-flash', 'openai'))).toBeNull();
    expect(litellmPricing(at('claude-sonnet-4-5', 'openai'))).toBeNull();
    expect(litellmPricing(at('gpt-4o', 'openai-compatible'))).toBeNull();
  });
});
