/**
 * Alerts (GET /admin/alerts/rules, /admin/alerts/events): the rules with their condition,
 * scope, channels, state and last value; admins create, edit, enable/disable and delete them.
 * The events tab is the history of firing and resolved transitions with their deliveries.
 * Viewers see both without the edit controls.
 */
import { Alert, Badge, Button, Group, Modal, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatTime } from '../../format';
import {
  ALERTS_KEY,
  describeChannels,
  describeCondition,
  describeScope,
  formatMetric,
  type AlertRule,
} from './alert-format';
import { AlertEventsPanel } from './AlertEventsPanel';
import { AlertRuleModal } from './AlertRuleModal';
import { useAlertRules } from './use-alert-rules';

/** Key and project names for the scopes (ids when a name is unknown). */
function useScopeNames() {
  const keys = useQuery({
    queryKey: ['keys', { showRevoked: true }],
    queryFn: async () =>
      unwrap(await api.GET('/admin/keys', { params: { query: { include_revoked: 'true' } } })).data,
  });
  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: async () => unwrap(await api.GET('/admin/projects')).data,
  });
  return {
    keys: new Map((keys.data ?? []).map((key) => [key.id, key.name])),
    projects: new Map((projects.data ?? []).map((project) => [project.id, project.name])),
  };
}

export function RuleState({ rule }: { rule: AlertRule }) {
  if (!rule.enabled)
    return (
      <Badge color="gray" variant="light">
        disabled
      </Badge>
    );
  return (
    <Badge color={rule.state === 'firing' ? 'red' : 'teal'} variant="light">
      {rule.last_evaluated_at === null ? 'pending' : rule.state}
    </Badge>
  );
}

function DeleteRuleModal({ rule, onClose }: { rule: AlertRule; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/admin/alerts/rules/{id}', { params: { path: { id: rule.id } } })),
    onSuccess: async () => {
      notifications.show({ message: `Deleted ${rule.name}.` });
      await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      onClose();
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title={`Delete ${rule.name}?`}
    >
      <Stack>
        <Text size="sm">The rule stops being evaluated; its past events stay in the history.</Text>
        {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete rule
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export default function AlertsPage() {
  const session = useSession();
  const editable = canEdit(session.data);
  const rules = useAlertRules();
  const [editing, setEditing] = useState<{ rule: AlertRule | null } | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const names = useScopeNames();
  const firing = (rules.data ?? []).filter((rule) => rule.enabled && rule.state === 'firing');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Alerts</Title>
        {editable && <Button onClick={() => setEditing({ rule: null })}>New rule</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        Each rule compares a metric over a window of recent traffic with a threshold, every 30 s;
        starting and stopping to fire are events, sent to the rule&apos;s channels.
      </Text>
      {rules.isError && <Alert color="red">{rules.error.message}</Alert>}
      {firing.length > 0 && (
        <Alert color="red" title={`${firing.length} firing`} role="status">
          {firing.map((rule) => rule.name).join(', ')}
        </Alert>
      )}
      <Tabs defaultValue="rules" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
          <Tabs.Tab value="events">Events</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules" pt="md">
          <Table.ScrollContainer minWidth={1000}>
            <Table striped highlightOnHover aria-label="Alert rules">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Condition</Table.Th>
                  <Table.Th>Scope</Table.Th>
                  <Table.Th>Channels</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Last value</Table.Th>
                  {editable && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(rules.data ?? []).map((rule) => (
                  <Table.Tr key={rule.id}>
                    <Table.Td fw={600}>{rule.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeCondition(rule)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeScope(rule.scope, names)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeChannels(rule.channels)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <RuleState rule={rule} />
                      {rule.state_since !== null && (
                        <Text size="xs" c="dimmed">
                          since {formatTime(rule.state_since)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {rule.last_evaluated_at === null
                          ? '—'
                          : formatMetric(rule.metric, rule.last_value)}
                      </Text>
                    </Table.Td>
                    {editable && (
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Edit ${rule.name}`}
                            onClick={() => setEditing({ rule })}
                          >
                            Edit
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Delete ${rule.name}`}
                            onClick={() => setDeleting(rule)}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rules.isSuccess && rules.data.length === 0 && (
            <Text size="sm" c="dimmed" mt="sm">
              No alert rule yet.
            </Text>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="md">
          <AlertEventsPanel rules={rules.data ?? []} />
        </Tabs.Panel>
      </Tabs>
      {editing !== null && (
        <AlertRuleModal
          key={editing.rule?.id ?? 'new'}
          rule={editing.rule}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting !== null && <DeleteRuleModal rule={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}
