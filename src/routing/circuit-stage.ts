/**
 * The circuit stage: targets whose circuit is open (or whose provider cools down) are excluded
 * with that reason — but kept as last resorts at the end of the attempt order, soonest to reopen
 * first, so when every healthy target fails the attempt loop can still try one ("panic routing",
 * docs/decisions/0007-request-pipeline.md). When every target is cooling down, all stay ranked.
 */
import type { Target } from './candidate-filters.ts';
import type { DecisionDraft } from './decision-draft.ts';
import type { RoutingSignals } from './route-signals.ts';

export interface CircuitStage {
  /** The targets to rank. */
  ranked: Target[];
  /** Cooling targets to append after the ranked ones, soonest to reopen first. */
  lastResort: Target[];
}

export function circuitStage(
  live: readonly Target[],
  signals: RoutingSignals,
  now: number,
  draft: DecisionDraft,
): CircuitStage {
  const healthy: Target[] = [];
  const cooling: { target: Target; scope: 'provider' | 'model'; until: number }[] = [];
  for (const target of live) {
    const circuit = signals.circuit(target.provider, target.native, now);
    if (!circuit.open) healthy.push(target);
    else cooling.push({ target, scope: circuit.scope, until: circuit.retryAtMs });
  }
  if (cooling.length === 0) return { ranked: healthy, lastResort: [] };
  if (healthy.length === 0) {
    draft.reasoning.push(
      'Every candidate is cooling down: they stay, and the attempt loop tries the one that reopens first.',
    );
    return { ranked: [...live], lastResort: [] };
  }
  for (const { target, scope, until } of cooling)
    draft.excludeOne(
      target.model,
      target.provider,
      scope === 'provider' ? 'provider_cooldown' : 'circuit_open',
      `${scope === 'provider' ? target.provider : `${target.provider} for ${target.native}`} is cooling down until ${new Date(until).toISOString()}; kept only as a last resort.`,
    );
  cooling.sort((left, right) => left.until - right.until);
  return { ranked: healthy, lastResort: cooling.map((entry) => entry.target) };
}
