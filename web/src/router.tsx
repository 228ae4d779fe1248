import { lazy, Suspense, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { createBrowserRouter, Navigate, redirect } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { prefetchOverview } from './pages/overview/overview-queries';
import { queryClient } from './query-client';

// Every page loads on first visit, keeping the first page's JavaScript small.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const RequestsPage = lazy(() => import('./pages/requests/RequestsPage'));
const RequestDetailPage = lazy(() => import('./pages/requests/RequestDetailPage'));
const ModelsPage = lazy(() => import('./pages/models/ModelsPage'));
const ModelDetailPage = lazy(() => import('./pages/models/ModelDetailPage'));
const ComparePage = lazy(() => import('./pages/models/ComparePage'));
const PlaygroundPage = lazy(() => import('./pages/playground/PlaygroundPage'));
const RoutingPage = lazy(() => import('./pages/routing/RoutingPage'));
const PolicyPage = lazy(() => import('./pages/routing/PolicyPage'));
const loadOverview = () => import('./pages/overview/OverviewPage');
const OverviewPage = lazy(loadOverview);
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const KeysPage = lazy(() => import('./pages/keys/KeysPage'));
const KeyDetailPage = lazy(() => import('./pages/keys/KeyDetailPage'));
const ProvidersPage = lazy(() => import('./pages/providers/ProvidersPage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const RecommendationsPage = lazy(() => import('./pages/recommendations/RecommendationsPage'));

/**
 * The Overview's loader starts its API calls, its code and its charts' code at once (none waits
 * for another), and does not hold the navigation: the page renders as each arrives.
 */
function overviewLoader(): null {
  prefetchOverview(queryClient);
  void loadOverview();
  void import('./pages/overview/OverviewCharts');
  return null;
}

function page(element: ReactNode): ReactNode {
  return (
    <Suspense
      fallback={
        <Center h={200}>
          <Loader role="status" aria-label="Loading" />
        </Center>
      }
    >
      {element}
    </Suspense>
  );
}

export const router = createBrowserRouter(
  [
    { path: '/login', element: page(<LoginPage />) },
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, loader: () => redirect('/overview') },
        { path: 'overview', loader: overviewLoader, element: page(<OverviewPage />) },
        { path: 'audit', element: page(<AuditPage />) },
        { path: 'requests', element: page(<RequestsPage />) },
        { path: 'requests/:id', element: page(<RequestDetailPage />) },
        { path: 'models', element: page(<ModelsPage />) },
        { path: 'models/compare', element: page(<ComparePage />) },
        { path: 'models/*', element: page(<ModelDetailPage />) },
        { path: 'playground', element: page(<PlaygroundPage />) },
        { path: 'routing', element: page(<RoutingPage />) },
        { path: 'routing/:name', element: page(<PolicyPage />) },
        { path: 'keys', element: page(<KeysPage />) },
        { path: 'keys/:id', element: page(<KeyDetailPage />) },
        { path: 'providers', element: page(<ProvidersPage />) },
        { path: 'alerts', element: page(<AlertsPage />) },
        { path: 'recommendations', element: page(<RecommendationsPage />) },
        { path: '*', element: <Navigate to="/overview" replace /> },
      ],
    },
  ],
  { basename: '/ui' },
);
