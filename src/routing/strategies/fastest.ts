/**
 * `fastest`: the lowest observed time to first token (streams) or latency (JSON), from this
 * gateway's own attempts, else OpenRouter's published figures; candidates with no data follow,
 * cheapest first.
 */
import type { RoutingStrategy } from './routing-strategy.ts';
import { label, rankBy } from './routing-strategy.ts';

export const fastestStrategy: RoutingStrategy = {
  name: 'fastest',
  comparesScores: true,
  rank(contenders, context) {
    for (const contender of contenders) contender.scores.total = contender.scores.latency ?? 0;
    return rankBy(
      contenders,
      context.keep,
      (contender) => contender.scores.latency ?? -1,
      (contender) => contender.scores.cost ?? -1,
    );
  },
  describe(ranked, context) {
    const first = ranked[0];
    if (first === undefined) return 'fastest: nothing to rank.';
    const metric = context.stream ? 'time to first token' : 'latency';
    const value = context.stream ? first.latency?.ttft : first.latency?.total;
    if (value === null || value === undefined || first.latency === null)
      return `fastest: no latency data yet; ${label(first)} is the cheapest of the unmeasured.`;
    return `fastest: ${label(first)} has the lowest ${first.latency.source} ${metric} (${Math.round(value)} ms).`;
  },
};
