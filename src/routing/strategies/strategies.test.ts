/** Every strategy, through planRoute with a policy over synthetic models and injected signals. */
import { describe, expect, it } from 'vitest';
import type { ObservedStats, PublishedLatency, RoutingSignals } from '../route-signals.ts';
import { createRoutingCatalog } from '../routing-catalog.ts';
import { plan, testModel, testRoutingContext } from '../routing-test-context.ts';

// cheap: $0.1/$0.2 per 1M; mid: $1/$2; dear: $10/$20; free-ish: unpriced.
const catalog = createRoutingCatalog([
  testModel('acme/cheap', { prompt: 0.1, completion: 0.2 }),
  testModel('acme/mid', { prompt: 1, completion: 2 }),
  testModel('acme/dear', { prompt: 10, completion: 20 }),
  testModel('acme/unpriced', { prompt: null, completion: null }),
]);

function signals(
  observed: Record<string, Partial<ObservedStats>> = {},
  published: Record<string, PublishedLatency> = {},
  open: Record<string, 'model' | 'provider'> = {},
): RoutingSignals {
  return {
    circuit: (provider, model) => {
      const scope = open[`${provider}/${model}`] ?? open[provider];
      return scope === undefined ? { open: false } : { open: true, retryAtMs: 2_000_000, scope };
    },
    observed: (_provider, model) => {
      const stats = observed[model];
      return stats === undefined
        ? undefined
        : { latencyMs: null, ttftMs: null, requests: 25, errorRate: 0, ...stats };
    },
    published: (model) => published[model],
  };
}

function policy(fields: Record<string, unknown>, models = ['acme/dear', 'acme/mid', 'acme/cheap']) {
  return {
    name: 'test',
    candidates: models.map((model) => ({ model })),
    ...fields,
  };
}

function ranking(fields: Record<string, unknown>, routingSignals?: RoutingSignals, stream = false) {
  const context = testRoutingContext({
    catalog,
    policies: [policy(fields)],
    ...(routingSignals === undefined ? {} : { signals: routingSignals }),
  });
  const planned = plan(context, { model: 'signalbox/test' }, { stream });
  expect(planned.failure).toBeNull();
  return planned;
}

function models(planned: ReturnType<typeof ranking>): string[] {
  return planned.candidates.map((candidate) => candidate.canonicalModel);
}

describe('ordered', () => {
  it('keeps the listed order and skips an open circuit, with that reason', () => {
    expect(models(ranking({ strategy: 'ordered' }))).toEqual([
      'acme/dear',
      'acme/mid',
      'acme/cheap',
    ]);
    const planned = ranking(
      { strategy: 'ordered' },
      signals({}, {}, { 'openrouter/acme/dear': 'model' }),
    );
    // The cooling one stays only as a last resort, after every healthy one.
    expect(models(planned)).toEqual(['acme/mid', 'acme/cheap', 'acme/dear']);
    expect(planned.decision.fallback_models.at(-1)).toEqual({
      model: 'acme/dear',
      provider: 'openrouter',
      cooling_down: true,
    });
    expect(planned.decision.candidates.map((candidate) => candidate.model)).toEqual([
      'acme/mid',
      'acme/cheap',
    ]);
    expect(planned.decision.excluded[0]).toMatchObject({
      model: 'acme/dear',
      reason_code: 'circuit_open',
    });
  });

  it('keeps every candidate when all are cooling down (the attempt loop picks the first to reopen)', () => {
    const planned = ranking({ strategy: 'ordered' }, signals({}, {}, { openrouter: 'provider' }));
    expect(models(planned)).toEqual(['acme/dear', 'acme/mid', 'acme/cheap']);
    expect(planned.decision.reasoning.join(' ')).toContain('Every candidate is cooling down');
  });
});

describe('cheapest', () => {
  it('ranks by the expected cost of this request, unpriced last', () => {
    const context = testRoutingContext({
      catalog,
      policies: [
        policy({ strategy: 'cheapest' }, ['acme/unpriced', 'acme/dear', 'acme/cheap', 'acme/mid']),
      ],
    });
    const planned = plan(context, { model: 'signalbox/test' });
    expect(models(planned)).toEqual(['acme/cheap', 'acme/mid', 'acme/dear', 'acme/unpriced']);
    const [cheap, mid] = planned.decision.candidates;
    expect(cheap?.scores.cost).toBe(1);
    // About ten times the price: about a tenth of the score (the 1 µUSD floor aside).
    expect(mid?.scores.cost).toBeGreaterThan(0.09);
    expect(mid?.scores.cost).toBeLessThan(0.11);
    expect(planned.decision.candidates[3]?.scores.cost).toBeNull();
  });
});

describe('fastest', () => {
  it('ranks by observed latency (JSON) or time to first token (streams)', () => {
    const observed = signals({
      'acme/dear': { latencyMs: 400, ttftMs: 300 },
      'acme/mid': { latencyMs: 900, ttftMs: 100 },
      'acme/cheap': { latencyMs: 2000, ttftMs: 500 },
    });
    expect(models(ranking({ strategy: 'fastest' }, observed))).toEqual([
      'acme/dear',
      'acme/mid',
      'acme/cheap',
    ]);
    const streamed = ranking({ strategy: 'fastest' }, observed, true);
    expect(models(streamed)).toEqual(['acme/mid', 'acme/dear', 'acme/cheap']);
    expect(streamed.decision.candidates[0]).toMatchObject({
      latency_source: 'observed',
      estimated_latency_ms: { ttft: 100, total: 900 },
    });
  });

  it("falls back to OpenRouter's published latency, then to cost for the unmeasured", () => {
    const planned = ranking(
      { strategy: 'fastest' },
      signals(
        { 'acme/mid': { latencyMs: 3000, ttftMs: 800 } },
        { 'acme/dear': { ttftMs: 200, tokensPerSecond: 100 } },
      ),
    );
    // dear: published 200 ms + 500 tokens at 100/s = 5200 ms total; mid observed 3000 ms; cheap unmeasured.
    expect(models(planned)).toEqual(['acme/mid', 'acme/dear', 'acme/cheap']);
    expect(planned.decision.candidates[1]).toMatchObject({
      model: 'acme/dear',
      latency_source: 'published',
      estimated_latency_ms: { ttft: 200, total: 5200 },
    });
    expect(planned.decision.candidates[2]?.latency_source).toBeNull();
  });
});

describe('balanced', () => {
  const observed = signals({
    'acme/dear': { latencyMs: 200 },
    'acme/mid': { latencyMs: 600 },
    'acme/cheap': { latencyMs: 4000 },
  });

  it('follows cost_weight from pure performance to pure cost', () => {
    expect(models(ranking({ strategy: 'balanced', cost_weight: 0 }, observed))[0]).toBe(
      'acme/dear',
    );
    expect(models(ranking({ strategy: 'balanced', cost_weight: 1 }, observed))[0]).toBe(
      'acme/cheap',
    );
    // cost 0.5: mid scores 0.5·0.1 + 0.5·0.38 ≈ 0.24, dear 0.5·0.01 + 0.5·1 ≈ 0.5, cheap 0.5 + 0.5·0.06 ≈ 0.53.
    const half = ranking({ strategy: 'balanced', cost_weight: 0.5 }, observed);
    expect(models(half)).toEqual(['acme/cheap', 'acme/dear', 'acme/mid']);
    const [first] = half.decision.candidates;
    expect(first?.scores.total).toBeCloseTo(0.5 * 1 + 0.5 * ((200 + 50) / (4000 + 50)), 3);
  });

  it('treats a candidate without latency data as average, not as best or worst', () => {
    const planned = ranking(
      { strategy: 'balanced', cost_weight: 0.5 },
      signals({ 'acme/dear': { latencyMs: 200 }, 'acme/mid': { latencyMs: 600 } }),
    );
    const cheap = planned.decision.candidates.find((candidate) => candidate.model === 'acme/cheap');
    const mean = (1 + 250 / 650) / 2;
    expect(cheap?.scores.total).toBeCloseTo(0.5 * 1 + 0.5 * mean, 3);
  });
});

describe('quality', () => {
  it('ranks by the given scores, unscored last, ties broken by cost', () => {
    const planned = ranking({
      strategy: 'quality',
      quality: { 'acme/dear': 0.8, 'acme/mid': 0.8 },
    });
    expect(models(planned)).toEqual(['acme/mid', 'acme/dear', 'acme/cheap']);
    expect(planned.decision.candidates.map((candidate) => candidate.scores.quality)).toEqual([
      0.8,
      0.8,
      null,
    ]);
  });
});

describe('weighted', () => {
  const context = testRoutingContext({
    catalog,
    policies: [
      policy({ strategy: 'weighted', weights: { 'acme/dear': 1, 'acme/mid': 3, 'acme/cheap': 0 } }),
    ],
  });

  it('spreads distinct requests by weight and never picks a zero weight first', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 4000; index += 1) {
      const planned = plan(context, {
        model: 'signalbox/test',
        messages: [{ role: 'user', content: `request number ${index}` }],
      });
      const first = planned.decision.selected_model ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.get('acme/cheap')).toBeUndefined();
    // 3:1 → 3,000 vs 1,000 expected; ±10 % is far outside chance for 4,000 draws.
    expect(Math.abs((counts.get('acme/mid') ?? 0) - 3000)).toBeLessThan(300);
    expect(Math.abs((counts.get('acme/dear') ?? 0) - 1000)).toBeLessThan(300);
  });

  it('gives the same request the same order every time (explain predicts it)', () => {
    const request = {
      model: 'signalbox/test',
      messages: [{ role: 'user' as const, content: 'same' }],
    };
    const first = models(plan(context, request));
    for (let index = 0; index < 20; index += 1)
      expect(models(plan(context, request))).toEqual(first);
    expect(plan(context, request).decision.candidates[0]?.scores.weight).toBeGreaterThan(0);
  });
});
