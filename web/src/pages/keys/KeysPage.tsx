/**
 * Keys and projects (GET /admin/keys, /admin/projects): every key with its role, project,
 * limits and state; "New key" (secret shown once) and the projects tab with budgets. Viewers
 * see the same, without the edit controls.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatTime, formatUsd } from '../../format';
import { CreateKeyModal, KEYS_KEY } from './CreateKeyModal';
import { PROJECTS_KEY, ProjectsPanel } from './ProjectsPanel';

export function KeyState({ apiKey }: { apiKey: Schemas['ApiKey'] }) {
  if (apiKey.revoked_at !== null)
    return (
      <Badge color="red" variant="light">
        revoked
      </Badge>
    );
  if (apiKey.expires_at !== null && Date.parse(apiKey.expires_at) < Date.now())
    return (
      <Badge color="orange" variant="light">
        expired
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      active
    </Badge>
  );
}

/** "rpm 60 · tpm 10K · 4 concurrent" — the key's rate limits, or "none". */
export function limitsOf(apiKey: Schemas['ApiKey']): string {
  const parts = [
    apiKey.rpm === null ? null : `${apiKey.rpm} rpm`,
    apiKey.tpm === null ? null : `${apiKey.tpm} tpm`,
    apiKey.max_concurrency === null ? null : `${apiKey.max_concurrency} concurrent`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}

export default function KeysPage() {
  const session = useSession();
  const editable = canEdit(session.data);
  const [showRevoked, setShowRevoked] = useState(false);
  const [opened, { open, close }] = useDisclosure(false);
  const keys = useQuery({
    queryKey: [...KEYS_KEY, { showRevoked }],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/keys', {
          params: { query: { include_revoked: showRevoked ? 'true' : 'false' } },
        }),
      ).data,
  });
  const projects = useQuery({
    queryKey: PROJECTS_KEY,
    queryFn: async () => unwrap(await api.GET('/admin/projects')).data,
  });
  const projectName = new Map((projects.data ?? []).map((project) => [project.id, project.name]));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Keys &amp; projects</Title>
        {editable && <Button onClick={open}>New key</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        Client keys call <code>/v1</code> and <code>/api/v1</code> under their limits and budget;
        viewer and admin keys log in here. Secrets are shown once, at creation and rotation.
      </Text>
      {keys.isError && <Alert color="red">{keys.error.message}</Alert>}
      <Tabs defaultValue="keys" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="keys">Keys</Tabs.Tab>
          <Tabs.Tab value="projects">Projects</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="keys" pt="md">
          <Stack>
            <Switch
              label="Show revoked keys"
              checked={showRevoked}
              onChange={(event) => setShowRevoked(event.currentTarget.checked)}
            />
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover aria-label="API keys">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Project</Table.Th>
                    <Table.Th>Limits</Table.Th>
                    <Table.Th>Budget</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Created</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(keys.data ?? []).map((apiKey) => (
                    <Table.Tr key={apiKey.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/keys/${apiKey.id}`} size="sm">
                          {apiKey.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {apiKey.prefix}…{apiKey.last4}
                        </Text>
                      </Table.Td>
                      <Table.Td>{apiKey.role}</Table.Td>
                      <Table.Td>
                        {apiKey.project_id === null
                          ? '—'
                          : (projectName.get(apiKey.project_id) ?? apiKey.project_id)}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{limitsOf(apiKey)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {apiKey.budget === null
                          ? '—'
                          : `${formatUsd(apiKey.budget.limit_usd)} / ${apiKey.budget.period}`}
                      </Table.Td>
                      <Table.Td>
                        <KeyState apiKey={apiKey} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatTime(apiKey.created_at)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  {keys.isSuccess && keys.data.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={8}>
                        <Text size="sm" c="dimmed">
                          No key yet: the gateway runs on its master key until you create one.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="projects" pt="md">
          <ProjectsPanel projects={projects.data ?? []} editable={editable} />
        </Tabs.Panel>
      </Tabs>
      {editable && (
        <CreateKeyModal opened={opened} onClose={close} projects={projects.data ?? []} />
      )}
    </Stack>
  );
}
