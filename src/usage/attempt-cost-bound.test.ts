import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../contracts/model-info.ts';
import { maxAttemptCostNanoUsd } from './attempt-cost-bound.ts';

function model(pricing: ModelInfo['pricing'], topMax: number | null, context: number | null) {
  return {
    id: 'vendor/model',
    name: 'Model',
    created: 0,
    context_length: context,
    architecture: {},
    pricing,
    top_provider: { max_completion_tokens: topMax },
    per_request_limits: null,
    supported_parameters: [],
  } satisfies ModelInfo;
}

// $2.50 and $10 per million tokens: 2 500 and 10 000 nano-USD per token.
const priced = model({ prompt: '0.0000025', completion: '0.00001' }, 16_384, 128_000);
const messages = [{ role: 'user' as const, content: 'hello' }];

describe('maxAttemptCostNanoUsd', () => {
  it('prices every body byte as a prompt token and the completion bound the request allows', () => {
    expect(maxAttemptCostNanoUsd({ messages, max_tokens: 100 }, 1000, priced)).toBe(
      1000n * 2_500n + 100n * 10_000n,
    );
    // max_completion_tokens wins over max_tokens; n choices multiply the completion.
    expect(
      maxAttemptCostNanoUsd(
        { messages, max_tokens: 100, max_completion_tokens: 50, n: 3 },
        0,
        priced,
      ),
    ).toBe(150n * 10_000n);
  });

  it("falls back to the model's largest completion, then its context length", () => {
    expect(maxAttemptCostNanoUsd({ messages }, 10, priced)).toBe(10n * 2_500n + 16_384n * 10_000n);
    const noTop = model(priced.pricing, null, 1000);
    expect(maxAttemptCostNanoUsd({ messages }, 10, noTop)).toBe(10n * 2_500n + 1000n * 10_000n);
    expect(maxAttemptCostNanoUsd({ messages }, 10, model(priced.pricing, null, null))).toBeNull();
  });

  it('measures the serialised request when no body bytes are given', () => {
    const request = { messages, max_tokens: 1 };
    const bytes = Buffer.byteLength(JSON.stringify(request));
    expect(maxAttemptCostNanoUsd(request, null, priced)).toBe(
      maxAttemptCostNanoUsd(request, bytes, priced),
    );
  });

  it('prices completion tokens at the dearer reasoning price when there is one', () => {
    const reasoning = model(
      { prompt: '0', completion: '0.00001', internal_reasoning: '0.00002' },
      10,
      100,
    );
    expect(maxAttemptCostNanoUsd({ messages }, 0, reasoning)).toBe(10n * 20_000n);
  });

  it('is null for an unknown or unpriced model', () => {
    expect(maxAttemptCostNanoUsd({ messages, max_tokens: 5 }, 10, undefined)).toBeNull();
    const router = model({ prompt: '-1', completion: '-1' }, 10, 100);
    expect(maxAttemptCostNanoUsd({ messages, max_tokens: 5 }, 10, router)).toBeNull();
  });
});
