/**
 * Usage, performance and cost analytics from the usage rollups (docs/analytics.md): the shapes
 * `GET /admin/analytics/usage|performance|costs` answer, computed from the sums and merged
 * histograms the rollup repository returns. Series are dense: every interval from `from` to
 * `to` has a point (zeros, or null percentiles, where nothing ran). Money is nano-USD as a
 * decimal string (exact) plus USD as a number (for charts).
 */
import { SignalboxError } from '../contracts/errors.ts';
import { histogramQuantile } from '../lib/log-histogram.ts';
import type {
  AnalyticsFilters,
  AnalyticsGroupBy,
  AnalyticsInterval,
  AnalyticsQuery,
  HistogramPoint,
  RollupPoint,
  UsageAnalyticsRepository,
} from '../storage/index.ts';

/** Most points a series may have (`(to - from) / interval`). */
export const MAX_SERIES_POINTS = 10_000;

const INTERVAL_MS: Readonly<Record<AnalyticsInterval, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Default span when `from` is not given: an hour of minutes, a day of hours, 30 days. */
const DEFAULT_SPAN_MS: Readonly<Record<AnalyticsInterval, number>> = {
  minute: 3_600_000,
  hour: 86_400_000,
  day: 30 * 86_400_000,
};

export interface AnalyticsRequest {
  from: Date | null;
  to: Date | null;
  interval: AnalyticsInterval;
  groupBy: AnalyticsGroupBy | null;
  filters: AnalyticsFilters;
}

/**
 * The query for a request: `to` defaults to now, `from` to `to` minus a span that suits the
 * interval; `from` is rounded down and `to` up to whole intervals (UTC).
 * @throws SignalboxError `invalid_request` (param `from`) when from ≥ to or the series would
 *   have more than MAX_SERIES_POINTS points.
 */
export function resolveAnalyticsQuery(request: AnalyticsRequest, now: Date): AnalyticsQuery {
  const step = INTERVAL_MS[request.interval];
  const toMs = (request.to ?? now).getTime();
  const fromMs = request.from?.getTime() ?? toMs - DEFAULT_SPAN_MS[request.interval];
  const from = Math.floor(fromMs / step) * step;
  const to = Math.ceil(toMs / step) * step;
  if (from >= to)
    throw new SignalboxError('invalid_request', '`from` must be before `to`.', { param: 'from' });
  if ((to - from) / step > MAX_SERIES_POINTS)
    throw new SignalboxError(
      'invalid_request',
      `The range holds more than ${String(MAX_SERIES_POINTS)} ${request.interval}s; use a larger interval or a shorter range.`,
      { param: 'from' },
    );
  return {
    from: new Date(from),
    to: new Date(to),
    interval: request.interval,
    groupBy: request.groupBy,
    filters: request.filters,
  };
}

function bucketTimes(query: AnalyticsQuery): number[] {
  const step = INTERVAL_MS[query.interval];
  const times: number[] = [];
  for (let t = query.from.getTime(); t < query.to.getTime(); t += step) times.push(t);
  return times;
}

/** Points grouped by group, then by bucket time (ms). */
function byGroup<Point extends { group: string | null; t: Date }>(
  points: readonly Point[],
): Map<string | null, Map<number, Point[]>> {
  const groups = new Map<string | null, Map<number, Point[]>>();
  for (const point of points) {
    const series = groups.get(point.group) ?? new Map<number, Point[]>();
    const list = series.get(point.t.getTime()) ?? [];
    list.push(point);
    series.set(point.t.getTime(), list);
    groups.set(point.group, series);
  }
  return groups;
}

/** Exact sums of rollup measures. */
type Sums = Map<string, bigint>;

function addSums(target: Sums, measures: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(measures))
    target.set(name, (target.get(name) ?? 0n) + BigInt(value));
}

function count(sums: Sums, name: string): number {
  return Number(sums.get(name) ?? 0n);
}

/** nano-USD → USD as a number (charts); the exact figure is the string. */
export function nanoUsdToUsd(nanoUsd: bigint): number {
  return Number(nanoUsd) / 1e9;
}

function money(nanoUsd: bigint) {
  return { cost_nanousd: nanoUsd.toString(), cost_usd: nanoUsdToUsd(nanoUsd) };
}

function usageFields(sums: Sums) {
  return {
    requests: count(sums, 'requests'),
    errors: count(sums, 'errors'),
    prompt_tokens: count(sums, 'prompt_tokens'),
    completion_tokens: count(sums, 'completion_tokens'),
    reasoning_tokens: count(sums, 'reasoning_tokens'),
    cached_tokens: count(sums, 'cached_tokens'),
    ...money(sums.get('cost_nanousd') ?? 0n),
    /** Requests whose cost is unknown: counted, never summed as 0. */
    cost_unknown_requests: count(sums, 'cost_unknown_requests'),
  };
}

export type UsageFields = ReturnType<typeof usageFields>;

const COST_SOURCES = ['provider', 'reconciled', 'computed', 'estimated'] as const;

function costFields(sums: Sums) {
  const bySource = Object.fromEntries(
    COST_SOURCES.map((source) => [
      source,
      {
        requests: count(sums, `cost_${source}_requests`),
        ...money(sums.get(`cost_${source}_nanousd`) ?? 0n),
      },
    ]),
  ) as Record<(typeof COST_SOURCES)[number], { requests: number } & ReturnType<typeof money>>;
  return {
    requests: count(sums, 'requests'),
    ...money(sums.get('cost_nanousd') ?? 0n),
    by_source: { ...bySource, unknown: { requests: count(sums, 'cost_unknown_requests') } },
  };
}

export type CostFields = ReturnType<typeof costFields>;

/** Sums per series point, and the totals. */
function sumSeries<Fields>(
  query: AnalyticsQuery,
  points: readonly RollupPoint[],
  fields: (sums: Sums) => Fields,
) {
  const times = bucketTimes(query);
  const totals: Sums = new Map();
  const series = [...byGroup(points)].map(([group, buckets]) => ({
    group,
    points: times.map((t) => {
      const sums: Sums = new Map();
      for (const point of buckets.get(t) ?? []) {
        addSums(sums, point.measures);
        addSums(totals, point.measures);
      }
      return { t: new Date(t).toISOString(), ...fields(sums) };
    }),
  }));
  return { series, totals: fields(totals) };
}

function header(query: AnalyticsQuery) {
  return {
    interval: query.interval,
    group_by: query.groupBy,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
  };
}

/** `GET /admin/analytics/usage`: requests, errors, tokens and cost per group and interval. */
export async function usageReport(repository: UsageAnalyticsRepository, query: AnalyticsQuery) {
  const points = await repository.rollups(query);
  return { ...header(query), ...sumSeries(query, points, usageFields) };
}

/** `GET /admin/analytics/costs`: spend per group and interval, split by cost source. */
export async function costReport(repository: UsageAnalyticsRepository, query: AnalyticsQuery) {
  const points = await repository.rollups(query);
  return { ...header(query), ...sumSeries(query, points, costFields) };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

type Histograms = Record<HistogramPoint['metric'], Map<number, number>>;

function addHistogram(target: Histograms, point: HistogramPoint): void {
  const counts = target[point.metric];
  counts.set(point.bucket, (counts.get(point.bucket) ?? 0) + point.count);
}

function performanceFields(sums: Sums, histograms: Histograms) {
  const requests = count(sums, 'requests');
  const latency = histograms.latency_ms;
  const ttft = histograms.ttft_ms;
  return {
    requests,
    latency_ms_p50: rounded(histogramQuantile(latency, 0.5)),
    latency_ms_p95: rounded(histogramQuantile(latency, 0.95)),
    latency_ms_p99: rounded(histogramQuantile(latency, 0.99)),
    ttft_ms_p50: rounded(histogramQuantile(ttft, 0.5)),
    ttft_ms_p95: rounded(histogramQuantile(ttft, 0.95)),
    error_rate: ratio(count(sums, 'errors'), requests),
    /** Attempts beyond each request's first, per request. */
    retry_rate: ratio(count(sums, 'retries'), requests),
    /** Requests served by a fallback target, per request. */
    fallback_rate: ratio(count(sums, 'fallbacks'), requests),
    /** Completion tokens per second of the requests that reported them. */
    tokens_per_second: rounded(
      ratio(count(sums, 'completion_tokens') * 1000, count(sums, 'generation_ms_sum')),
    ),
  };
}

export type PerformanceFields = ReturnType<typeof performanceFields>;

function emptyHistograms(): Histograms {
  return { latency_ms: new Map(), ttft_ms: new Map() };
}

/**
 * `GET /admin/analytics/performance`: latency and TTFT percentiles from the merged histograms
 * (within HISTOGRAM_RELATIVE_ERROR of the exact values), error, retry and fallback rates and
 * tokens per second, per group and interval.
 */
export async function performanceReport(
  repository: UsageAnalyticsRepository,
  query: AnalyticsQuery,
) {
  const [points, histogramPoints] = await Promise.all([
    repository.rollups(query),
    repository.histograms(query),
  ]);
  const histogramsByGroup = byGroup(histogramPoints);
  const times = bucketTimes(query);
  const totals: Sums = new Map();
  const totalHistograms = emptyHistograms();
  const groups = byGroup(points);
  const series = [...groups].map(([group, buckets]) => {
    const groupHistograms = histogramsByGroup.get(group);
    return {
      group,
      points: times.map((t) => {
        const sums: Sums = new Map();
        for (const point of buckets.get(t) ?? []) {
          addSums(sums, point.measures);
          addSums(totals, point.measures);
        }
        const histograms = emptyHistograms();
        for (const point of groupHistograms?.get(t) ?? []) {
          addHistogram(histograms, point);
          addHistogram(totalHistograms, point);
        }
        return { t: new Date(t).toISOString(), ...performanceFields(sums, histograms) };
      }),
    };
  });
  return { ...header(query), series, totals: performanceFields(totals, totalHistograms) };
}
