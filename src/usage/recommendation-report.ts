/**
 * The recommendations report over a period (`GET /admin/recommendations`), and the look-up of
 * one recommendation by id (`POST /admin/recommendations/{id}/experiment`): reads the traffic
 * profiles from the ledger, ranks (recommendations.ts), then reads the proposed alternatives'
 * observed figures from the hour rollups. Pure but for those reads.
 */
import type { ModelInfo } from '../contracts/model-info.ts';
import { featureRequirements } from '../routing/request-requirements.ts';
import type { RoutingCatalog } from '../routing/routing-catalog.ts';
import type { FeatureName, TrafficProfileRepository } from '../storage/index.ts';
import { observedModels, recommend, type Recommendation } from './recommendations.ts';

/** A stored decision's requirement names and their Feature bits (for rows before the column). */
export const FEATURE_NAMES: readonly FeatureName[] = featureRequirements.map((requirement) => ({
  name: requirement.name,
  bit: requirement.feature,
}));

export interface RecommendationSources {
  /** The ledger's traffic profiles and the rollups' observed figures. */
  profiles: TrafficProfileRepository;
  /** The catalogue routing reads (enabled, active models). */
  catalog: () => RoutingCatalog;
  lookupModel: (id: string) => ModelInfo | undefined;
}

export interface RecommendationOptions {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Key × project × model groups with fewer requests get none. */
  minRequests: number;
  /** Most alternatives per group; Infinity for all. */
  perModel: number;
}

const HOUR_MS = 3_600_000;

/**
 * Every recommendation over the period, largest saving first. The observed figures are read for
 * the proposed alternatives only (hours starting in the period, widened to whole hours).
 */
export async function recommendationsOver(
  sources: RecommendationSources,
  options: RecommendationOptions,
): Promise<Recommendation[]> {
  const profiles = await sources.profiles.profiles({
    from: options.from,
    to: options.to,
    minRequests: options.minRequests,
  });
  const found = recommend({
    profiles,
    catalog: sources.catalog(),
    lookupModel: sources.lookupModel,
    observed: new Map(),
    perModel: options.perModel,
  });
  const rollups = await sources.profiles.observed({
    from: new Date(Math.floor(options.from.getTime() / HOUR_MS) * HOUR_MS),
    to: new Date(Math.ceil(options.to.getTime() / HOUR_MS) * HOUR_MS),
    models: [...new Set(found.map((recommendation) => recommendation.alternative))],
  });
  const observed = observedModels(
    new Map(rollups.map((entry) => [entry.model, entry])),
    new Map(rollups.map((entry) => [entry.model, entry.latency])),
  );
  return found.map((recommendation) => ({
    ...recommendation,
    observed: observed.get(recommendation.alternative) ?? null,
  }));
}

/** How far back the experiment call looks for a recommendation's traffic, days. */
export const MAX_RECOMMENDATION_DAYS = 90;

/**
 * The recommendation with this id as the last MAX_RECOMMENDATION_DAYS days of traffic give it
 * (any volume, every alternative), or null.
 */
export async function findRecommendation(
  sources: RecommendationSources,
  id: string,
  now: Date,
): Promise<Recommendation | null> {
  const all = await recommendationsOver(sources, {
    from: new Date(now.getTime() - MAX_RECOMMENDATION_DAYS * 86_400_000),
    to: now,
    minRequests: 1,
    perModel: Infinity,
  });
  return all.find((recommendation) => recommendation.id === id) ?? null;
}
