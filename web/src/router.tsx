import { lazy, Suspense, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/LoginPage';
import { RequestsPage } from './pages/requests/RequestsPage';

// Heavier pages load on first visit, keeping the first page's JavaScript small.
const RequestDetailPage = lazy(() => import('./pages/requests/RequestDetailPage'));
const ModelsPage = lazy(() => import('./pages/models/ModelsPage'));
const ModelDetailPage = lazy(() => import('./pages/models/ModelDetailPage'));
const ComparePage = lazy(() => import('./pages/models/ComparePage'));
const PlaygroundPage = lazy(() => import('./pages/playground/PlaygroundPage'));
const RoutingPage = lazy(() => import('./pages/routing/RoutingPage'));
const PolicyPage = lazy(() => import('./pages/routing/PolicyPage'));
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const KeysPage = lazy(() => import('./pages/keys/KeysPage'));
const KeyDetailPage = lazy(() => import('./pages/keys/KeyDetailPage'));
const ProvidersPage = lazy(() => import('./pages/providers/ProvidersPage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const RecommendationsPage = lazy(() => import('./pages/recommendations/RecommendationsPage'));

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
    { path: '/login', element: <LoginPage /> },
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, element: <Navigate to="/overview" replace /> },
        { path: 'overview', element: page(<OverviewPage />) },
        { path: 'audit', element: page(<AuditPage />) },
        { path: 'requests', element: <RequestsPage /> },
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
