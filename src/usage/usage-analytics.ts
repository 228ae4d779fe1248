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

/** The start of every interval of the query, as ISO text (each series' `t`). */
function bucketTimes(query: AnalyticsQuery): string[] {
  const step = INTERVAL_MS[query.interval];
  const times: string[] = [];
  for (let t = query.from.getTime(); t < query.to.getTime(); t += step)
    times.push(new Date(t).toISOString());
  return times;
}

/** Sums of rollup measures: measure → exact decimal string (absent = 0). */
type Sums = Readonly<Record<string, string>>;

const NO_SUMS: Sums = {};

/**
 * The points of each group laid out densely, in the order the database returned the groups:
 * group → one entry per interval (undefined where nothing ran).
 */
function denseByGroup<Point extends { group: string | null; t: Date }>(
  query: AnalyticsQuery,
  points: readonly Point[],
  length: number,
): Map<string | null, (Point | undefined)[]> {
  const step = INTERVAL_MS[query.interval];
  const from = query.from.getTime();
  const groups = new Map<string | null, (Point | undefined)[]>();
  for (const point of points) {
    let series = groups.get(point.group);
    if (series === undefined) {
      series = new Array<Point | undefined>(length);
      groups.set(point.group, series);
    }
    const index = Math.round((point.t.getTime() - from) / step);
    if (index >= 0 && index < length) series[index] = point;
  }
  return groups;
}

function count(sums: Sums, name: string): number {
  const value = sums[name];
  return value === undefined ? 0 : Number(value);
}

/** nano-USD → USD as a number (charts); the exact figure is the string. */
export function nanoUsdToUsd(nanoUsd: bigint): number {
  return Number(nanoUsd) / 1e9;
}

/** An exact nano-USD sum (decimal string) and the same in USD as a number. */
function money(sums: Sums, name: string) {
  const nanoUsd = sums[name] ?? '0';
  // Number() of the decimal string rounds exactly as Number() of the bigint would.
  return { cost_nanousd: nanoUsd, cost_usd: Number(nanoUsd) / 1e9 };
}

function usageFields(t: string, sums: Sums) {
  return {
    t,
    requests: count(sums, 'requests'),
    errors: count(sums, 'errors'),
    prompt_tokens: count(sums, 'prompt_tokens'),
    completion_tokens: count(sums, 'completion_tokens'),
    reasoning_tokens: count(sums, 'reasoning_tokens'),
    cached_tokens: count(sums, 'cached_tokens'),
    ...money(sums, 'cost_nanousd'),
    /** Requests whose cost is unknown: counted, never summed as 0. */
    cost_unknown_requests: count(sums, 'cost_unknown_requests'),
  };
}

export type UsageFields = Omit<ReturnType<typeof usageFields>, 't'>;

const USAGE_MEASURES = [
  'requests',
  'errors',
  'prompt_tokens',
  'completion_tokens',
  'reasoning_tokens',
  'cached_tokens',
  'cost_nanousd',
  'cost_unknown_requests',
];

const COST_SOURCES = ['provider', 'reconciled', 'computed', 'estimated'] as const;

function costFields(t: string, sums: Sums) {
  return {
    t,
    requests: count(sums, 'requests'),
    ...money(sums, 'cost_nanousd'),
    by_source: {
      provider: {
        requests: count(sums, 'cost_provider_requests'),
        ...money(sums, 'cost_provider_nanousd'),
      },
      reconciled: {
        requests: count(sums, 'cost_reconciled_requests'),
        ...money(sums, 'cost_reconciled_nanousd'),
      },
      computed: {
        requests: count(sums, 'cost_computed_requests'),
        ...money(sums, 'cost_computed_nanousd'),
      },
      estimated: {
        requests: count(sums, 'cost_estimated_requests'),
        ...money(sums, 'cost_estimated_nanousd'),
      },
      unknown: { requests: count(sums, 'cost_unknown_requests') },
    },
  };
}

export type CostFields = Omit<ReturnType<typeof costFields>, 't'>;

const COST_MEASURES = [
  'requests',
  'cost_nanousd',
  'cost_unknown_requests',
  ...COST_SOURCES.flatMap((source) => [`cost_${source}_requests`, `cost_${source}_nanousd`]),
];

/** `{t, ...fields}` without `t`: the shape of the totals. */
function withoutTime<Fields extends { t: string }>(fields: Fields): Omit<Fields, 't'> {
  const rest: Partial<Fields> = { ...fields };
  delete rest.t;
  return rest as Omit<Fields, 't'>;
}

/**
 * Exact totals of the points' sums (decimal strings in and out): added as numbers, which is
 * exact when the total is a safe integer (the sums are never negative, so neither is any
 * partial sum larger), else again as bigints.
 */
function totalsOf(points: readonly RollupPoint[], measures: readonly string[]): Sums {
  const totals: Record<string, string> = {};
  for (const measure of measures) {
    let sum = 0;
    for (const point of points) sum += Number(point.measures[measure] ?? 0);
    if (!Number.isSafeInteger(sum)) {
      let exact = 0n;
      for (const point of points) exact += BigInt(point.measures[measure] ?? 0);
      totals[measure] = exact.toString();
    } else totals[measure] = String(sum);
  }
  return totals;
}

/**
 * The dense series (one point per interval and group, in the order the database returned the
 * groups) and the totals: each point is shaped once, straight from its decimal strings.
 */
function shapeSeries<Fields extends { t: string }>(
  query: AnalyticsQuery,
  points: readonly RollupPoint[],
  measures: readonly string[],
  fields: (t: string, sums: Sums) => Fields,
) {
  const times = bucketTimes(query);
  const series = [...denseByGroup(query, points, times.length)].map(([group, dense]) => ({
    group,
    points: times.map((t, index) => fields(t, dense[index]?.measures ?? NO_SUMS)),
  }));
  return { series, totals: withoutTime(fields('', totalsOf(points, measures))) };
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
  const points = await repository.rollups(query, USAGE_MEASURES);
  return { ...header(query), ...shapeSeries(query, points, USAGE_MEASURES, usageFields) };
}

/** `GET /admin/analytics/costs`: spend per group and interval, split by cost source. */
export async function costReport(repository: UsageAnalyticsRepository, query: AnalyticsQuery) {
  const points = await repository.rollups(query, COST_MEASURES);
  return { ...header(query), ...shapeSeries(query, points, COST_MEASURES, costFields) };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** Merged histogram counts of one point: bucket → count, per metric. */
interface Histograms {
  latency_ms: Map<number, number>;
  ttft_ms: Map<number, number>;
}

function emptyHistograms(): Histograms {
  return { latency_ms: new Map(), ttft_ms: new Map() };
}

function addHistogram(target: Histograms, point: HistogramPoint): void {
  const counts = target[point.metric];
  counts.set(point.bucket, (counts.get(point.bucket) ?? 0) + point.count);
}

const NO_HISTOGRAMS = emptyHistograms();

function performanceFields(t: string, sums: Sums, histograms: Histograms) {
  const requests = count(sums, 'requests');
  const latency = histograms.latency_ms;
  const ttft = histograms.ttft_ms;
  return {
    t,
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

export type PerformanceFields = Omit<ReturnType<typeof performanceFields>, 't'>;

const PERFORMANCE_MEASURES = [
  'requests',
  'errors',
  'retries',
  'fallbacks',
  'completion_tokens',
  'generation_ms_sum',
];

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
    repository.rollups(query, PERFORMANCE_MEASURES),
    repository.histograms(query),
  ]);
  const times = bucketTimes(query);
  const step = INTERVAL_MS[query.interval];
  const from = query.from.getTime();
  // Each point's histograms merged once, laid out like the series; and the totals'.
  const totalHistograms = emptyHistograms();
  const histogramsByGroup = new Map<string | null, Histograms[]>();
  for (const point of histogramPoints) {
    let dense = histogramsByGroup.get(point.group);
    if (dense === undefined) {
      dense = [];
      histogramsByGroup.set(point.group, dense);
    }
    addHistogram(
      (dense[Math.round((point.t.getTime() - from) / step)] ??= emptyHistograms()),
      point,
    );
    addHistogram(totalHistograms, point);
  }
  const series = [...denseByGroup(query, points, times.length)].map(([group, dense]) => {
    const histograms = histogramsByGroup.get(group);
    return {
      group,
      points: times.map((t, index) =>
        performanceFields(
          t,
          dense[index]?.measures ?? NO_SUMS,
          histograms?.[index] ?? NO_HISTOGRAMS,
        ),
      ),
    };
  });
  return {
    ...header(query),
    series,
    totals: withoutTime(
      performanceFields('', totalsOf(points, PERFORMANCE_MEASURES), totalHistograms),
    ),
  };
}
