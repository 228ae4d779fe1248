/** `quality`: the policy's quality scores, highest first (unscored models count 0); ties go to the cheaper. */
import type { RoutingStrategy } from './routing-strategy.ts';
import { label, rankBy } from './routing-strategy.ts';

export const qualityStrategy: RoutingStrategy = {
  name: 'quality',
  comparesScores: true,
  rank(contenders, context) {
    for (const contender of contenders) contender.scores.total = contender.quality ?? 0;
    return rankBy(
      contenders,
      context.keep,
      (contender) => contender.quality ?? 0,
      (contender) => contender.scores.cost ?? -1,
    );
  },
  describe(ranked) {
    const first = ranked[0];
    if (first === undefined) return 'quality: nothing to rank.';
    return first.quality === null
      ? `quality: no candidate has a quality score; ${label(first)} is the cheapest.`
      : `quality: ${label(first)} has the highest quality score (${first.quality}).`;
  },
};
