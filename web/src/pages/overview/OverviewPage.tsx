/**
 * The overview: spend today and this month, every budget's use, requests, error rate, p95
 * latency and TTFT over a chosen range, top models, providers and keys by cost, each provider's
 * circuit state and the alert rules firing; refreshed every 30 s when auto-refresh is on. The
 * calls (overview-queries.ts) are started by the route loader, before this page's code and its
 * charts have loaded.
 */
import {
  Alert,
  Card,
  Center,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { formatMs, formatPercent, formatUsd } from '../../format';
import { AlertsFiring } from './AlertsFiring';
import { BudgetsCard } from './BudgetsCard';
import type { OverviewPoint } from './OverviewCharts';
import { ProviderCircuits, TopList } from './OverviewLists';
import { DEFAULT_RANGE, overviewQueries, RANGES, REFRESH_MS, type Range } from './overview-queries';

const OverviewCharts = lazy(() => import('./OverviewCharts'));

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} data-testid={`stat-${label}`}>
        {value}
      </Text>
      {hint !== undefined && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

export default function OverviewPage() {
  const [range, setRange] = useState<Range>(DEFAULT_RANGE);
  const [live, setLive] = useState(true);
  const queries = overviewQueries(range, live ? REFRESH_MS : false);
  const { interval } = queries;

  const totals = useQuery(queries.totals);
  const performance = useQuery(queries.performance);
  const month = useQuery(queries.month);
  const byModel = useQuery(queries.byModel);
  const byProvider = useQuery(queries.byProvider);
  const byKey = useQuery(queries.byKey);
  const readiness = useQuery(queries.readiness);

  const total = totals.data?.totals;
  const perf = performance.data?.totals;
  const monthPoints = month.data?.series[0]?.points ?? [];
  const today = monthPoints.at(-1)?.cost_usd ?? null;
  // Recomputed (and the charts redrawn) only when their two reports change, not as each of the
  // page's other calls answers.
  const points = useMemo<OverviewPoint[]>(() => {
    const format = (iso: string) =>
      interval === 'day'
        ? new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
        : new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    const perfPoints = new Map(
      (performance.data?.series[0]?.points ?? []).map((point) => [point.t, point]),
    );
    return (totals.data?.series[0]?.points ?? []).map((point) => ({
      t: format(point.t),
      requests: point.requests,
      errors: point.errors,
      cost: point.cost_usd,
      latencyP95: perfPoints.get(point.t)?.latency_ms_p95 ?? null,
      ttftP95: perfPoints.get(point.t)?.ttft_ms_p95 ?? null,
    }));
  }, [interval, totals.data, performance.data]);
  const error = [totals, performance, month, byModel].find((query) => query.isError)?.error;

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>Overview</Title>
        <Group align="center">
          <Switch
            label="Auto-refresh (30 s)"
            checked={live}
            onChange={(event) => setLive(event.currentTarget.checked)}
          />
          <SegmentedControl
            aria-label="Time range"
            value={range}
            onChange={(value) => setRange(value as Range)}
            data={Object.keys(RANGES)}
          />
        </Group>
      </Group>
      {error && <Alert color="red">{error.message}</Alert>}
      <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }}>
        <Stat label="Spend today" value={formatUsd(today)} hint="UTC day" />
        <Stat
          label="Spend this month"
          value={formatUsd(month.data?.totals.cost_usd ?? null)}
          hint={
            month.data !== undefined && month.data.totals.cost_unknown_requests > 0
              ? `${month.data.totals.cost_unknown_requests} requests of unknown cost`
              : 'UTC month'
          }
        />
        <Stat label="Requests" value={total === undefined ? '—' : String(total.requests)} />
        <Stat
          label="Error rate"
          value={
            total === undefined || total.requests === 0
              ? '—'
              : formatPercent(total.errors / total.requests)
          }
        />
        <Stat label="Latency p95" value={formatMs(perf?.latency_ms_p95 ?? null)} />
        <Stat label="TTFT p95" value={formatMs(perf?.ttft_ms_p95 ?? null)} />
      </SimpleGrid>
      <BudgetsCard query={queries.budgets} />
      <Suspense
        fallback={
          <Center h={240}>
            <Loader role="status" aria-label="Loading charts" />
          </Center>
        }
      >
        <OverviewCharts points={points} />
      </Suspense>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TopList title="Top models by cost" by="model" report={byModel.data} />
        <TopList title="Top providers by cost" by="provider" report={byProvider.data} />
        <TopList title="Top keys by cost" by="key" report={byKey.data} />
        <ProviderCircuits providers={readiness.data?.providers ?? []} />
        <AlertsFiring />
      </SimpleGrid>
    </Stack>
  );
}
