import { describe, expect, it } from 'vitest';
import type { ModelPricing } from '../contracts/model-info.ts';
import { createPriceHistory, NO_PRICE_HISTORY, type ModelPriceVersion } from './price-history.ts';

const price = (prompt: string): ModelPricing => ({ prompt, completion: prompt });
const version = (modelId: string, at: string, prompt: string): ModelPriceVersion => ({
  modelId,
  pricing: price(prompt),
  effectiveFrom: new Date(at),
});

describe('price history', () => {
  const history = createPriceHistory([
    // Out of order on purpose: the history sorts.
    version('acme/a', '2026-03-01T00:00:00Z', '0.000003'),
    version('acme/a', '2026-01-01T00:00:00Z', '0.000001'),
    version('acme/a', '2026-02-01T00:00:00Z', '0.000002'),
    version('acme/b', '2026-02-15T00:00:00Z', '0.000009'),
  ]);
  const at = (model: string, time: string) => history.at(model, Date.parse(time))?.prompt;

  it('answers the version whose effective_from is the latest not after the time', () => {
    expect(at('acme/a', '2026-01-15T00:00:00Z')).toBe('0.000001');
    expect(at('acme/a', '2026-02-01T00:00:00Z')).toBe('0.000002');
    expect(at('acme/a', '2026-02-28T23:59:59Z')).toBe('0.000002');
    expect(at('acme/a', '2027-01-01T00:00:00Z')).toBe('0.000003');
    expect(at('acme/b', '2026-06-01T00:00:00Z')).toBe('0.000009');
  });

  it('answers the first version before it, and nothing for an unknown model', () => {
    expect(at('acme/a', '2025-01-01T00:00:00Z')).toBe('0.000001');
    expect(at('acme/unknown', '2026-02-01T00:00:00Z')).toBeUndefined();
    expect(NO_PRICE_HISTORY.at('acme/a', Date.now())).toBeUndefined();
    expect(history.size).toBe(4);
  });

  it('agrees with a linear scan over many versions', () => {
    const times = Array.from(
      { length: 200 },
      (_, index) => Date.UTC(2026, 0, 1) + index * 3_600_000,
    );
    const many = createPriceHistory(
      times.map((time, index) => ({
        modelId: 'acme/many',
        pricing: price(String(index)),
        effectiveFrom: new Date(time),
      })),
    );
    for (let probe = times[0] ?? 0; probe < (times.at(-1) ?? 0) + 7_200_000; probe += 1_234_567) {
      let expected = 0;
      times.forEach((time, index) => {
        if (time <= probe) expected = index;
      });
      expect(many.at('acme/many', probe)?.prompt).toBe(String(expected));
    }
  });
});
