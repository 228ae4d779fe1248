/**
 * The Overview's API calls as TanStack Query options, shared by the page and the route loader
 * (router.tsx), which starts them before the page's code and charts have loaded. Every figure
 * comes from the analytics rollups (GET /admin/analytics/usage and /performance, grouped
 * reports by day so they stay small), /admin/budgets, /health/ready and /admin/alerts/rules.
 */
import { keepPreviousData, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { readinessQuery } from '../../api/readiness';
import type { ResponseOf } from '../../api/types';
import { alertRulesQuery } from '../alerts/use-alert-rules';

export type Usage = ResponseOf<'getAdminAnalyticsUsage'>;
export type Interval = 'minute' | 'hour' | 'day';

/** The time ranges of the picker: how far back, at which interval. */
export const RANGES = {
  '1h': { hours: 1, interval: 'minute' },
  '24h': { hours: 24, interval: 'hour' },
  '7d': { hours: 24 * 7, interval: 'hour' },
  '30d': { hours: 24 * 30, interval: 'day' },
} as const satisfies Record<string, { hours: number; interval: Interval }>;
export type Range = keyof typeof RANGES;
export const DEFAULT_RANGE: Range = '24h';

/** Auto-refresh period, ms. */
export const REFRESH_MS = 30_000;

/** Now, rounded down to the minute (stable query keys between the loader and the page). */
function minuteNow(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

/** Start of the current UTC month, ISO. */
function monthStart(): string {
  const start = new Date(minuteNow());
  start.setUTCDate(1);
  start.setUTCHours(0, 0, 0, 0);
  return start.toISOString();
}

/**
 * Every query the Overview shows for `range`. `refetchInterval`: REFRESH_MS with auto-refresh
 * on, else false. Fresh for 20 s, so the page does not fetch again what the loader just did.
 */
export function overviewQueries(range: Range, refetchInterval: number | false = REFRESH_MS) {
  const { hours, interval } = RANGES[range];
  const from = new Date(minuteNow() - hours * 3_600_000).toISOString();
  const shared = { refetchInterval, staleTime: 20_000, placeholderData: keepPreviousData };
  const usage = (name: string, query: Record<string, string>) =>
    queryOptions({
      queryKey: ['overview', name, query],
      queryFn: async () =>
        unwrap(await api.GET('/admin/analytics/usage', { params: { query } })) as Usage,
      ...shared,
    });
  return {
    interval,
    totals: usage('totals', { from, interval }),
    performance: queryOptions({
      queryKey: ['overview', 'performance', { from, interval }],
      queryFn: async () =>
        unwrap(
          await api.GET('/admin/analytics/performance', { params: { query: { from, interval } } }),
        ),
      ...shared,
    }),
    month: usage('month', { from: monthStart(), interval: 'day' }),
    byModel: usage('model', { from, interval: 'day', group_by: 'model' }),
    byProvider: usage('provider', { from, interval: 'day', group_by: 'provider' }),
    byKey: usage('key', { from, interval: 'day', group_by: 'key' }),
    budgets: queryOptions({
      queryKey: ['overview', 'budgets'],
      queryFn: async () => unwrap(await api.GET('/admin/budgets')).data,
      ...shared,
    }),
    readiness: readinessQuery(refetchInterval),
    alertRules: alertRulesQuery(),
  };
}

/** Starts the default range's calls (errors are left for the page's own queries to show). */
export function prefetchOverview(client: QueryClient): void {
  const queries = overviewQueries(DEFAULT_RANGE);
  void client.prefetchQuery(queries.totals);
  void client.prefetchQuery(queries.performance);
  void client.prefetchQuery(queries.month);
  void client.prefetchQuery(queries.byModel);
  void client.prefetchQuery(queries.byProvider);
  void client.prefetchQuery(queries.byKey);
  void client.prefetchQuery(queries.budgets);
  void client.prefetchQuery(queries.readiness);
  void client.prefetchQuery(queries.alertRules);
}
