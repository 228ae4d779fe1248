/**
 * The decision's confidence, 0–1: evidence × margin × health (docs/decisions/0012-routing-scores.md).
 * - evidence = 0.25 + 0.75 × (½·[cost known] + ½·latency evidence), where latency evidence is
 *   0 with no data, 0.5 for OpenRouter's published figures, 0.5 + 0.5·min(1, n/20) for n
 *   observed attempts of this gateway — a catalogued model with no traffic yet scores 0.625,
 *   an uncatalogued one 0.25;
 * - margin = 0.5 + 0.5 × (s₁ − s₂)/s₁ for strategies that compare scores (a runner-up scoring
 *   as well as the winner halves it), 1 when the policy's order or a sample decides;
 * - health = 1 − the winner's observed error rate.
 */
import type { Contender, RoutingStrategy } from './strategies/index.ts';

/** Observed attempts after which latency data counts as fully backed. */
const FULL_EVIDENCE_SAMPLES = 20;

export function confidenceScore(ranked: readonly Contender[], strategy: RoutingStrategy): number {
  const first = ranked[0];
  if (first === undefined) return 0;
  const latency = first.latency;
  const latencyEvidence =
    latency === null
      ? 0
      : latency.source === 'published'
        ? 0.5
        : 0.5 + 0.5 * Math.min(1, latency.samples / FULL_EVIDENCE_SAMPLES);
  const evidence = 0.25 + 0.75 * (0.5 * (first.cost === null ? 0 : 1) + 0.5 * latencyEvidence);
  const second = ranked[1];
  let margin = 1;
  if (strategy.comparesScores && second !== undefined) {
    const top = first.scores.total;
    margin =
      0.5 + 0.5 * (top > 0 ? Math.max(0, Math.min(1, (top - second.scores.total) / top)) : 0);
  }
  const health = 1 - (latency?.errorRate ?? 0);
  return Math.round(evidence * margin * health * 1000) / 1000;
}
