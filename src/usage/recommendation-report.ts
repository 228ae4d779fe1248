/**
 * The recommendations report over a period (`GET /admin/recommendations`), and the look-up of
 * one recommendation by id (`POST /admin/recommendations/{id}/experiment`): reads the traffic
 * profiles from the ledger and the observed figures from the hour rollups, then ranks
 * (recommendations.ts). Pure but for those two reads.
 */
import type { ModelInfo } from '../contracts/model-info.ts';
import { featureRequirements } from '../routing/request-requirements.ts';
import type { RoutingCatalog } from '../routing/routing-catalog.ts';
import type {
  FeatureName,
  TrafficProfileRepository,
  UsageAnalyticsRepository,
} from '../storage/index.ts';
import { observedModels, recommend, type Recommendation } from './recommendations.ts';

/** A stored decision's requirement names and their Feature bits (for rows before the column). */
export const FEATURE_NAMES: readonly FeatureName[] = featureRequirements.map((requirement) => ({
  name: requirement.name,
  bit: requirement.feature,
}));

export interface RecommendationSources {
  profiles: TrafficProfileRepository;
  rollups: UsageAnalyticsRepository;
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

/** Requests, errors and the merged latency histogram per requested model, from the hour tier. */
async function observedOver(rollups: UsageAnalyticsRepository, from: Date, to: Date) {
  const query = {
    from: new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS),
    to: new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS),
    interval: 'hour' as const,
    groupBy: 'model' as const,
    filters: {},
  };
  const [points, histograms] = await Promise.all([
    rollups.rollups(query, ['requests', 'errors']),
    rollups.histograms(query),
  ]);
  const counts = new Map<string, { requests: number; errors: number }>();
  for (const point of points) {
    if (point.group === null) continue;
    const entry = counts.get(point.group) ?? { requests: 0, errors: 0 };
    entry.requests += Number(point.measures.requests ?? 0);
    entry.errors += Number(point.measures.errors ?? 0);
    counts.set(point.group, entry);
  }
  const latency = new Map<string, Map<number, number>>();
  for (const point of histograms) {
    if (point.group === null || point.metric !== 'latency_ms') continue;
    const histogram = latency.get(point.group) ?? new Map<number, number>();
    histogram.set(point.bucket, (histogram.get(point.bucket) ?? 0) + point.count);
    latency.set(point.group, histogram);
  }
  return observedModels(counts, latency);
}

/** Every recommendation over the period, largest saving first. */
export async function recommendationsOver(
  sources: RecommendationSources,
  options: RecommendationOptions,
): Promise<Recommendation[]> {
  const [profiles, observed] = await Promise.all([
    sources.profiles.profiles({
      from: options.from,
      to: options.to,
      minRequests: options.minRequests,
    }),
    observedOver(sources.rollups, options.from, options.to),
  ]);
  return recommend({
    profiles,
    catalog: sources.catalog(),
    lookupModel: sources.lookupModel,
    observed,
    perModel: options.perModel,
  });
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
