/**
 * Routing policies (GET /admin/routing/policies): each `signalbox/<name>` with its strategy,
 * how it finds models, version and last change; "New policy" opens the builder. The built-in
 * `signalbox/auto` is listed while no stored policy replaces it.
 */
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { StoredPolicy } from '../../api/types';
import { canEdit, useSession } from '../../auth';
import { formatTime } from '../../format';

function targets(policy: StoredPolicy): string {
  if (policy.candidates !== undefined)
    return policy.candidates.map((candidate) => candidate.model).join(', ');
  const filter = policy.filter ?? {};
  const parts = [
    filter.supports?.length ? `supports ${filter.supports.join(', ')}` : null,
    filter.include?.length ? `include ${filter.include.join(', ')}` : null,
    filter.min_context === undefined ? null : `context ≥ ${filter.min_context}`,
  ].filter((part) => part !== null);
  return `filter${parts.length === 0 ? ': every catalogued model' : `: ${parts.join('; ')}`}`;
}

export const POLICIES_KEY = ['routing', 'policies'] as const;

export default function RoutingPage() {
  const session = useSession();
  const policies = useQuery({
    queryKey: POLICIES_KEY,
    queryFn: async () => unwrap(await api.GET('/admin/routing/policies')).data,
  });
  const rows = policies.data ?? [];
  const hasAuto = rows.some((policy) => policy.name === 'auto');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Routing</Title>
        {canEdit(session.data) && (
          <Button component={Link} to="/routing/new">
            New policy
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        A policy is used as the model id <code>signalbox/&lt;name&gt;</code> by any OpenAI or
        OpenRouter client. Open one to edit it, test it on sample requests, see its versions or its
        experiment.
      </Text>
      {policies.isError && <Alert color="red">{policies.error.message}</Alert>}
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover aria-label="Routing policies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model id</Table.Th>
              <Table.Th>Strategy</Table.Th>
              <Table.Th>Targets</Table.Th>
              <Table.Th ta="right">Version</Table.Th>
              <Table.Th>Updated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((policy) => (
              <Table.Tr key={policy.name}>
                <Table.Td>
                  <Anchor component={Link} to={`/routing/${policy.name}`} size="sm">
                    signalbox/{policy.name}
                  </Anchor>
                  {policy.variants !== undefined && (
                    <Badge ml="xs" size="xs" color="grape" variant="light">
                      experiment
                    </Badge>
                  )}
                  {policy.description !== undefined && (
                    <Text size="xs" c="dimmed">
                      {policy.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {policy.strategy ?? (policy.filter === undefined ? 'ordered' : 'balanced')}
                </Table.Td>
                <Table.Td maw={420}>
                  <Text size="sm" truncate="end">
                    {targets(policy)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{policy.version}</Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(policy.updated_at)}</Text>
                  <Text size="xs" c="dimmed">
                    by {policy.updated_by}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
            {policies.isSuccess && !hasAuto && (
              <Table.Tr>
                <Table.Td>
                  <Text size="sm">signalbox/auto</Text>
                  <Text size="xs" c="dimmed">
                    Built in; a stored policy named “auto” replaces it.
                  </Text>
                </Table.Td>
                <Table.Td>balanced</Table.Td>
                <Table.Td>filter: every enabled chat model</Table.Td>
                <Table.Td ta="right">0</Table.Td>
                <Table.Td>—</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
