/**
 * Providers (GET /admin/providers, circuit states from /health/ready, the vault from GET
 * /admin/vault): every provider instance with its status, circuit state, key (last 4 only) and
 * source. Admins add, edit, test and delete those added through the API; configured and
 * built-in instances are read-only (testable). Viewers see the same without the controls.
 */
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatMs, formatTime } from '../../format';
import { useReadiness, type ProviderHealth } from '../routing/options';
import {
  PROVIDER_TYPES,
  PROVIDERS_KEY,
  ProviderFormModal,
  type Provider,
} from './ProviderFormModal';

type TestResult = Schemas['ProviderTest'];

const typeLabel = (type: string) =>
  PROVIDER_TYPES.find((entry) => entry.value === type)?.label ?? type;

function StatusBadge({ provider }: { provider: Provider }) {
  const color =
    provider.status === 'active' ? 'teal' : provider.status === 'error' ? 'red' : 'gray';
  return (
    <Badge color={color} variant="light" title={provider.error ?? undefined}>
      {provider.status}
    </Badge>
  );
}

export function CircuitBadge({ health }: { health: ProviderHealth | undefined }) {
  if (health === undefined)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const cooling = health.provider_circuit === 'open';
  const color =
    cooling || health.circuit === 'open' ? 'red' : health.circuit === 'closed' ? 'teal' : 'yellow';
  const label = cooling ? 'cooling down' : health.circuit.replace('_', '-');
  return (
    <Badge color={color} variant="light" tt="none">
      {label}
      {health.open_targets > 0 ? ` · ${health.open_targets} open` : ''}
    </Badge>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  const facts = [
    result.reachable ? 'reachable' : 'unreachable',
    result.authenticated === null ? null : result.authenticated ? 'key accepted' : 'key refused',
    result.model_count === null ? null : `${result.model_count} models`,
    formatMs(result.latency_ms),
  ].filter((fact) => fact !== null);
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      title={`${result.id}: ${result.ok ? 'test passed' : 'test failed'}`}
      role="status"
      data-testid="provider-test-result"
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      {facts.join(' · ')}
      {result.error !== null && ` — ${result.error.message}`}
    </Alert>
  );
}

function DeleteModal({ provider, onClose }: { provider: Provider | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/admin/providers/{id}', { params: { path: { id } } })),
    onSuccess: async (deleted) => {
      notifications.show({ message: `Deleted ${deleted.id}.` });
      await queryClient.invalidateQueries({ queryKey: PROVIDERS_KEY });
      remove.reset();
      onClose();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={provider !== null}
      onClose={onClose}
      title={`Delete ${provider?.id ?? ''}?`}
    >
      <Stack>
        <Text size="sm">
          Every instance stops routing to it within seconds and its stored key is destroyed. Its
          requests stay in the ledger.
        </Text>
        {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red.9"
            loading={remove.isPending}
            onClick={() => provider !== null && remove.mutate(provider.id)}
          >
            Delete provider
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function VaultCard() {
  const vault = useQuery({
    queryKey: [...PROVIDERS_KEY, 'vault'],
    queryFn: async () => unwrap(await api.GET('/admin/vault')),
  });
  if (vault.data === undefined) return null;
  const { available, key_origin, secrets, secrets_on_previous_key } = vault.data;
  return (
    <Text size="sm" c="dimmed" data-testid="vault-status">
      Vault: {available ? `key from ${key_origin.replace('-', ' ')}` : 'no encryption key'} ·{' '}
      {secrets} stored {secrets === 1 ? 'secret' : 'secrets'}
      {secrets_on_previous_key > 0 ? ` (${secrets_on_previous_key} on the previous key)` : ''}
    </Text>
  );
}

export default function ProvidersPage() {
  const session = useSession();
  const editable = canEdit(session.data);
  const [form, setForm] = useState<{ provider: Provider | null } | null>(null);
  const [deleting, setDeleting] = useState<Provider | null>(null);
  const [result, setResult] = useState<TestResult | null>(null);
  const providers = useQuery({
    queryKey: PROVIDERS_KEY,
    queryFn: async () => unwrap(await api.GET('/admin/providers')).data,
  });
  const readiness = useReadiness(15_000);
  const health = new Map((readiness.data?.providers ?? []).map((entry) => [entry.id, entry]));
  const test = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/admin/providers/{id}/test', { params: { path: { id } } })),
    onMutate: () => setResult(null),
    onSuccess: setResult,
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Providers</Title>
        {editable && <Button onClick={() => setForm({ provider: null })}>Add provider</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        Where requests go. Instances from the configuration file or environment are read-only; those
        added here change on every instance within seconds. API keys are write-only.
      </Text>
      <VaultCard />
      {providers.isError && <Alert color="red">{providers.error.message}</Alert>}
      {test.isError && <Alert color="red">{test.error.message}</Alert>}
      {result !== null && <TestOutcome result={result} />}
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover aria-label="Provider instances">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Id</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Base URL</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Models</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Circuit</Table.Th>
                <Table.Th>Source</Table.Th>
                {editable && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(providers.data ?? []).map((provider) => (
                <Table.Tr key={provider.id}>
                  <Table.Td fw={600}>{provider.id}</Table.Td>
                  <Table.Td>{typeLabel(provider.type)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Text size="sm" ff="monospace">
                      {provider.base_url}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" ff="monospace">
                      {provider.api_key_last4 === null ? 'none' : `…${provider.api_key_last4}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {Object.keys(provider.models).length === 0
                      ? provider.serve_catalogue
                        ? 'catalogue'
                        : '—'
                      : Object.keys(provider.models).length}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <StatusBadge provider={provider} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <CircuitBadge health={health.get(provider.id)} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {provider.source === 'api'
                        ? `API${provider.updated_at === null ? '' : `, ${formatTime(provider.updated_at)}`}`
                        : provider.source === 'built_in'
                          ? 'built in'
                          : 'configuration'}
                    </Text>
                    {provider.read_only && (
                      <Badge size="xs" variant="outline" color="gray">
                        read-only
                      </Badge>
                    )}
                  </Table.Td>
                  {editable && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="light"
                          loading={test.isPending && test.variables === provider.id}
                          onClick={() => test.mutate(provider.id)}
                          aria-label={`Test ${provider.id}`}
                        >
                          Test
                        </Button>
                        {!provider.read_only && (
                          <>
                            <Button
                              size="compact-sm"
                              variant="default"
                              onClick={() => setForm({ provider })}
                              aria-label={`Edit ${provider.id}`}
                            >
                              Edit
                            </Button>
                            <Button
                              size="compact-sm"
                              variant="default"
                              onClick={() => setDeleting(provider)}
                              aria-label={`Delete ${provider.id}`}
                            >
                              Delete
                            </Button>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {form !== null && (
        <ProviderFormModal
          key={form.provider?.id ?? 'new'}
          provider={form.provider}
          opened
          onClose={() => setForm(null)}
        />
      )}
      <DeleteModal provider={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
