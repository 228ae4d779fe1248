/**
 * One request (GET /admin/requests/{id}): what it asked for and what it cost, "why this model"
 * (the routing decision stored with it: candidates with scores, exclusions with reasons,
 * estimated next to actual cost and latency) and every upstream attempt.
 */
import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { RoutingDecisionView } from '../../components/RoutingDecisionView';
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
              <Field label="Policy">
                {row.policy === null ? (
                  '—'
                ) : (
                  <Anchor component={Link} to={`/routing/${row.policy.name}`} size="sm">
                    signalbox/{row.policy.name}
                    {row.policy.version !== null && `@${row.policy.version}`}
                    {row.policy.variant !== null && ` (variant ${row.policy.variant})`}
                  </Anchor>
                )}
              </Field>
              <Field label="Key / project">
                {row.key_id ?? '—'} / {row.project_id ?? '—'}
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
          <Title order={3}>Why this model</Title>
          {row.routing_decision === null ? (
            <Text size="sm" c="dimmed">
              No routing decision was stored with this request (it was refused before routing).
            </Text>
          ) : (
            <RoutingDecisionView
              decision={row.routing_decision}
              headingLevel={4}
              actual={{
                costUsd: row.cost_nanousd === null ? null : row.cost_nanousd / 1e9,
                latencyMs: row.latency_ms,
                ttftMs: row.ttft_ms,
                model: row.served_model,
                provider: row.provider,
                servedPosition: row.served_candidate,
              }}
            />
          )}
        </>
      )}
    </Stack>
  );
}
