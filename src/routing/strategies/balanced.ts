/**
 * `balanced`: `cost_weight` × cost score + (1 − `cost_weight`) × latency score (the "cost vs
 * performance slider"). A candidate with no latency data gets the mean latency score of those
 * with data (neutral), or 1 when none has any; an unpriced one gets a cost score of 0.
 */
import type { RoutingStrategy } from './routing-strategy.ts';
import { label, rankBy } from './routing-strategy.ts';

export const balancedStrategy: RoutingStrategy = {
  name: 'balanced',
  comparesScores: true,
  rank(contenders, context) {
    let known = 0;
    let sum = 0;
    for (const contender of contenders) {
      const latency = contender.scores.latency;
      if (latency !== null) {
        known += 1;
        sum += latency;
      }
    }
    const neutral = known === 0 ? 1 : sum / known;
    const weight = context.costWeight;
    for (const contender of contenders) {
      const { cost, latency } = contender.scores;
      contender.scores.total = weight * (cost ?? 0) + (1 - weight) * (latency ?? neutral);
    }
    return rankBy(contenders, context.keep, (contender) => contender.scores.total);
  },
  describe(ranked, context) {
    const first = ranked[0];
    if (first === undefined) return 'balanced: nothing to rank.';
    return `balanced (cost_weight ${context.costWeight}): ${label(first)} scores ${first.scores.total.toFixed(3)} on cost and latency together.`;
  },
};
