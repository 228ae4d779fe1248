/**
 * A policy's versions (GET …/versions), newest first: action, who, when and the diff of each;
 * "Roll back" makes an old version current again (POST …/rollback, itself a new version).
 */
import { Alert, Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { PolicyVersion } from '../../api/types';
import { formatTime } from '../../format';
import { POLICIES_KEY } from './RoutingPage';

function json(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

function Diff({ version }: { version: PolicyVersion }) {
  if (version.diff.length === 0)
    return (
      <Text size="xs" c="dimmed">
        no change
      </Text>
    );
  return (
    <Stack gap={2}>
      {version.diff.map((entry) => (
        <Text size="xs" key={entry.path} style={{ wordBreak: 'break-word' }}>
          <Code>{entry.path}</Code>{' '}
          <Text span size="xs" c="dimmed" td="line-through">
            {json(entry.before)}
          </Text>{' '}
          →{' '}
          <Text span size="xs" fw={600}>
            {json(entry.after)}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}

export function VersionsPanel({
  name,
  currentVersion,
  editable,
}: {
  name: string;
  currentVersion: number;
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const versions = useQuery({
    queryKey: ['routing', 'versions', name],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/routing/policies/{name}/versions', {
          params: { path: { name } },
        }),
      ).data,
  });
  const rollback = useMutation({
    mutationFn: async (version: number) =>
      unwrap(
        await api.POST('/admin/routing/policies/{name}/rollback', {
          params: { path: { name } },
          body: { version },
        }),
      ),
    onSuccess: async (saved, version) => {
      notifications.show({
        color: 'teal',
        message: `Rolled back to version ${version}: now version ${saved.version}.`,
      });
      queryClient.setQueryData(['routing', 'policy', name], saved);
      await queryClient.invalidateQueries({ queryKey: ['routing', 'versions', name] });
      await queryClient.invalidateQueries({ queryKey: POLICIES_KEY });
    },
  });
  const rows = [...(versions.data ?? [])].reverse();
  return (
    <Stack>
      {versions.isError && <Alert color="red">{versions.error.message}</Alert>}
      {rollback.isError && <Alert color="red">{rollback.error.message}</Alert>}
      <Table.ScrollContainer minWidth={800}>
        <Table aria-label="Policy versions" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Changes</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((version) => (
              <Table.Tr key={version.version}>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {version.version}
                    {version.version === currentVersion && (
                      <Badge size="xs" variant="light" color="teal">
                        current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{version.action}</Text>
                  {version.note !== null && (
                    <Text size="xs" c="dimmed">
                      {version.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatTime(version.created_at)}</Text>
                  <Text size="xs" c="dimmed">
                    by {version.created_by}
                  </Text>
                </Table.Td>
                <Table.Td maw={560}>
                  <Diff version={version} />
                </Table.Td>
                <Table.Td>
                  {editable && version.policy !== null && version.version !== currentVersion && (
                    <Button
                      size="xs"
                      variant="default"
                      loading={rollback.isPending && rollback.variables === version.version}
                      onClick={() => rollback.mutate(version.version)}
                      aria-label={`Roll back to version ${version.version}`}
                    >
                      Roll back
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
