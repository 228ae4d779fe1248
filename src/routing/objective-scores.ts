/**
 * Cost and latency scores, 0–1, as ratios to the best candidate: score = (best + floor) /
 * (value + floor), so the best scores 1 and one twice as expensive (or slow) about 0.5. The
 * floors (1 µUSD, 50 ms) keep a free model or a near-zero latency from driving every other
 * score to 0. Candidates without data get null. docs/decisions/0012-routing-scores.md.
 */
import type { Contender } from './strategies/index.ts';

export const COST_FLOOR_USD = 1e-6;
export const LATENCY_FLOOR_MS = 50;

/** The latency a strategy compares: time to first token for streams, total for JSON. */
export function latencyMetric(contender: Contender, stream: boolean): number | null {
  const latency = contender.latency;
  if (latency === null) return null;
  return stream ? (latency.ttft ?? latency.total) : (latency.total ?? latency.ttft);
}

/** Sets `scores.cost`, `scores.latency` and `scores.quality` on every contender. */
export function scoreObjectives(contenders: readonly Contender[], stream: boolean): void {
  let bestCost = Infinity;
  let bestLatency = Infinity;
  for (const contender of contenders) {
    if (contender.cost !== null) bestCost = Math.min(bestCost, contender.cost.expected);
    const latency = latencyMetric(contender, stream);
    if (latency !== null) bestLatency = Math.min(bestLatency, latency);
  }
  for (const contender of contenders) {
    const { scores } = contender;
    scores.cost =
      contender.cost === null
        ? null
        : (bestCost + COST_FLOOR_USD) / (contender.cost.expected + COST_FLOOR_USD);
    const latency = latencyMetric(contender, stream);
    scores.latency =
      latency === null ? null : (bestLatency + LATENCY_FLOOR_MS) / (latency + LATENCY_FLOOR_MS);
    scores.quality = contender.quality;
  }
}
