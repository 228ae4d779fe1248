/**
 * One model (GET /admin/catalog/models/{id}): prices with their history, observed latency and
 * error rate from the ledger, OpenRouter's per-provider endpoints, and enable/disable.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatMs, formatPercent, formatPerMillion, formatTime, formatTokens } from '../../format';
import { modelCapabilities } from './capabilities';

const PriceHistoryChart = lazy(() => import('./PriceHistoryChart'));

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" component="div">
        {value}
      </Text>
    </Card>
  );
}

export default function ModelDetailPage() {
  const id = useParams()['*'] ?? '';
  const session = useSession();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['catalog', 'model', id],
    queryFn: async () =>
      unwrap(await api.GET('/admin/catalog/models/{id}', { params: { path: { id } } })),
  });
  const toggle = useMutation({
    mutationFn: async (enable: boolean) =>
      unwrap(
        await api.POST(enable ? '/admin/catalog/models/enable' : '/admin/catalog/models/disable', {
          body: { ids: [id] },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['catalog'] }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not changed', message: error.message }),
  });
  const model = detail.data;

  return (
    <Stack>
      <Anchor component={Link} to="/models" size="sm">
        ← Models
      </Anchor>
      {detail.isError && <Text c="red">{detail.error.message}</Text>}
      {detail.isPending && <Skeleton h={200} />}
      {model && (
        <>
          <Group justify="space-between" align="start">
            <div>
              <Title order={2}>{model.name}</Title>
              <Text c="dimmed" size="sm">
                {model.id}
              </Text>
            </div>
            <Group gap="xs">
              {model.status === 'retired' && (
                <Badge color="gray">
                  retired {model.retired_at === null ? '' : formatTime(model.retired_at)}
                </Badge>
              )}
              <Badge variant="light" color={model.enabled ? 'teal' : 'red'} size="lg">
                {model.enabled ? 'enabled' : 'disabled'}
              </Badge>
              {canEdit(session.data) && (
                <Button
                  variant="default"
                  loading={toggle.isPending}
                  onClick={() => toggle.mutate(!model.enabled)}
                >
                  {model.enabled ? 'Disable' : 'Enable'}
                </Button>
              )}
            </Group>
          </Group>
          {model.description !== undefined && (
            <Text size="sm" maw={900} lineClamp={4}>
              {model.description}
            </Text>
          )}
          <Group gap={4}>
            {modelCapabilities(model).map((capability) => (
              <Badge key={capability} variant="light" tt="none">
                {capability.replace('_', ' ')}
              </Badge>
            ))}
          </Group>
          <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }}>
            <Stat label="Prompt $/1M tokens" value={formatPerMillion(model.pricing.prompt)} />
            <Stat
              label="Completion $/1M tokens"
              value={formatPerMillion(model.pricing.completion)}
            />
            <Stat label="Context window" value={formatTokens(model.context_length)} />
            <Stat
              label="Observed median latency (7 d)"
              value={formatMs(model.observed.latency_ms)}
            />
            <Stat
              label="Observed error rate (7 d)"
              value={formatPercent(model.observed.error_rate)}
            />
            <Stat label="Requests (7 d)" value={model.observed.requests} />
          </SimpleGrid>
          <Card withBorder>
            <Title order={3} size="h5" mb="sm">
              Price history
            </Title>
            <Suspense fallback={<Skeleton h={220} />}>
              <PriceHistoryChart history={model.price_history} />
            </Suspense>
            <Text size="xs" c="dimmed" mt="xs">
              {model.price_history.length} price version(s); the first effective{' '}
              {model.price_history[0] === undefined
                ? '—'
                : formatTime(model.price_history[0].effective_from)}
              .
            </Text>
          </Card>
          <Title order={3} size="h4">
            Provider endpoints
          </Title>
          {model.endpoints === null ? (
            <Text c="dimmed" size="sm">
              OpenRouter's endpoint list is unavailable for this model right now.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={700}>
              <Table striped aria-label="Provider endpoints">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Provider</Table.Th>
                    <Table.Th>Quantization</Table.Th>
                    <Table.Th ta="right">Context</Table.Th>
                    <Table.Th ta="right">Prompt $/1M</Table.Th>
                    <Table.Th ta="right">Completion $/1M</Table.Th>
                    <Table.Th ta="right">Uptime (30 min)</Table.Th>
                    <Table.Th ta="right">p50 latency</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {model.endpoints.map((endpoint) => (
                    <Table.Tr key={endpoint.name}>
                      <Table.Td>{endpoint.provider_name}</Table.Td>
                      <Table.Td>{endpoint.quantization ?? '—'}</Table.Td>
                      <Table.Td ta="right">{formatTokens(endpoint.context_length)}</Table.Td>
                      <Table.Td ta="right">{formatPerMillion(endpoint.pricing?.prompt)}</Table.Td>
                      <Table.Td ta="right">
                        {formatPerMillion(endpoint.pricing?.completion)}
                      </Table.Td>
                      <Table.Td ta="right">
                        {endpoint.uptime_last_30m === null || endpoint.uptime_last_30m === undefined
                          ? '—'
                          : `${endpoint.uptime_last_30m.toFixed(1)}%`}
                      </Table.Td>
                      <Table.Td ta="right">{formatMs(endpoint.latency_last_30m?.p50)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Stack>
  );
}
