/**
 * What a page needs, started before the React tree has loaded: for the Overview (the default
 * page), its API calls and its code and charts' code. The route loaders (router.tsx) start the
 * same on in-app navigation; the queries are shared, so nothing is fetched twice.
 */
import { prefetchOverview } from './pages/overview/overview-queries';
import { queryClient } from './query-client';

/** Starts the Overview's calls and code when `pathname` (under /ui) shows the Overview. */
export function prefetchForPath(pathname: string): void {
  if (!/^\/ui\/?(overview\/?)?$/.test(pathname)) return;
  prefetchOverview(queryClient);
  void import('./pages/overview/OverviewPage');
  void import('./pages/overview/OverviewCharts');
}
