/** The overview's tables: top models, providers and keys by cost, and each provider's circuit. */
import { Badge, Card, Table, Text } from '@mantine/core';
import { memo } from 'react';
import { Link } from 'react-router';
import type { ProviderHealth } from '../../api/readiness';
import { formatUsd } from '../../format';
import type { Usage } from './overview-queries';

export type GroupBy = 'model' | 'provider' | 'key';

/** The five groups of `report` (a usage report grouped by `by`) that cost the most. */
export const TopList = memo(function TopList({
  title,
  by,
  report,
}: {
  title: string;
  by: GroupBy;
  report?: Usage;
}) {
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
});

/** Each provider instance's circuit (from /health/ready). */
export function ProviderCircuits({ providers }: { providers: ProviderHealth[] }) {
  return (
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
          {providers.map((provider) => (
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
  );
}
