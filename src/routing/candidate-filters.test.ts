/**
 * Every exclusion reason code, each produced by the request (or policy, or health) that causes
 * it, and the errors a request gets when nothing is left.
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { exclusionCodes, type ExclusionCode } from '../contracts/routing-decision.ts';
import type { RoutePlan } from './route-plan.ts';
import { createRoutingCatalog } from './routing-catalog.ts';
import { plan, testModel, testRoutingContext } from './routing-test-context.ts';

const bare = testModel('acme/bare', { parameters: ['max_tokens'], context: 8000 });
const full = testModel('acme/full', {
  parameters: ['tools', 'tool_choice', 'response_format', 'structured_outputs', 'reasoning'],
  inputs: ['text', 'image', 'file', 'audio', 'video'],
});
const toolsOnly = testModel('acme/tools-only', { parameters: ['tools'] });
const catalog = createRoutingCatalog([bare, full, toolsOnly]);
const direct = {
  id: 'direct',
  nativeModel: (id: string) => (id.startsWith('acme/') ? id.slice(5) : null),
};
const context = testRoutingContext({ catalog, direct: [direct] });

const image = {
  role: 'user' as const,
  content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }],
};
const tool = { type: 'function', function: { name: 'lookup' } };

/** The first exclusion code of the plan for the bare model. */
function codesFor(request: Partial<ChatCompletionRequest>, model = 'acme/bare'): ExclusionCode[] {
  return plan(context, { model, ...request }).decision.excluded.map((entry) => entry.reason_code);
}

const seen = new Set<ExclusionCode>();
function expectCode(planned: RoutePlan, code: ExclusionCode): void {
  expect(planned.decision.excluded.map((entry) => entry.reason_code)).toContain(code);
  expect(planned.decision.excluded_counts[code]).toBeGreaterThan(0);
  seen.add(code);
}

describe('capability requirements of the request', () => {
  const cases: [ExclusionCode, Partial<ChatCompletionRequest>, string][] = [
    ['tools_unsupported', { tools: [tool] }, 'tools'],
    [
      'structured_outputs_unsupported',
      { response_format: { type: 'json_schema', json_schema: {} } },
      'response_format',
    ],
    ['json_mode_unsupported', { response_format: { type: 'json_object' } }, 'response_format'],
    ['reasoning_unsupported', { reasoning: { effort: 'high' } }, 'reasoning'],
    ['image_input_unsupported', { messages: [image] }, 'messages'],
    [
      'audio_input_unsupported',
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages',
    ],
    [
      'video_input_unsupported',
      { messages: [{ role: 'user', content: [{ type: 'video_url', video_url: {} }] }] },
      'messages',
    ],
    ['context_length_exceeded', { max_tokens: 8000 }, 'messages'],
  ];
  it.each(cases)('%s → 400 unsupported_capability naming the field', (code, request, param) => {
    const planned = plan(context, { model: 'acme/bare', ...request });
    expectCode(planned, code);
    expect(planned.failure?.code).toBe('unsupported_capability');
    expect(planned.failure?.param).toBe(param);
    expect(planned.failure?.status).toBe(400);
    expect(planned.decision.error?.code).toBe('unsupported_capability');
    // Every target of the model was excluded for the same reason: direct and default alike.
    expect(planned.decision.excluded.map((entry) => entry.provider)).toEqual([
      'direct',
      'openrouter',
    ]);
    // And the model that has the capability serves it.
    expect(plan(context, { model: 'acme/full', ...request, max_tokens: 100 }).failure).toBeNull();
  });

  it('tool_choice: a forced call needs tool_choice support; "none" needs no tools at all', () => {
    const forced = plan(context, {
      model: 'acme/tools-only',
      tools: [tool],
      tool_choice: 'required',
    });
    expectCode(forced, 'tool_choice_unsupported');
    expect(forced.failure?.param).toBe('tool_choice');
    expect(
      plan(context, { model: 'acme/tools-only', tools: [tool], tool_choice: 'auto' }).failure,
    ).toBeNull();
    expect(
      plan(context, { model: 'acme/bare', tools: [tool], tool_choice: 'none' }).failure,
    ).toBeNull();
  });

  it('file inputs: the default provider parses files for any model, a direct one must accept them', () => {
    const planned = plan(context, {
      model: 'acme/bare',
      messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf' } }] }],
    });
    expectCode(planned, 'file_input_unsupported');
    expect(planned.candidates.map((candidate) => candidate.provider)).toEqual(['openrouter']);
  });

  it('does not hold reasoning switched off, or any requirement, against an uncatalogued model', () => {
    expect(codesFor({ reasoning: { enabled: false } })).toEqual([]);
    expect(codesFor({ reasoning_effort: 'none' })).toEqual([]);
    expect(
      plan(context, { model: 'acme/unknown', tools: [tool], messages: [image] }).failure,
    ).toBeNull();
  });

  it('names the requirement and every candidate with its reason in the error', () => {
    const planned = plan(context, { model: 'acme/bare', tools: [tool] });
    expect(planned.failure?.message).toContain('acme/bare does not support tool calling');
    expect(planned.failure?.toBody().error.metadata).toMatchObject({
      requirements: ['tools'],
      excluded: [
        { model: 'acme/bare', provider: 'direct', reason_code: 'tools_unsupported' },
        { model: 'acme/bare', provider: 'openrouter', reason_code: 'tools_unsupported' },
      ],
    });
  });
});

describe('provider preferences', () => {
  it('provider_ignored, provider_not_in_only, data_policy_unverified', () => {
    expectCode(
      plan(context, { model: 'acme/full', provider: { ignore: ['direct'] } }),
      'provider_ignored',
    );
    expectCode(
      plan(context, { model: 'acme/full', provider: { only: ['openrouter'] } }),
      'provider_not_in_only',
    );
    const deny = plan(context, { model: 'acme/full', provider: { data_collection: 'deny' } });
    expectCode(deny, 'data_policy_unverified');
    expect(deny.candidates.map((candidate) => candidate.provider)).toEqual(['openrouter']);
    expect(deny.decision.requirements).toContain('data_policy');
    expectCode(
      plan(context, { model: 'acme/full', provider: { zdr: true } }),
      'data_policy_unverified',
    );
  });

  it("models_list_needs_default_provider: OpenRouter's models list goes to OpenRouter", () => {
    expectCode(
      plan(context, { model: 'acme/full', models: ['acme/full', 'acme/bare'] }),
      'models_list_needs_default_provider',
    );
  });

  it('not_served_by_default_provider and model_disabled', () => {
    const local = { ...testModel('acme/local'), direct_provider: 'direct' };
    const withLocal = testRoutingContext({
      catalog: createRoutingCatalog([local, full]),
      direct: [direct],
      disabled: ['acme/full'],
      policies: [{ name: 'p', candidates: [{ model: 'acme/full' }, { model: 'acme/local' }] }],
    });
    const planned = plan(withLocal, { model: 'signalbox/p' });
    expectCode(planned, 'model_disabled');
    expectCode(planned, 'not_served_by_default_provider');
    expect(planned.candidates.map((candidate) => [candidate.provider, candidate.model])).toEqual([
      ['direct', 'local'],
    ]);
  });
});

describe('cost cap', () => {
  // 100 prompt tokens (400 characters) at $1/1M + up to 1000 output tokens at $2/1M = $0.0021 worst case.
  const prompt = { role: 'user' as const, content: 'x'.repeat(384) };
  const policies = [
    {
      name: 'capped',
      candidates: [{ model: 'acme/full' }, { model: 'acme/unknown' }],
      max_cost_usd: 0.01,
    },
  ];
  const capped = testRoutingContext({ catalog, policies });

  it('excludes candidates whose worst case is above the header cap (over_cost_cap)', () => {
    const planned = plan(
      context,
      { model: 'acme/full', messages: [prompt], max_tokens: 1000 },
      { maxCostUsd: 0.002 },
    );
    expectCode(planned, 'over_cost_cap');
    expect(planned.failure?.code).toBe('cost_limit_exceeded');
    expect(planned.failure?.message).toContain('acme/full on direct, may cost up to $0.00210');
    expect(planned.failure?.toBody().error.metadata).toMatchObject({
      max_cost_usd: 0.002,
      cheapest: { model: 'acme/full', worst_case_usd: 0.0021 },
    });
    expect(planned.decision.max_cost_usd).toBe(0.002);
    const fits = plan(
      context,
      { model: 'acme/full', messages: [prompt], max_tokens: 1000 },
      { maxCostUsd: 0.0022 },
    );
    expect(fits.failure).toBeNull();
    expect(fits.decision.estimated_cost_usd).toEqual({
      min: 0.0001,
      expected: 0.0011,
      max: 0.0021,
    });
  });

  it("applies the policy's max_cost_usd, the stricter of the two, and refuses unpriced models under a cap (cost_unknown)", () => {
    const planned = plan(capped, {
      model: 'signalbox/capped',
      messages: [prompt],
      max_tokens: 1000,
    });
    expectCode(planned, 'cost_unknown');
    expect(planned.decision.max_cost_usd).toBe(0.01);
    expect(planned.candidates.map((candidate) => candidate.canonicalModel)).toEqual(['acme/full']);
    const stricter = plan(
      capped,
      { model: 'signalbox/capped', messages: [prompt], max_tokens: 1000 },
      { maxCostUsd: 0.001 },
    );
    expect(stricter.failure?.code).toBe('cost_limit_exceeded');
    expect(stricter.failure?.param).toBe('x-signalbox-max-cost-usd');
  });
});

describe('health', () => {
  it('circuit_open and provider_cooldown come from the health signals', () => {
    const cooling = testRoutingContext({
      catalog,
      direct: [direct],
      signals: {
        circuit: (provider, model) =>
          provider === 'direct'
            ? { open: true, retryAtMs: 5_000_000, scope: 'provider' }
            : model === 'acme/full'
              ? { open: true, retryAtMs: 5_000_000, scope: 'model' }
              : { open: false },
        observed: () => undefined,
        published: () => undefined,
      },
      policies: [{ name: 'h', candidates: [{ model: 'acme/full' }, { model: 'acme/bare' }] }],
    });
    const planned = plan(cooling, { model: 'signalbox/h' });
    expectCode(planned, 'provider_cooldown');
    expectCode(planned, 'circuit_open');
    expect(planned.decision.selected_model).toBe('acme/bare');
    expect(planned.decision.selected_provider).toBe('openrouter');
    expect(planned.decision.fallback_models.every((entry) => entry.cooling_down === true)).toBe(
      true,
    );
    expect(planned.candidates).toHaveLength(4);
  });
});

describe('the reason codes', () => {
  it('are each produced by a case above', () => {
    expect([...seen].sort()).toEqual([...exclusionCodes].sort());
  });
});
