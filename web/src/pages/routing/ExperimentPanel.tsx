/**
 * A policy's experiment (GET …/experiment?from=): per variant, from the ledger, requests, cost,
 * latency p50/p95, TTFT p50, error and fallback rates; "Promote" keeps one variant
 * (POST …/experiment/promote, a new version without variants).
 */
import { Alert, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formatMs, formatNanoUsd, formatPercent } from '../../format';
import { POLICIES_KEY } from './RoutingPage';

const RANGES = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;
type Range = keyof typeof RANGES;

export function ExperimentPanel({
  name,
  variants,
  editable,
}: {
  name: string;
  /** The current version's variant names (promote is offered for these). */
  variants: string[];
  editable: boolean;
}) {
  const [range, setRange] = useState<Range>('7d');
  const queryClient = useQueryClient();
  const report = useQuery({
    queryKey: ['routing', 'experiment', name, range],
    queryFn: async () => {
      const from = new Date(Date.now() - RANGES[range] * 3_600_000).toISOString();
      return unwrap(
        await api.GET('/admin/routing/policies/{name}/experiment', {
          params: { path: { name }, query: { from } },
        }),
      );
    },
  });
  const promote = useMutation({
    mutationFn: async (variant: string) =>
      unwrap(
        await api.POST('/admin/routing/policies/{name}/experiment/promote', {
          params: { path: { name } },
          body: { variant },
        }),
      ),
    onSuccess: async (saved, variant) => {
      notifications.show({
        color: 'teal',
        message: `Promoted variant ${variant}: version ${saved.version} has no experiment.`,
      });
      queryClient.setQueryData(['routing', 'policy', name], saved);
      await queryClient.invalidateQueries({ queryKey: ['routing'] });
      await queryClient.invalidateQueries({ queryKey: POLICIES_KEY });
    },
  });
  const rows = report.data?.variants ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {variants.length === 0
            ? 'This version has no variants: add "variants" in the builder’s advanced JSON to split traffic.'
            : `Variants: ${variants.join(', ')}. Assignment sticks to the request’s user or key.`}
        </Text>
        <SegmentedControl
          aria-label="Time range"
          value={range}
          onChange={(value) => setRange(value as Range)}
          data={Object.keys(RANGES)}
        />
      </Group>
      {report.isError && <Alert color="red">{report.error.message}</Alert>}
      {promote.isError && <Alert color="red">{promote.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table striped aria-label="Experiment results" style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Variant</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
              <Table.Th ta="right">Requests</Table.Th>
              <Table.Th ta="right">Cost</Table.Th>
              <Table.Th ta="right">Latency p50</Table.Th>
              <Table.Th ta="right">Latency p95</Table.Th>
              <Table.Th ta="right">TTFT p50</Table.Th>
              <Table.Th ta="right">Errors</Table.Th>
              <Table.Th ta="right">Fallbacks</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.name ?? '—'}>
                <Table.Td>{row.name ?? '(no variant)'}</Table.Td>
                <Table.Td ta="right">{row.weight ?? '—'}</Table.Td>
                <Table.Td ta="right">{row.requests}</Table.Td>
                <Table.Td ta="right">{formatNanoUsd(row.cost_nanousd)}</Table.Td>
                <Table.Td ta="right">{formatMs(row.latency_p50_ms)}</Table.Td>
                <Table.Td ta="right">{formatMs(row.latency_p95_ms)}</Table.Td>
                <Table.Td ta="right">{formatMs(row.ttft_p50_ms)}</Table.Td>
                <Table.Td ta="right">{formatPercent(row.error_rate)}</Table.Td>
                <Table.Td ta="right">{formatPercent(row.fallback_rate)}</Table.Td>
                <Table.Td>
                  {editable && row.name !== null && variants.includes(row.name) && (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Promote variant ${row.name}`}
                      loading={promote.isPending && promote.variables === row.name}
                      onClick={() => promote.mutate(row.name ?? '')}
                    >
                      Promote
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No requests through signalbox/{name} in this period.
        </Text>
      )}
      {editable &&
        variants
          .filter((variant) => !rows.some((row) => row.name === variant))
          .map((variant) => (
            <Button
              key={variant}
              size="xs"
              variant="default"
              w={220}
              onClick={() => promote.mutate(variant)}
            >
              Promote {variant} (no traffic yet)
            </Button>
          ))}
    </Stack>
  );
}
