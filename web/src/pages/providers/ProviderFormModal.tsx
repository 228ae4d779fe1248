/**
 * Add or edit a provider instance (POST /admin/providers, PATCH /admin/providers/{id}). The API
 * key is write-only: the form never holds the stored one, only its last 4 characters as a hint;
 * left empty on edit, the stored key stays. Models are one per line, `alias` or
 * `alias = upstream id`; headers `Name: value`, sent only when typed (their stored values are
 * masked, so an edit replaces them all).
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Provider = Schemas['Provider'];
export const PROVIDERS_KEY = ['providers'] as const;

export const PROVIDER_TYPES = [
  { value: 'openrouter', label: 'OpenRouter' },
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
  { value: 'gemini', label: 'Google Gemini' },
  { value: 'openai-compatible', label: 'OpenAI-compatible' },
] as const;
type ProviderType = (typeof PROVIDER_TYPES)[number]['value'];

interface FormValues {
  id: string;
  type: ProviderType;
  base_url: string;
  api_key: string;
  remove_key: boolean;
  models: string;
  headers: string;
  enabled: boolean;
  serve_catalogue: boolean;
}

/** `alias` or `alias = upstream` per line → `{alias: upstream}`. */
export function parseModels(text: string): Record<string, string> {
  const models: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [alias = '', upstream] = line.split('=').map((part) => part.trim());
    if (alias !== '') models[alias] = upstream === undefined || upstream === '' ? alias : upstream;
  }
  return models;
}

export function formatModels(models: Record<string, string>): string {
  return Object.entries(models)
    .map(([alias, upstream]) => (alias === upstream ? alias : `${alias} = ${upstream}`))
    .join('\n');
}

/** `Name: value` per line → `{Name: value}`. */
function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function initialValues(provider: Provider | null): FormValues {
  return {
    id: provider?.id ?? '',
    type: provider?.type ?? 'openai-compatible',
    base_url: provider?.base_url ?? '',
    api_key: '',
    remove_key: false,
    models: provider === null ? '' : formatModels(provider.models),
    headers: '',
    enabled: provider?.enabled ?? true,
    serve_catalogue: provider?.serve_catalogue ?? false,
  };
}

export function ProviderFormModal({
  provider,
  opened,
  onClose,
}: {
  /** null: a new provider. */
  provider: Provider | null;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const editing = provider !== null;
  const form = useForm<FormValues>({
    initialValues: initialValues(provider),
    validate: {
      id: (value) =>
        editing || /^[a-z0-9][a-z0-9._-]{0,62}$/.test(value)
          ? null
          : 'Lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
      base_url: (value) => {
        if (value.trim() === '') return null;
        try {
          new URL(value.trim());
          return null;
        } catch {
          return 'A full URL, e.g. https://api.example.com/v1';
        }
      },
    },
  });
  const save = useMutation({
    mutationFn: async (values: FormValues): Promise<Provider> => {
      const baseUrl = values.base_url.trim();
      const common = {
        type: values.type,
        models: parseModels(values.models),
        enabled: values.enabled,
        serve_catalogue: values.serve_catalogue,
        ...(baseUrl === '' ? {} : { base_url: baseUrl }),
        ...(values.headers.trim() === '' ? {} : { headers: parseHeaders(values.headers) }),
      };
      const key = values.api_key.trim();
      if (provider === null)
        return unwrap(
          await api.POST('/admin/providers', {
            body: { id: values.id, ...common, ...(key === '' ? {} : { api_key: key }) },
          }),
        );
      const apiKey = values.remove_key ? { api_key: null } : key === '' ? {} : { api_key: key };
      return unwrap(
        await api.PATCH('/admin/providers/{id}', {
          params: { path: { id: provider.id } },
          body: { ...common, ...apiKey },
        }),
      );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: `${editing ? 'Saved' : 'Added'} ${saved.id}.` });
      await queryClient.invalidateQueries({ queryKey: PROVIDERS_KEY });
      close();
    },
  });
  const close = () => {
    form.setValues(initialValues(provider));
    form.resetDirty();
    save.reset();
    onClose();
  };
  const last4 = provider?.api_key_last4 ?? null;
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={opened}
      onClose={close}
      title={editing ? `Edit ${provider.id}` : 'Add a provider'}
      size="lg"
    >
      <form onSubmit={form.onSubmit((values) => save.mutate(values))}>
        <Stack>
          <SimpleGrid cols={2}>
            <TextInput
              label="Id"
              description="Named in provider preferences (provider.only, order, ignore)"
              required
              disabled={editing}
              data-autofocus
              {...form.getInputProps('id')}
            />
            <Select
              label="Type"
              data={PROVIDER_TYPES}
              allowDeselect={false}
              {...form.getInputProps('type')}
            />
          </SimpleGrid>
          <TextInput
            label="Base URL"
            description="Empty: the type's public endpoint"
            placeholder="https://api.example.com/v1"
            {...form.getInputProps('base_url')}
          />
          <PasswordInput
            label="API key"
            description={
              last4 === null
                ? 'Stored encrypted; never shown again'
                : `Stored key ends in ${last4}; leave empty to keep it`
            }
            autoComplete="off"
            disabled={form.values.remove_key}
            {...form.getInputProps('api_key')}
          />
          {editing && last4 !== null && (
            <Checkbox
              label="Remove the stored key"
              {...form.getInputProps('remove_key', { type: 'checkbox' })}
            />
          )}
          <Textarea
            label="Models"
            description="One per line: a model id, or alias = upstream id"
            autosize
            minRows={2}
            maxRows={8}
            {...form.getInputProps('models')}
          />
          <Textarea
            label="Headers"
            description={
              editing && Object.keys(provider.headers).length > 0
                ? `One per line, Name: value. Current: ${Object.keys(provider.headers).join(', ')}; filled, replaces them all`
                : 'One per line, Name: value'
            }
            autosize
            minRows={1}
            maxRows={6}
            {...form.getInputProps('headers')}
          />
          <Group>
            <Switch label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
            <Switch
              label="Serve its catalogue"
              {...form.getInputProps('serve_catalogue', { type: 'checkbox' })}
            />
          </Group>
          {save.isError && <Alert color="red">{save.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? 'Save' : 'Add provider'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
