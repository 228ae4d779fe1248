/** One request (GET /admin/requests/{id}) with every upstream attempt. */
import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatMs, formatNanoUsd, formatTime } from '../../format';
import { StatusBadge } from './StatusBadge';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

export default function RequestDetailPage() {
  const { id = '' } = useParams();
  const request = useQuery({
    queryKey: ['request', id],
    queryFn: async () =>
      unwrap(await api.GET('/admin/requests/{id}', { params: { path: { id } } })),
  });
  const row = request.data;
  return (
    <Stack>
      <Anchor component={Link} to="/requests" size="sm">
        ← Requests
      </Anchor>
      <Title order={2}>Request {id}</Title>
      {request.isError && <Text c="red">{request.error.message}</Text>}
      {row && (
        <>
          <Card withBorder>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Field label="Time">{formatTime(row.created_at)}</Field>
              <Field label="Status">
                <Group gap={6}>
                  <StatusBadge status={row.status} /> HTTP {row.http_status}
                </Group>
              </Field>
              <Field label="Requested model">{row.model}</Field>
              <Field label="Served model">{row.served_model ?? '—'}</Field>
              <Field label="Provider">{row.provider ?? '—'}</Field>
              <Field label="Mode">{row.stream ? 'stream' : 'JSON'}</Field>
              <Field label="Cost">
                {formatNanoUsd(row.cost_nanousd)}
                {row.cost_source !== null && ` (${row.cost_source})`}
              </Field>
              <Field label="Generation id">{row.generation_id ?? '—'}</Field>
              <Field label="Latency">{formatMs(row.latency_ms)}</Field>
              <Field label="Time to first token">{formatMs(row.ttft_ms)}</Field>
              <Field label="Prompt / completion tokens">
                {row.usage.prompt_tokens ?? '—'} / {row.usage.completion_tokens ?? '—'}
              </Field>
              <Field label="Reasoning / cached tokens">
                {row.usage.reasoning_tokens ?? '—'} / {row.usage.cached_tokens ?? '—'}
              </Field>
            </SimpleGrid>
          </Card>
          <Title order={3}>Attempts</Title>
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label="Attempts" style={{ whiteSpace: 'nowrap' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Model</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Upstream HTTP</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th ta="right">Latency</Table.Th>
                  <Table.Th ta="right">TTFT</Table.Th>
                  <Table.Th ta="right">Tokens in / out</Table.Th>
                  <Table.Th ta="right">Cost</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {row.attempts.map((attempt) => (
                  <Table.Tr key={attempt.attempt}>
                    <Table.Td>{attempt.attempt}</Table.Td>
                    <Table.Td>{attempt.provider}</Table.Td>
                    <Table.Td>{attempt.served_model ?? attempt.model}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={attempt.status} />
                    </Table.Td>
                    <Table.Td>{attempt.upstream_status ?? '—'}</Table.Td>
                    <Table.Td>{formatTime(attempt.started_at)}</Table.Td>
                    <Table.Td ta="right">{formatMs(attempt.latency_ms)}</Table.Td>
                    <Table.Td ta="right">{formatMs(attempt.ttft_ms)}</Table.Td>
                    <Table.Td ta="right">
                      {attempt.usage.prompt_tokens ?? '—'} /{' '}
                      {attempt.usage.completion_tokens ?? '—'}
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatNanoUsd(attempt.cost_nanousd)}
                      {attempt.cost_source !== null && ` (${attempt.cost_source})`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            The routing decision (candidates, exclusions, estimates) appears here with the routing
            API.
          </Text>
        </>
      )}
    </Stack>
  );
}
