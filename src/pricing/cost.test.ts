import { describe, expect, it } from 'vitest';
import { computeCostNanoUsd, reportedCostNanoUsd } from './cost.ts';
import { parseDecimal, usdToNano } from './decimal.ts';

describe('parseDecimal', () => {
  it('reads plain, long and exponent forms exactly', () => {
    expect(parseDecimal('0.0000025')).toEqual({ numerator: 25n, scale: 7 });
    expect(parseDecimal('1.825e-05')).toEqual({ numerator: 1825n, scale: 8 });
    expect(parseDecimal(1.825e-5)).toEqual({ numerator: 1825n, scale: 8 });
    expect(usdToNano(parseDecimal('0.00000008333333333333334'))).toBe(83n);
    expect(() => parseDecimal('abc')).toThrow(RangeError);
  });
});

describe('computeCostNanoUsd', () => {
  // openai/gpt-4o in the 2026-05 snapshot: prompt 0.0000025, completion 0.00001.
  const gpt4o = { prompt: '0.0000025', completion: '0.00001', input_cache_read: '0.00000125' };

  it('prices prompt and completion tokens exactly', () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 };
    // 1000 × 2.5e-6 + 100 × 1e-5 = 0.0035 USD
    expect(computeCostNanoUsd(usage, gpt4o)).toBe(3_500_000n);
  });

  it('prices cached prompt tokens at the cache-read price', () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 0,
      total_tokens: 1000,
      prompt_tokens_details: { cached_tokens: 400 },
    };
    // 600 × 2.5e-6 + 400 × 1.25e-6 = 0.002
    expect(computeCostNanoUsd(usage, gpt4o)).toBe(2_000_000n);
  });

  it('applies per-prompt-size overrides, later entries winning', () => {
    const pricing = {
      prompt: '0.000001',
      completion: '0.000002',
      overrides: [
        { min_prompt_tokens: 100, prompt: '0.000003' },
        { min_prompt_tokens: 100, completion: '0.000004' },
      ],
    };
    const usage = { prompt_tokens: 200, completion_tokens: 10, total_tokens: 210 };
    expect(computeCostNanoUsd(usage, pricing)).toBe(640_000n);
  });

  it('returns null for an unpriced model, never 0', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
    expect(computeCostNanoUsd(usage, null)).toBeNull();
    // openrouter/auto in the 2026-05 snapshot: the price depends on the model it routes to.
    expect(computeCostNanoUsd(usage, { prompt: '-1', completion: '-1' })).toBeNull();
  });

  it('reads OpenRouter-reported cost exactly', () => {
    expect(
      reportedCostNanoUsd({
        prompt_tokens: 1,
        completion_tokens: 1,
        total_tokens: 2,
        cost: 0.0133176,
      }),
    ).toBe(13_317_600n);
    expect(
      reportedCostNanoUsd({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }),
    ).toBeNull();
  });
});
