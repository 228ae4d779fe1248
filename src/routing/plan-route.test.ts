import { describe, expect, it } from 'vitest';
import { loadSnapshotModels } from '../catalog/snapshot.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import type { ProviderRoute } from './route-plan.ts';
import { createRoutingCatalog } from './routing-catalog.ts';
import { plan, targets, testRoutingContext } from './routing-test-context.ts';

const anthropic: ProviderRoute = {
  id: 'anthropic',
  nativeModel: (id) => (id === 'anthropic/claude-sonnet-4.5' ? 'claude-sonnet-4-5' : null),
};
const local: ProviderRoute = {
  id: 'local',
  nativeModel: (id) => (id.startsWith('anthropic/') ? 'local-model' : null),
};
const context = testRoutingContext({ direct: [anthropic, local] });
const sonnet = { model: 'anthropic/claude-sonnet-4.5' };

describe('planRoute for a plain model id', () => {
  it('tries direct providers first and falls back to OpenRouter for the same model', () => {
    const planned = plan(context, sonnet);
    expect(targets(planned)).toEqual([
      ['anthropic', 'claude-sonnet-4-5'],
      ['local', 'local-model'],
      ['openrouter', 'anthropic/claude-sonnet-4.5'],
    ]);
    expect(planned.failure).toBeNull();
    // anthropic/claude-sonnet-4.5 is priced in the snapshot, so the plan carries an estimate.
    expect(planned.candidates[0]?.estimatedCostNanoUsd).toBeGreaterThan(0n);
    expect(planned.decision).toMatchObject({
      requested_model: 'anthropic/claude-sonnet-4.5',
      selected_model: 'anthropic/claude-sonnet-4.5',
      selected_provider: 'anthropic',
      fallback_models: [
        { model: 'anthropic/claude-sonnet-4.5', provider: 'local' },
        { model: 'anthropic/claude-sonnet-4.5', provider: 'openrouter' },
      ],
      policy: null,
      strategy: 'ordered',
      error: null,
    });
  });

  it('honours provider.only, provider.ignore and provider.order with Signalbox ids', () => {
    expect(targets(plan(context, { ...sonnet, provider: { only: ['openrouter'] } }))).toEqual([
      ['openrouter', 'anthropic/claude-sonnet-4.5'],
    ]);
    const ignored = plan(context, { ...sonnet, provider: { ignore: ['anthropic'] } });
    expect(targets(ignored).map(([provider]) => provider)).toEqual(['local', 'openrouter']);
    expect(ignored.decision.excluded).toEqual([
      {
        model: 'anthropic/claude-sonnet-4.5',
        provider: 'anthropic',
        reason_code: 'provider_ignored',
        reason: 'anthropic is in provider.ignore.',
      },
    ]);
    expect(
      targets(plan(context, { ...sonnet, provider: { order: ['openrouter', 'local'] } })).map(
        ([provider]) => provider,
      ),
    ).toEqual(['openrouter', 'local', 'anthropic']);
  });

  it("leaves an `only` of OpenRouter's own provider slugs to OpenRouter", () => {
    const planned = plan(context, { ...sonnet, provider: { only: ['together', 'deepinfra'] } });
    expect(targets(planned).map(([provider]) => provider)).toEqual(['openrouter']);
    expect(planned.decision.excluded.map((entry) => entry.reason_code)).toEqual([
      'provider_not_in_only',
      'provider_not_in_only',
    ]);
  });

  it('fails with upstream_unavailable when provider preferences leave nobody', () => {
    const planned = plan(context, { ...sonnet, provider: { only: ['local'], ignore: ['local'] } });
    expect(planned.failure?.code).toBe('upstream_unavailable');
    expect(planned.decision.selected_model).toBeNull();
    expect(planned.decision.error?.code).toBe('upstream_unavailable');
  });

  it('sends uncatalogued models and `models` fallback lists to OpenRouter only', () => {
    const unknown = plan(context, { model: 'acme/unknown' });
    expect(targets(unknown)).toEqual([['openrouter', 'acme/unknown']]);
    expect(unknown.decision.estimated_cost_usd).toBeNull();
    expect(unknown.decision.confidence_score).toBe(0.25);
    const listed = plan(context, {
      ...sonnet,
      models: ['anthropic/claude-sonnet-4.5', 'openai/gpt-4o'],
    });
    expect(targets(listed)).toEqual([['openrouter', 'anthropic/claude-sonnet-4.5']]);
    expect(listed.decision.fallback_models).toEqual([
      { model: 'openai/gpt-4o', provider: 'openrouter', by_provider: true },
    ]);
    expect(listed.decision.excluded.map((entry) => [entry.provider, entry.reason_code])).toEqual([
      ['anthropic', 'models_list_needs_default_provider'],
      ['local', 'models_list_needs_default_provider'],
    ]);
    expect(listed.decision.provider_preferences).toEqual({
      models: ['anthropic/claude-sonnet-4.5', 'openai/gpt-4o'],
    });
  });

  it('gives a model only a direct provider serves no OpenRouter fallback', () => {
    const base = loadSnapshotModels().find((model) => model.id === 'openai/gpt-4o');
    const directOnly = { ...base, id: 'acme/local-llama', direct_provider: 'local' } as ModelInfo;
    const planned = plan(
      testRoutingContext({
        direct: [
          { id: 'local', nativeModel: (id) => (id === 'acme/local-llama' ? 'llama' : null) },
        ],
        catalog: createRoutingCatalog([directOnly]),
      }),
      { model: 'acme/local-llama', tools: [{ type: 'function', function: { name: 'f' } }] },
    );
    // Its entry does not describe its capabilities, so tools are not held against it.
    expect(targets(planned)).toEqual([['local', 'llama']]);
    expect(planned.decision.excluded).toEqual([
      {
        model: 'acme/local-llama',
        provider: 'openrouter',
        reason_code: 'not_served_by_default_provider',
        reason: 'acme/local-llama is served only by direct providers.',
      },
    ]);
  });

  it('refuses a model the operator disabled', () => {
    const planned = plan(testRoutingContext({ disabled: ['openai/gpt-4o'] }), {
      model: 'openai/gpt-4o',
    });
    expect(planned.failure?.code).toBe('model_not_found');
  });

  it('prices :nitro and :floor as their base model and describes them', () => {
    const nitro = plan(context, { model: 'openai/gpt-4o:nitro', max_tokens: 100 });
    const base = plan(context, { model: 'openai/gpt-4o', max_tokens: 100 });
    expect(targets(nitro)).toEqual([['openrouter', 'openai/gpt-4o:nitro']]);
    expect(nitro.candidates[0]?.pricingModel).toBe('openai/gpt-4o');
    expect(nitro.decision.estimated_cost_usd).toEqual(base.decision.estimated_cost_usd);
    expect(nitro.decision.reasoning.join(' ')).toContain('":nitro"');
  });
});
