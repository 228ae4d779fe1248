import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { assignVariant, compilePolicy } from './compiled-policy.ts';
import { parsePolicy } from './policy-schema.ts';

/** The example of the issue, verbatim. */
const example = {
  name: 'support',
  description: 'Support answers',
  candidates: [
    { model: 'openai/gpt-4o-mini', providers: ['openai', 'openrouter'] },
    { model: 'anthropic/claude-3.5-haiku' },
  ],
  strategy: 'cheapest',
  cost_weight: 0.5,
  fallbacks: 2,
  ttft_timeout_ms: 5000,
  max_cost_usd: 0.05,
  quality: { 'openai/gpt-4o-mini': 0.7 },
  weights: { 'openai/gpt-4o-mini': 3 },
  variants: [
    { name: 'a', weight: 90 },
    { name: 'b', weight: 10, strategy: 'fastest' },
  ],
};

function rejected(body: unknown): SignalboxError {
  try {
    parsePolicy(body);
  } catch (error) {
    if (error instanceof SignalboxError) return error;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it("accepts the issue's example and a filter policy", () => {
    expect(parsePolicy(example)).toEqual(example);
    const filtered = {
      name: 'cheap-tools',
      filter: {
        supports: ['tools', 'vision', 'structured_outputs', 'reasoning'],
        min_context: 32000,
        max_prompt_usd_per_mtok: 1,
        max_completion_usd_per_mtok: 4,
        providers: ['openrouter'],
        include: ['openai/*'],
        exclude: ['*:free'],
        output_modalities: ['text'],
      },
    };
    expect(parsePolicy(filtered)).toEqual(filtered);
  });

  it('names the bad field', () => {
    expect(rejected({ ...example, strategy: 'random' }).param).toBe('strategy');
    expect(rejected({ ...example, cost_weight: 2 }).param).toBe('cost_weight');
    expect(rejected({ ...example, candidates: [{ model: '' }] }).param).toBe('candidates[0].model');
    expect(rejected({ ...example, name: 'Has Spaces' }).param).toBe('name');
    expect(rejected({ ...example, colour: 'blue' }).message).toContain('colour');
    expect(rejected({ ...example, variants: [{ name: 'a', weight: 1, nmae: 'x' }] }).code).toBe(
      'invalid_request',
    );
  });

  it('needs exactly one of candidates and filter, also after a variant overrides', () => {
    expect(rejected({ name: 'x' }).param).toBe('candidates');
    expect(rejected({ name: 'x', candidates: [{ model: 'a/b' }], filter: {} }).param).toBe(
      'candidates',
    );
    // A variant that switches to a filter drops the base's candidates: valid.
    expect(() =>
      parsePolicy({
        ...example,
        variants: [{ name: 'f', weight: 1, filter: { include: ['a/*'] } }],
      }),
    ).not.toThrow();
  });

  it('refuses duplicate variant names and all-zero weights', () => {
    expect(
      rejected({
        ...example,
        variants: [
          { name: 'a', weight: 1 },
          { name: 'a', weight: 1 },
        ],
      }).param,
    ).toBe('variants[1].name');
    expect(rejected({ ...example, variants: [{ name: 'a', weight: 0 }] }).param).toBe('variants');
  });
});

describe('variants', () => {
  const policy = compilePolicy({ name: 'support', version: 3, policy: parsePolicy(example) });

  it('override the fields they name and inherit the rest', () => {
    const [a, b] = policy.variants;
    expect(a?.settings).toMatchObject({ strategy: 'cheapest', fallbacks: 2, maxCostUsd: 0.05 });
    expect(b?.settings).toMatchObject({ strategy: 'fastest', fallbacks: 2, maxCostUsd: 0.05 });
  });

  it('are assigned stickily by key and split by weight', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index += 1) {
      const key = `user:${index}`;
      const variant = assignVariant(policy, key).name ?? '';
      expect(assignVariant(policy, key).name).toBe(variant);
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    expect(Math.abs((counts.get('b') ?? 0) - 1000)).toBeLessThan(150);
    // A new version with the same weights keeps everyone where they were.
    const edited = compilePolicy({
      name: 'support',
      version: 4,
      policy: parsePolicy({ ...example, description: 'edited' }),
    });
    for (let index = 0; index < 100; index += 1)
      expect(assignVariant(edited, `user:${index}`).name).toBe(
        assignVariant(policy, `user:${index}`).name,
      );
  });
});
