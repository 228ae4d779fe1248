/**
 * The circuit stage: targets whose circuit is open (or whose provider cools down) are excluded
 * with that reason — but kept as last resorts at the end of the attempt order, soonest to reopen
 * first, so when every healthy target fails the attempt loop can still try one ("panic routing",
 * docs/decisions/0007-request-pipeline.md). When every target is cooling down, all stay ranked.
 */
import type { Target } from './candidate-filters.ts';
import type { DecisionDraft } from './decision-draft.ts';
import type { RoutingSignals } from './route-signals.ts';

export interface CircuitStage<Item> {
  /** The entries to rank. */
  ranked: Item[];
  /** Cooling entries to append after the ranked ones, soonest to reopen first. */
  lastResort: Item[];
}

export function circuitStage<Item extends { target: Target }>(
  live: readonly Item[],
  signals: RoutingSignals,
  now: number,
  draft: DecisionDraft,
): CircuitStage<Item> {
  const healthy: Item[] = [];
  const cooling: { item: Item; scope: 'provider' | 'model'; until: number }[] = [];
  for (const item of live) {
    const { target } = item;
    const circuit = signals.circuit(target.provider, target.native, now);
    if (!circuit.open) healthy.push(item);
    else cooling.push({ item, scope: circuit.scope, until: circuit.retryAtMs });
  }
  if (cooling.length === 0) return { ranked: healthy, lastResort: [] };
  if (healthy.length === 0) {
    draft.reasoning.push(
      'Every candidate is cooling down: they stay, and the attempt loop tries the one that reopens first.',
    );
    return { ranked: [...live], lastResort: [] };
  }
  for (const { item, scope, until } of cooling) {
    const { target } = item;
    draft.excludeOne(
      target.model,
      target.provider,
      scope === 'provider' ? 'provider_cooldown' : 'circuit_open',
      () =>
        `${scope === 'provider' ? target.provider : `${target.provider} for ${target.native}`} is cooling down until ${new Date(until).toISOString()}; kept only as a last resort.`,
    );
  }
  cooling.sort((left, right) => left.until - right.until);
  return { ranked: healthy, lastResort: cooling.map((entry) => entry.item) };
}
