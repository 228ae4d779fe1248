/**
 * Create or edit an alert rule (POST /admin/alerts/rules, PATCH /admin/alerts/rules/{id}): the
 * metric, operator and threshold, the window, the scope (project, key, model, provider; empty =
 * all traffic), the channels (webhooks with a write-only signing secret, or the log) and whether
 * it is enabled. A webhook's stored secret shows as its last 4; left empty, it is kept.
 */
import {
  ActionIcon,
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { operations } from '../../api/schema';
import { useModelOptions } from '../routing/options';
import {
  ALERTS_KEY,
  lastFour,
  METRIC_OPTIONS,
  METRICS,
  OPERATORS,
  type AlertRule,
} from './alert-format';

type CreateBody = operations['postAdminAlertsRules']['requestBody']['content']['application/json'];

interface ChannelValues {
  type: 'webhook' | 'log';
  url: string;
  secret: string;
  remove_secret: boolean;
  secret_last4: string | null;
}

interface RuleValues {
  name: string;
  metric: AlertRule['metric'];
  operator: AlertRule['operator'];
  threshold: number | string;
  window_minutes: number | string;
  project_id: string | null;
  key_id: string | null;
  model: string;
  provider: string | null;
  channels: ChannelValues[];
  enabled: boolean;
}

function initialValues(rule: AlertRule | null): RuleValues {
  return {
    name: rule?.name ?? '',
    metric: rule?.metric ?? 'error_rate',
    operator: rule?.operator ?? '>',
    threshold: rule?.threshold ?? '',
    window_minutes: rule?.window_minutes ?? 15,
    project_id: rule?.scope.project_id ?? null,
    key_id: rule?.scope.key_id ?? null,
    model: rule?.scope.model ?? '',
    provider: rule?.scope.provider ?? null,
    channels: (rule?.channels ?? [{ type: 'log' as const }]).map((channel) =>
      channel.type === 'log'
        ? { type: 'log', url: '', secret: '', remove_secret: false, secret_last4: null }
        : {
            type: 'webhook',
            url: channel.url,
            secret: '',
            remove_secret: false,
            secret_last4: channel.secret_last4,
          },
    ),
    enabled: rule?.enabled ?? true,
  };
}

function bodyOf(values: RuleValues): CreateBody {
  const model = values.model.trim();
  return {
    name: values.name.trim(),
    metric: values.metric,
    operator: values.operator,
    threshold: Number(values.threshold),
    window_minutes: Number(values.window_minutes),
    scope: {
      ...(values.project_id === null ? {} : { project_id: values.project_id }),
      ...(values.key_id === null ? {} : { key_id: values.key_id }),
      ...(model === '' ? {} : { model }),
      ...(values.provider === null ? {} : { provider: values.provider }),
    },
    channels: values.channels.map((channel) => {
      if (channel.type === 'log') return { type: 'log' as const };
      const secret = channel.secret.trim();
      return {
        type: 'webhook' as const,
        url: channel.url.trim(),
        ...(secret !== '' ? { secret } : channel.remove_secret ? { secret: null } : {}),
      };
    }),
    enabled: values.enabled,
  };
}

function useScopeOptions() {
  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: async () => unwrap(await api.GET('/admin/projects')).data,
  });
  const keys = useQuery({
    queryKey: ['keys', { showRevoked: false }],
    queryFn: async () =>
      unwrap(await api.GET('/admin/keys', { params: { query: { include_revoked: 'false' } } }))
        .data,
  });
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: async () => unwrap(await api.GET('/admin/providers')).data,
  });
  return {
    projects: (projects.data ?? []).map((project) => ({ value: project.id, label: project.name })),
    keys: (keys.data ?? []).map((key) => ({ value: key.id, label: key.name })),
    providers: (providers.data ?? []).map((provider) => provider.id),
  };
}

export function AlertRuleModal({
  rule,
  onClose,
}: {
  /** null: a new rule. */
  rule: AlertRule | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const options = useScopeOptions();
  const models = useModelOptions();
  const form = useForm<RuleValues>({
    initialValues: initialValues(rule),
    validate: {
      name: (value) => (value.trim() === '' ? 'A name is required' : null),
      threshold: (value) => (value === '' ? 'A threshold is required' : null),
      channels: {
        url: (value, values, path) => {
          const index = Number(path.split('.')[1]);
          if (values.channels[index]?.type !== 'webhook') return null;
          try {
            new URL(value);
            return null;
          } catch {
            return 'A full http(s) URL';
          }
        },
      },
    },
  });
  const save = useMutation({
    mutationFn: async (values: RuleValues) =>
      rule === null
        ? unwrap(await api.POST('/admin/alerts/rules', { body: bodyOf(values) }))
        : unwrap(
            await api.PATCH('/admin/alerts/rules/{id}', {
              params: { path: { id: rule.id } },
              body: bodyOf(values),
            }),
          ),
    onSuccess: async (saved) => {
      notifications.show({ message: `${rule === null ? 'Created' : 'Saved'} ${saved.name}.` });
      await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      onClose();
    },
  });
  const budget = form.values.metric === 'budget_used_pct';
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title={rule === null ? 'New alert rule' : `Edit ${rule.name}`}
      size="xl"
    >
      <form onSubmit={form.onSubmit((values) => save.mutate(values))}>
        <Stack>
          <TextInput label="Rule name" required data-autofocus {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <Select
              label="Metric"
              data={METRIC_OPTIONS}
              allowDeselect={false}
              {...form.getInputProps('metric')}
            />
            <Select
              label="Operator"
              data={[...OPERATORS]}
              allowDeselect={false}
              {...form.getInputProps('operator')}
            />
            <NumberInput
              label="Threshold"
              description={METRICS[form.values.metric].unit}
              required
              decimalScale={6}
              {...form.getInputProps('threshold')}
            />
            <NumberInput
              label="Window (minutes)"
              description={budget ? "The budget's period" : '1–1440'}
              min={1}
              max={1440}
              disabled={budget}
              {...form.getInputProps('window_minutes')}
            />
          </SimpleGrid>
          <Text size="sm" fw={600}>
            Scope {budget ? '(a key or a project is needed)' : '(empty: all traffic)'}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <Select
              label="Project"
              placeholder="Any"
              data={options.projects}
              clearable
              {...form.getInputProps('project_id')}
            />
            <Select
              label="Key"
              placeholder="Any"
              data={options.keys}
              clearable
              searchable
              {...form.getInputProps('key_id')}
            />
            <Autocomplete
              label="Model"
              placeholder="Any"
              data={models.data ?? []}
              limit={20}
              {...form.getInputProps('model')}
            />
            <Select
              label="Provider"
              placeholder="Any"
              data={options.providers}
              clearable
              {...form.getInputProps('provider')}
            />
          </SimpleGrid>
          <Text size="sm" fw={600}>
            Channels
          </Text>
          {form.values.channels.map((channel, index) =>
            channel.type === 'log' ? (
              <Group key={index} justify="space-between">
                <Text size="sm">Gateway log (a warning line per event)</Text>
                <ActionIcon
                  variant="default"
                  aria-label={`Remove channel ${index + 1}`}
                  onClick={() => form.removeListItem('channels', index)}
                >
                  <span aria-hidden="true">✕</span>
                </ActionIcon>
              </Group>
            ) : (
              <Group key={index} align="end" wrap="nowrap">
                <TextInput
                  style={{ flex: 2 }}
                  label={`Webhook ${index + 1} URL`}
                  placeholder="https://hooks.example.com/signalbox"
                  {...form.getInputProps(`channels.${index}.url`)}
                />
                <PasswordInput
                  style={{ flex: 1 }}
                  label={`Webhook ${index + 1} signing secret`}
                  placeholder={
                    channel.secret_last4 === null
                      ? 'Optional'
                      : `Stored ${lastFour(channel.secret_last4)}`
                  }
                  autoComplete="off"
                  disabled={channel.remove_secret}
                  {...form.getInputProps(`channels.${index}.secret`)}
                />
                {channel.secret_last4 !== null && (
                  <Checkbox
                    mb={8}
                    label="Unsigned"
                    {...form.getInputProps(`channels.${index}.remove_secret`, {
                      type: 'checkbox',
                    })}
                  />
                )}
                <ActionIcon
                  mb={4}
                  variant="default"
                  size="lg"
                  aria-label={`Remove channel ${index + 1}`}
                  onClick={() => form.removeListItem('channels', index)}
                >
                  <span aria-hidden="true">✕</span>
                </ActionIcon>
              </Group>
            ),
          )}
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              onClick={() =>
                form.insertListItem('channels', {
                  type: 'webhook',
                  url: '',
                  secret: '',
                  remove_secret: false,
                  secret_last4: null,
                })
              }
            >
              Add webhook
            </Button>
            {!form.values.channels.some((channel) => channel.type === 'log') && (
              <Button
                variant="default"
                size="xs"
                onClick={() =>
                  form.insertListItem('channels', {
                    type: 'log',
                    url: '',
                    secret: '',
                    remove_secret: false,
                    secret_last4: null,
                  })
                }
              >
                Add log channel
              </Button>
            )}
          </Group>
          <Switch label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          {save.isError && <Alert color="red">{save.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {rule === null ? 'Create rule' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
