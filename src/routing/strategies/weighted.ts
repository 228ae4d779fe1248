/**
 * `weighted`: weighted random order for load spreading, sampled without replacement with
 * Efraimidis–Spirakis keys (u^(1/w), highest first, compared as ln(u)/w so tiny weights do not underflow). A model's weight is shared by its
 * providers. `u` comes from a stable hash of the request's seed and the candidate, so the same
 * request always gets the same order (explain predicts it exactly) while distinct requests
 * spread by the weights — a hash-based balancer, like Envoy's ring hash.
 */
import { stableUnit } from '../../lib/stable-hash.ts';
import type { RoutingStrategy } from './routing-strategy.ts';
import { label, rankBy } from './routing-strategy.ts';

export const weightedStrategy: RoutingStrategy = {
  name: 'weighted',
  comparesScores: false,
  rank(contenders, context) {
    const providersPerModel = new Map<string, number>();
    for (const contender of contenders) {
      const model = contender.target.model;
      providersPerModel.set(model, (providersPerModel.get(model) ?? 0) + 1);
    }
    let total = 0;
    const shares = contenders.map((contender) => {
      const share = contender.weight / (providersPerModel.get(contender.target.model) ?? 1);
      total += share;
      return share;
    });
    const keys = new Map<object, number>();
    contenders.forEach((contender, index) => {
      const share = total > 0 ? (shares[index] ?? 0) / total : 1 / contenders.length;
      contender.scores.weight = share;
      contender.scores.total = share;
      const unit = stableUnit(context.seed, contender.target.model, contender.target.provider);
      keys.set(contender, share > 0 ? Math.log(unit) / share : -Infinity);
    });
    return rankBy(contenders, context.keep, (contender) => keys.get(contender) ?? -Infinity);
  },
  describe(ranked) {
    const first = ranked[0];
    if (first === undefined) return 'weighted: nothing to sample.';
    const share = ((first.scores.weight ?? 0) * 100).toFixed(1);
    return `weighted: ${label(first)} drawn (${share}% of the weight) by a stable hash of this request.`;
  },
};
