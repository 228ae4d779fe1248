/** The decision's shape, its confidence and its header summary. */
import { describe, expect, it } from 'vitest';
import {
  compactRoutingDecision,
  expandRoutingDecision,
  type RoutingDecision,
} from '../contracts/routing-decision.ts';
import { routeHeader } from './route-header.ts';
import type { RoutingSignals } from './route-signals.ts';
import { createRoutingCatalog } from './routing-catalog.ts';
import { plan, testModel, testRoutingContext } from './routing-test-context.ts';

const catalog = createRoutingCatalog([
  testModel('acme/a', { prompt: 1, completion: 2 }),
  testModel('acme/b', { prompt: 1.05, completion: 2.1 }),
  testModel('acme/c', { prompt: 10, completion: 20 }),
]);
const policies = [
  { name: 'cheap', candidates: [{ model: 'acme/c' }, { model: 'acme/a' }], strategy: 'cheapest' },
  {
    name: 'close',
    candidates: [{ model: 'acme/a' }, { model: 'acme/b' }],
    strategy: 'cheapest',
  },
  {
    name: 'split',
    candidates: [{ model: 'acme/a' }],
    variants: [
      { name: 'x', weight: 1 },
      { name: 'y', weight: 1 },
    ],
  },
];
const context = testRoutingContext({ catalog, policies });

function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const entry of value) keysOf(entry, out);
  else if (typeof value === 'object' && value !== null)
    for (const [key, entry] of Object.entries(value)) {
      out.push(key);
      // provider_preferences holds the client's own fields as given.
      if (key !== 'provider_preferences') keysOf(entry, out);
    }
  return out;
}

describe('the routing decision', () => {
  it('has the documented fields, all snake_case', () => {
    const decision = plan(context, { model: 'signalbox/cheap', max_tokens: 100 }).decision;
    expect(Object.keys(decision).sort()).toEqual(
      [
        'requested_model',
        'selected_model',
        'selected_provider',
        'fallback_models',
        'reasoning',
        'estimated_cost_usd',
        'estimated_latency_ms',
        'confidence_score',
        'policy',
        'strategy',
        'requirements',
        'max_cost_usd',
        'provider_preferences',
        'candidates',
        'candidates_considered',
        'excluded',
        'excluded_counts',
        'error',
        'decided_in_us',
      ].sort(),
    );
    for (const key of keysOf(decision)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(decision).toMatchObject({
      requested_model: 'signalbox/cheap',
      selected_model: 'acme/a',
      selected_provider: 'openrouter',
      fallback_models: [{ model: 'acme/c', provider: 'openrouter' }],
      policy: { name: 'cheap', version: 1, variant: null },
      strategy: 'cheapest',
      estimated_latency_ms: { ttft: null, total: null },
      candidates_considered: 2,
    });
    expect(decision.estimated_cost_usd?.min).toBeLessThan(decision.estimated_cost_usd?.max ?? 0);
    expect(decision.candidates[0]).toMatchObject({ model: 'acme/a', rank: 1, scores: { cost: 1 } });
    expect(decision.reasoning.length).toBeGreaterThan(1);
    expect(Number.isInteger(decision.decided_in_us)).toBe(true);
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision);
  });

  it('is less confident when the runner-up is close and more with observed data', () => {
    const clear = plan(context, { model: 'signalbox/cheap' }).decision.confidence_score;
    const close = plan(context, { model: 'signalbox/close' }).decision.confidence_score;
    expect(close).toBeLessThan(clear);
    const observed: RoutingSignals = {
      circuit: () => ({ open: false }),
      observed: () => ({ latencyMs: 500, ttftMs: 200, requests: 40, errorRate: 0 }),
      published: () => undefined,
    };
    const backed = plan(testRoutingContext({ catalog, policies, signals: observed }), {
      model: 'signalbox/cheap',
    }).decision.confidence_score;
    expect(backed).toBeGreaterThan(clear);
    expect(backed).toBeLessThanOrEqual(1);
    // Catalogued, cost known, no latency, decided clearly (cost score ratio 0.1): 0.625 × 0.95.
    expect(clear).toBeCloseTo(0.625 * (0.5 + 0.5 * 0.9), 2);
  });
});

describe('the stored form', () => {
  it('leaves out empty fields and expands back to the same decision', () => {
    const decisions = [
      plan(context, { model: 'acme/a' }).decision,
      plan(context, { model: 'signalbox/cheap', provider: { sort: 'price' } }).decision,
      plan(context, { model: 'signalbox/split', user: 'u' }).decision,
      plan(context, { model: 'signalbox/cheap' }, { maxCostUsd: 1e-9 }).decision,
      plan(context, { model: 'signalbox/none' }).decision,
    ];
    for (const decision of decisions) {
      const stored = compactRoutingDecision(decision);
      expect(expandRoutingDecision(JSON.parse(JSON.stringify(stored)) as typeof stored)).toEqual(
        decision,
      );
      for (const value of Object.values(stored)) expect(value).not.toBeNull();
    }
    const plain = JSON.stringify(compactRoutingDecision(decisions[0] as RoutingDecision)).length;
    expect(plain).toBeLessThan(0.7 * JSON.stringify(decisions[0]).length);
  });
});

describe('x-signalbox-route', () => {
  it('summarises policy, variant, model and provider; a fallback that served says so', () => {
    const plain = plan(context, { model: 'acme/a' }).decision;
    expect(routeHeader(plain)).toBe('model=acme/a; provider=openrouter');
    const policy = plan(context, { model: 'signalbox/cheap' }).decision;
    expect(routeHeader(policy)).toBe('policy=cheap@1; model=acme/a; provider=openrouter');
    const split = plan(context, { model: 'signalbox/split', user: 'someone' }).decision;
    expect(routeHeader(split)).toMatch(
      /^policy=split@1; variant=[xy]; model=acme\/a; provider=openrouter$/,
    );
    expect(routeHeader(policy, { model: 'acme/c', provider: 'openrouter', position: 1 })).toBe(
      'policy=cheap@1; model=acme/c; provider=openrouter; fallback=1',
    );
    expect(routeHeader(plan(context, { model: 'ac\nme/é' }).decision)).toBe(
      'model=ac?me/?; provider=openrouter',
    );
  });
});
