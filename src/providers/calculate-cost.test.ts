import { describe, expect, it } from 'vitest';
import { loadSnapshotModels } from '../catalog/snapshot.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import {
  createAnthropicAdapter,
  createCustomProviderAdapter,
  createGeminiAdapter,
  createOpenAIAdapter,
  createOpenRouterProvider,
} from './index.ts';

const timeouts = { connectMs: 1000, firstByteMs: 1000, idleMs: 1000, totalMs: 1000 };
const adapters = [
  createOpenRouterProvider({ apiKey: 'sk-or-v1-cost-test-000000000' }),
  createOpenAIAdapter({ apiKey: 'sk-test', timeouts }),
  createAnthropicAdapter({ apiKey: 'sk-ant-test', timeouts }),
  createGeminiAdapter({ apiKey: 'g-test', timeouts }),
  createCustomProviderAdapter({ id: 'local', baseUrl: 'http://127.0.0.1:9/v1', timeouts }),
];
const sonnet = loadSnapshotModels().find((model) => model.id === 'anthropic/claude-sonnet-4.5');

describe('ProviderAdapter.calculateCost', () => {
  it.each(adapters.map((adapter) => [adapter.id, adapter] as const))(
    '%s prices usage through the shared pricing module',
    (_id, adapter) => {
      const usage = {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 200 },
      };
      const expected = computeCostNanoUsd(usage, sonnet?.pricing);
      expect(expected).toBeGreaterThan(0n);
      expect(adapter.calculateCost(usage, sonnet?.pricing ?? null)).toBe(expected);
      expect(adapter.calculateCost(usage, null)).toBeNull();
    },
  );
});
