/**
 * The overview: spend today and this month, requests, error rate, p95 latency and TTFT over a
 * chosen range, top models, providers and keys by cost, each provider's circuit state and the
 * alert rules firing. Every figure comes from the analytics rollups (GET /admin/analytics/usage
 * and /performance; grouped reports by day, so they stay small), /health/ready and
 * /admin/alerts/rules — eight cheap calls, refreshed every 30 s when auto-refresh is on.
 */
import {
  Alert,
  Badge,
  Card,
  Center,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { formatMs, formatPercent, formatUsd } from '../../format';
import { useReadiness } from '../routing/options';
import { AlertsFiring } from './AlertsFiring';
import type { OverviewPoint } from './OverviewCharts';

const OverviewCharts = lazy(() => import('./OverviewCharts'));

type Usage = ResponseOf<'getAdminAnalyticsUsage'>;
type Interval = 'minute' | 'hour' | 'day';
type GroupBy = 'model' | 'provider' | 'key';

const RANGES = {
  '1h': { hours: 1, interval: 'minute' },
  '24h': { hours: 24, interval: 'hour' },
  '7d': { hours: 24 * 7, interval: 'hour' },
  '30d': { hours: 24 * 30, interval: 'day' },
} as const satisfies Record<string, { hours: number; interval: Interval }>;
type Range = keyof typeof RANGES;

/** Now, rounded down to the minute (stable query keys between refreshes). */
function minuteNow(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

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

function TopList({ title, by, report }: { title: string; by: GroupBy; report?: Usage }) {
  const rows = (report?.series ?? [])
    .map((series) => ({
      group: series.group ?? '(none)',
      cost: series.points.reduce((sum, point) => sum + point.cost_usd, 0),
      requests: series.points.reduce((sum, point) => sum + point.requests, 0),
    }))
    .filter((row) => row.requests > 0)
    .sort((left, right) => right.cost - left.cost || right.requests - left.requests)
    .slice(0, 5);
  return (
    <Card withBorder>
      <Text fw={600} size="sm" mb="xs">
        {title}
      </Text>
      <Table aria-label={title} verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{by === 'key' ? 'Key' : by === 'model' ? 'Model' : 'Provider'}</Table.Th>
            <Table.Th ta="right">Requests</Table.Th>
            <Table.Th ta="right">Cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.group}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {by === 'model' ? (
                  <Text
                    size="sm"
                    component={Link}
                    to={`/requests?model=${encodeURIComponent(row.group)}`}
                  >
                    {row.group}
                  </Text>
                ) : (
                  row.group
                )}
              </Table.Td>
              <Table.Td ta="right">{row.requests}</Table.Td>
              <Table.Td ta="right">{formatUsd(row.cost)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report !== undefined && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No traffic in this range.
        </Text>
      )}
    </Card>
  );
}

export default function OverviewPage() {
  const [range, setRange] = useState<Range>('24h');
  const [live, setLive] = useState(true);
  const refetchInterval: number | false = live ? 30_000 : false;
  const { hours, interval } = RANGES[range];

  const usage = (key: string, query: Record<string, string>) => ({
    queryKey: ['overview', key, range, query],
    queryFn: async () =>
      unwrap(await api.GET('/admin/analytics/usage', { params: { query } })) as Usage,
    refetchInterval,
  });
  const from = new Date(minuteNow() - hours * 3_600_000).toISOString();
  const monthStart = new Date();
  monthStart.setUTCDate(1);
  monthStart.setUTCHours(0, 0, 0, 0);

  const totals = useQuery(usage('totals', { from, interval }));
  const performance = useQuery({
    queryKey: ['overview', 'performance', range, from],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/analytics/performance', { params: { query: { from, interval } } }),
      ),
    refetchInterval,
  });
  const month = useQuery(usage('month', { from: monthStart.toISOString(), interval: 'day' }));
  const byModel = useQuery(usage('model', { from, interval: 'day', group_by: 'model' }));
  const byProvider = useQuery(usage('provider', { from, interval: 'day', group_by: 'provider' }));
  const byKey = useQuery(usage('key', { from, interval: 'day', group_by: 'key' }));
  const readiness = useReadiness(refetchInterval);

  const total = totals.data?.totals;
  const perf = performance.data?.totals;
  const monthPoints = month.data?.series[0]?.points ?? [];
  const today = monthPoints.at(-1)?.cost_usd ?? null;
  const format = (iso: string) =>
    interval === 'day'
      ? new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
      : new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const perfPoints = new Map(
    (performance.data?.series[0]?.points ?? []).map((point) => [point.t, point]),
  );
  const points: OverviewPoint[] = (totals.data?.series[0]?.points ?? []).map((point) => ({
    t: format(point.t),
    requests: point.requests,
    errors: point.errors,
    cost: point.cost_usd,
    latencyP95: perfPoints.get(point.t)?.latency_ms_p95 ?? null,
    ttftP95: perfPoints.get(point.t)?.ttft_ms_p95 ?? null,
  }));
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
        <Card withBorder>
          <Text fw={600} size="sm" mb="xs">
            Providers
          </Text>
          <Table aria-label="Provider circuits" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Instance</Table.Th>
                <Table.Th>Circuit</Table.Th>
                <Table.Th ta="right">Open targets</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(readiness.data?.providers ?? []).map((provider) => (
                <Table.Tr key={provider.id}>
                  <Table.Td>{provider.id}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      tt="none"
                      color={
                        provider.circuit === 'closed'
                          ? 'teal'
                          : provider.circuit === 'open'
                            ? 'red'
                            : 'yellow'
                      }
                    >
                      {provider.provider_circuit === 'open' ? 'cooling down' : provider.circuit}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{provider.open_targets}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <AlertsFiring />
      </SimpleGrid>
    </Stack>
  );
}
