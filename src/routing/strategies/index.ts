/** The strategies by name. Adding one is a new module and one line here. */
import type { StrategyName } from '../../contracts/routing-decision.ts';
import { balancedStrategy } from './balanced.ts';
import { cheapestStrategy } from './cheapest.ts';
import { fastestStrategy } from './fastest.ts';
import { orderedStrategy } from './ordered.ts';
import { qualityStrategy } from './quality.ts';
import type { RoutingStrategy } from './routing-strategy.ts';
import { weightedStrategy } from './weighted.ts';

export const strategies: Readonly<Record<StrategyName, RoutingStrategy>> = {
  ordered: orderedStrategy,
  cheapest: cheapestStrategy,
  fastest: fastestStrategy,
  balanced: balancedStrategy,
  quality: qualityStrategy,
  weighted: weightedStrategy,
};

export type {
  Contender,
  LatencyView,
  RoutingStrategy,
  StrategyContext,
} from './routing-strategy.ts';
