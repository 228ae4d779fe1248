import { describe, expect, it } from 'vitest';
import { loadSnapshotModels } from '../catalog/snapshot.ts';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { planRoute, type ProviderRoute } from './plan-route.ts';

const models = new Map(loadSnapshotModels().map((model) => [model.id, model]));
const anthropic: ProviderRoute = {
  id: 'anthropic',
  nativeModel: (id) => (id === 'anthropic/claude-sonnet-4.5' ? 'claude-sonnet-4-5' : null),
};
const local: ProviderRoute = {
  id: 'local',
  nativeModel: (id) => (id.startsWith('anthropic/') ? 'local-model' : null),
};
const context = {
  defaultProvider: 'openrouter',
  directProviders: [anthropic, local],
  lookupModel: (id: string) => models.get(id),
};

function plan(extra: Partial<ChatCompletionRequest>) {
  return planRoute(
    {
      model: 'anthropic/claude-sonnet-4.5',
      messages: [{ role: 'user', content: 'hello' }],
      ...extra,
    },
    context,
  );
}

describe('planRoute', () => {
  it('tries direct providers first and falls back to OpenRouter for the same model', () => {
    const decision = plan({});
    expect(decision.candidates.map((candidate) => [candidate.provider, candidate.model])).toEqual([
      ['anthropic', 'claude-sonnet-4-5'],
      ['local', 'local-model'],
      ['openrouter', 'anthropic/claude-sonnet-4.5'],
    ]);
    expect(decision.catalogued).toBe(true);
    // anthropic/claude-sonnet-4.5 is priced in the snapshot, so the plan carries an estimate.
    expect(decision.candidates[0]?.estimatedCostNanoUsd).toBeGreaterThan(0n);
  });

  it('honours provider.only, provider.ignore and provider.order with Signalbox ids', () => {
    expect(plan({ provider: { only: ['openrouter'] } }).candidates.map((c) => c.provider)).toEqual([
      'openrouter',
    ]);
    const ignored = plan({ provider: { ignore: ['anthropic'] } });
    expect(ignored.candidates.map((c) => c.provider)).toEqual(['local', 'openrouter']);
    expect(ignored.filteredOut).toEqual([
      { provider: 'anthropic', model: 'claude-sonnet-4-5', reason: 'excluded by provider.ignore' },
    ]);
    expect(
      plan({ provider: { order: ['openrouter', 'local'] } }).candidates.map((c) => c.provider),
    ).toEqual(['openrouter', 'local', 'anthropic']);
  });

  it("leaves an `only` of OpenRouter's own provider slugs to OpenRouter", () => {
    expect(
      plan({ provider: { only: ['together', 'deepinfra'] } }).candidates.map((c) => c.provider),
    ).toEqual(['openrouter']);
  });

  it('sends uncatalogued models and `models` fallback lists to OpenRouter only', () => {
    expect(
      planRoute(
        { model: 'acme/unknown', messages: [{ role: 'user', content: 'x' }] },
        context,
      ).candidates.map((c) => c.provider),
    ).toEqual(['openrouter']);
    expect(
      plan({ models: ['anthropic/claude-sonnet-4.5', 'openai/gpt-4o'] }).candidates.map(
        (c) => c.provider,
      ),
    ).toEqual(['openrouter']);
  });

  it('gives a model only a direct provider serves no OpenRouter fallback', () => {
    const directOnly = {
      ...models.get('openai/gpt-4o'),
      id: 'acme/local-llama',
      direct_provider: 'local',
    };
    const decision = planRoute(
      { model: 'acme/local-llama', messages: [{ role: 'user', content: 'x' }] },
      {
        defaultProvider: 'openrouter',
        directProviders: [
          { id: 'local', nativeModel: (id) => (id === 'acme/local-llama' ? 'llama' : null) },
        ],
        lookupModel: (id) => (id === 'acme/local-llama' ? (directOnly as ModelInfo) : undefined),
      },
    );
    expect(decision.candidates.map((candidate) => candidate.provider)).toEqual(['local']);
    expect(decision.filteredOut).toEqual([
      {
        provider: 'openrouter',
        model: 'acme/local-llama',
        reason: 'not served by the default provider',
      },
    ]);
  });
});
