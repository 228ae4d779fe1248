/** `cheapest`: the lowest expected cost of this request; unpriced candidates last. */
import type { RoutingStrategy } from './routing-strategy.ts';
import { formatUsd, label, rankBy } from './routing-strategy.ts';

export const cheapestStrategy: RoutingStrategy = {
  name: 'cheapest',
  comparesScores: true,
  rank(contenders, context) {
    for (const contender of contenders) contender.scores.total = contender.scores.cost ?? 0;
    return rankBy(contenders, context.keep, (contender) => contender.scores.cost ?? -1);
  },
  describe(ranked) {
    const first = ranked[0];
    if (first === undefined) return 'cheapest: nothing to rank.';
    return first.cost === null
      ? `cheapest: no candidate is priced; ${label(first)} keeps its listed place.`
      : `cheapest: ${label(first)} has the lowest expected cost for this request (${formatUsd(first.cost.expected)}).`;
  },
};
