/**
 * One key (`/keys/:id`, GET /admin/keys/{id}): its settings and limits, the budget bar (spent +
 * reserved vs limit), its latest requests from the ledger; rotate (with a grace period, the new
 * secret shown once) and revoke (confirmed). Viewers see it read-only.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatMs, formatNanoUsd, formatTime, formatUsd } from '../../format';
import { BudgetBar } from './BudgetBar';
import { KEYS_KEY } from './CreateKeyModal';
import { PROJECTS_KEY } from './ProjectsPanel';
import { KeyState, limitsOf } from './KeysPage';
import { SecretOnce } from './SecretOnce';

function Field({ label, children }: { label: string; children: ReactNode }) {
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

function RotateModal({
  id,
  opened,
  onClose,
}: {
  id: string;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [grace, setGrace] = useState<number | string>(0);
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/admin/keys/{id}/rotate', {
          params: { path: { id } },
          body: { grace_seconds: Number(grace) || 0 },
        }),
      ),
    onSuccess: async (rotated) => {
      setSecret(rotated.key);
      await queryClient.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
  const close = () => {
    setSecret(null);
    rotate.reset();
    onClose();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={opened}
      onClose={close}
      title="Rotate the key's secret"
    >
      {secret !== null ? (
        <SecretOnce secret={secret} onDone={close} />
      ) : (
        <Stack>
          <Text size="sm">
            A new secret replaces the current one. Clients still using the old secret keep working
            for the grace period, then are refused.
          </Text>
          <NumberInput
            label="Grace period (seconds)"
            description="0 = the old secret stops at once; at most 30 days"
            min={0}
            max={30 * 86_400}
            value={grace}
            onChange={setGrace}
            data-autofocus
          />
          {rotate.isError && <Alert color="red">{rotate.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={rotate.isPending} onClick={() => rotate.mutate()}>
              Rotate
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function RevokeModal({
  id,
  name,
  opened,
  onClose,
}: {
  id: string;
  name: string;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/admin/keys/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      notifications.show({ message: `Revoked ${name}.` });
      await queryClient.invalidateQueries({ queryKey: KEYS_KEY });
      onClose();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={opened}
      onClose={onClose}
      title={`Revoke ${name}?`}
    >
      <Stack>
        <Text size="sm">
          Every instance refuses the key within a second and its dashboard sessions end. This cannot
          be undone; its requests stay in the ledger.
        </Text>
        {revoke.isError && <Alert color="red">{revoke.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" loading={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke key
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RecentRequests({ id }: { id: string }) {
  const requests = useQuery({
    queryKey: ['requests', { key_id: id, limit: 10 }],
    queryFn: async () =>
      unwrap(await api.GET('/admin/requests', { params: { query: { key_id: id, limit: '10' } } })),
  });
  const rows = requests.data?.data ?? [];
  return (
    <Table striped aria-label="Latest requests of this key">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Model</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Cost</Table.Th>
          <Table.Th ta="right">Latency</Table.Th>
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
            <Table.Td>{row.served_model ?? row.model}</Table.Td>
            <Table.Td>{row.status}</Table.Td>
            <Table.Td ta="right">{formatNanoUsd(row.cost_nanousd)}</Table.Td>
            <Table.Td ta="right">{formatMs(row.latency_ms)}</Table.Td>
          </Table.Tr>
        ))}
        {requests.isSuccess && rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text size="sm" c="dimmed">
                No request made with this key yet.
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

export default function KeyDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const editable = canEdit(session.data);
  const [rotating, rotateModal] = useDisclosure(false);
  const [revoking, revokeModal] = useDisclosure(false);
  const detail = useQuery({
    queryKey: [...KEYS_KEY, 'detail', id],
    queryFn: async () => unwrap(await api.GET('/admin/keys/{id}', { params: { path: { id } } })),
  });
  const projects = useQuery({
    queryKey: PROJECTS_KEY,
    queryFn: async () => unwrap(await api.GET('/admin/projects')).data,
  });
  const key = detail.data;
  const back = (
    <Anchor component={Link} to="/keys" size="sm">
      ← Keys &amp; projects
    </Anchor>
  );
  if (detail.isError)
    return (
      <Stack>
        {back}
        <Alert color="red">{detail.error.message}</Alert>
      </Stack>
    );
  if (key === undefined) return back;
  const active = key.revoked_at === null;
  return (
    <Stack>
      {back}
      <Group justify="space-between">
        <Group>
          <Title order={2}>{key.name}</Title>
          <KeyState apiKey={key} />
        </Group>
        {editable && active && (
          <Group>
            <Button variant="default" onClick={rotateModal.open}>
              Rotate
            </Button>
            <Button color="red.9" onClick={revokeModal.open}>
              Revoke
            </Button>
          </Group>
        )}
      </Group>
      <Card withBorder>
        <Stack>
          <Title order={3} size="h4">
            Budget
          </Title>
          <BudgetBar use={key} label={`Budget of key ${key.name}`} />
        </Stack>
      </Card>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Field label="Key">
            <Text ff="monospace" size="sm">
              {key.prefix}…{key.last4}
            </Text>
          </Field>
          <Field label="Role">{key.role}</Field>
          <Field label="Project">
            {key.project_id === null
              ? '—'
              : (projects.data?.find((project) => project.id === key.project_id)?.name ??
                key.project_id)}
          </Field>
          <Field label="Rate limits">{limitsOf(key)}</Field>
          <Field label="Allowed models">{key.models?.join(', ') ?? 'any'}</Field>
          <Field label="Policies">{key.policies?.join(', ') ?? 'any'}</Field>
          <Field label="Max cost per request">{formatUsd(key.max_cost_per_request_usd)}</Field>
          <Field label="Expires">
            {key.expires_at === null ? 'never' : formatTime(key.expires_at)}
          </Field>
          <Field label="Created">{formatTime(key.created_at)}</Field>
          <Field label="Updated">{formatTime(key.updated_at)}</Field>
          {key.previous_key_expires_at !== null && (
            <Field label="Previous secret works until">
              {formatTime(key.previous_key_expires_at)}
            </Field>
          )}
          {key.revoked_at !== null && <Field label="Revoked">{formatTime(key.revoked_at)}</Field>}
        </SimpleGrid>
      </Card>
      <Group justify="space-between">
        <Title order={3} size="h4">
          Latest requests
        </Title>
        <Anchor component={Link} to={`/requests?key_id=${encodeURIComponent(key.id)}`} size="sm">
          All in the request log
        </Anchor>
      </Group>
      <RecentRequests id={key.id} />
      {editable && (
        <>
          <RotateModal id={key.id} opened={rotating} onClose={rotateModal.close} />
          <RevokeModal id={key.id} name={key.name} opened={revoking} onClose={revokeModal.close} />
        </>
      )}
    </Stack>
  );
}
