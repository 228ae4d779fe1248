/**
 * The ledger, newest first (GET /admin/requests), filtered (time, model, provider, status,
 * policy, key, project, cost range; kept in the URL), a page at a time with "Load more"; each
 * row opens the request's detail: why this model, and every attempt.
 */
import { Anchor, Button, Group, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatMs, formatNanoUsd, formatTime } from '../../format';
import { filterQuery, RequestFilters } from './RequestFilters';
import { StatusBadge } from './StatusBadge';

export default function RequestsPage() {
  const [limit, setLimit] = useState('50');
  const [live, setLive] = useState(false);
  const [params, setParams] = useSearchParams();
  const filters = filterQuery(params);
  const ledger = useInfiniteQuery({
    queryKey: ['requests', limit, filters],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/admin/requests', {
          params: {
            query: { limit, ...filters, ...(pageParam === null ? {} : { cursor: pageParam }) },
          },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: live ? 5000 : false,
  });
  const rows = ledger.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>Requests</Title>
        <Group align="end">
          <Switch
            label="Auto-refresh (5 s)"
            checked={live}
            onChange={(event) => setLive(event.currentTarget.checked)}
          />
          <Select
            label="Page size"
            data={['25', '50', '100', '200']}
            value={limit}
            onChange={(value) => setLimit(value ?? '50')}
            w={110}
            allowDeselect={false}
          />
          <Button
            variant="default"
            onClick={() => void ledger.refetch()}
            loading={ledger.isRefetching}
          >
            Refresh
          </Button>
        </Group>
      </Group>
      <RequestFilters params={params} setParams={setParams} />
      {ledger.isError && <Text c="red">{ledger.error.message}</Text>}
      <Table.ScrollContainer minWidth={960}>
        <Table
          striped
          highlightOnHover
          verticalSpacing="xs"
          aria-label="Ledger requests"
          style={{ whiteSpace: 'nowrap' }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Policy</Table.Th>
              <Table.Th ta="right">Tokens in / out</Table.Th>
              <Table.Th ta="right">Cost</Table.Th>
              <Table.Th ta="right">Latency</Table.Th>
              <Table.Th ta="right">TTFT</Table.Th>
              <Table.Th ta="right">Attempts</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/requests/${encodeURIComponent(row.id)}`} size="sm">
                    {formatTime(row.created_at)}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{row.model}</Text>
                  {row.served_model !== null && row.served_model !== row.model && (
                    <Text size="xs" c="dimmed">
                      served {row.served_model}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{row.provider ?? '—'}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <StatusBadge status={row.status} />
                    {row.stream && (
                      <Text size="xs" c="dimmed">
                        stream
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {row.policy === null ? (
                    '—'
                  ) : (
                    <Text size="sm">
                      {row.policy.name}
                      {row.policy.variant !== null && ` (${row.policy.variant})`}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {row.usage.prompt_tokens ?? '—'} / {row.usage.completion_tokens ?? '—'}
                </Table.Td>
                <Table.Td ta="right">{formatNanoUsd(row.cost_nanousd)}</Table.Td>
                <Table.Td ta="right">{formatMs(row.latency_ms)}</Table.Td>
                <Table.Td ta="right">{formatMs(row.ttft_ms)}</Table.Td>
                <Table.Td ta="right">{row.attempts.length}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {ledger.isSuccess && rows.length === 0 && (
        <Text c="dimmed">
          {Object.keys(filters).length > 0
            ? 'No request matches these filters.'
            : 'No requests yet. Send one to /v1/chat/completions or use the Playground.'}
        </Text>
      )}
      {ledger.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void ledger.fetchNextPage()}
          loading={ledger.isFetchingNextPage}
          w={160}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}
