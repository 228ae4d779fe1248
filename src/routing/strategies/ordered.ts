/** `ordered`: the policy's own order; the first healthy candidate wins. */
import type { RoutingStrategy } from './routing-strategy.ts';
import { label } from './routing-strategy.ts';

export const orderedStrategy: RoutingStrategy = {
  name: 'ordered',
  comparesScores: false,
  rank(contenders, context) {
    const ranked = [...contenders].sort((left, right) => left.baseIndex - right.baseIndex);
    ranked.forEach((contender, index) => {
      contender.scores.total = 1 / (index + 1);
    });
    return ranked.slice(0, context.keep);
  },
  describe(ranked) {
    const first = ranked[0];
    return first === undefined
      ? 'ordered: nothing to order.'
      : `ordered: ${label(first)} is the first healthy candidate in the listed order.`;
  },
};
