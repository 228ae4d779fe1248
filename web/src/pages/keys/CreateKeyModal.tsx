/**
 * "New key": the key's name, project, role and — for client keys — allowed models, rate limits,
 * budget, cost cap per request and expiry; on success the secret is shown once.
 */
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import type { operations } from '../../api/schema';
import { SecretOnce } from './SecretOnce';

export const KEYS_KEY = ['keys'] as const;

interface KeyFormValues {
  name: string;
  project_id: string | null;
  role: 'client' | 'viewer' | 'admin';
  models: string[];
  rpm: number | string;
  tpm: number | string;
  max_concurrency: number | string;
  budget_limit_usd: number | string;
  budget_period: 'day' | 'week' | 'month' | 'total';
  max_cost_per_request_usd: number | string;
  expires_at: string;
}

const orNull = (value: number | string): number | null =>
  value === '' || value === undefined ? null : Number(value);

type CreateBody = operations['postAdminKeys']['requestBody']['content']['application/json'];

function bodyOf(values: KeyFormValues): CreateBody {
  const base = { name: values.name.trim(), project_id: values.project_id, role: values.role };
  if (values.role !== 'client') return base;
  const limit = orNull(values.budget_limit_usd);
  return {
    ...base,
    models: values.models.length === 0 ? null : values.models,
    rpm: orNull(values.rpm),
    tpm: orNull(values.tpm),
    max_concurrency: orNull(values.max_concurrency),
    budget: limit === null ? null : { limit_usd: limit, period: values.budget_period },
    max_cost_per_request_usd: orNull(values.max_cost_per_request_usd),
    expires_at: values.expires_at === '' ? null : new Date(values.expires_at).toISOString(),
  };
}

export function CreateKeyModal({
  opened,
  onClose,
  projects,
}: {
  opened: boolean;
  onClose: () => void;
  projects: Schemas['Project'][];
}) {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<KeyFormValues>({
    initialValues: {
      name: '',
      project_id: null,
      role: 'client',
      models: [],
      rpm: '',
      tpm: '',
      max_concurrency: '',
      budget_limit_usd: '',
      budget_period: 'month',
      max_cost_per_request_usd: '',
      expires_at: '',
    },
    validate: { name: (value) => (value.trim() === '' ? 'A name is required' : null) },
  });
  const create = useMutation({
    mutationFn: async (values: KeyFormValues) =>
      unwrap(await api.POST('/admin/keys', { body: bodyOf(values) })),
    onSuccess: async (created) => {
      setSecret(created.key);
      await queryClient.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
  const close = () => {
    setSecret(null);
    form.reset();
    create.reset();
    onClose();
  };
  const client = form.values.role === 'client';
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={opened}
      onClose={close}
      title="New API key"
      size="lg"
    >
      {secret !== null ? (
        <SecretOnce secret={secret} onDone={close} />
      ) : (
        <form onSubmit={form.onSubmit((values) => create.mutate(values))}>
          <Stack>
            <SimpleGrid cols={2}>
              <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
              <Select
                label="Project"
                placeholder="None"
                clearable
                clearButtonProps={{ 'aria-label': 'Clear project' }}
                data={projects.map((project) => ({ value: project.id, label: project.name }))}
                {...form.getInputProps('project_id')}
              />
              <Select
                label="Role"
                allowDeselect={false}
                data={[
                  { value: 'client', label: 'client — calls /v1 under its limits' },
                  { value: 'viewer', label: 'viewer — reads the admin API' },
                  { value: 'admin', label: 'admin — changes the admin API' },
                ]}
                {...form.getInputProps('role')}
              />
              <TextInput
                label="Expires at"
                type="datetime-local"
                disabled={!client}
                {...form.getInputProps('expires_at')}
              />
            </SimpleGrid>
            {client && (
              <>
                <TagsInput
                  label="Allowed models"
                  description="Model ids or globs (openai/*); empty = any model"
                  placeholder="openai/*"
                  {...form.getInputProps('models')}
                />
                <SimpleGrid cols={3}>
                  <NumberInput label="Requests / minute" min={1} {...form.getInputProps('rpm')} />
                  <NumberInput label="Tokens / minute" min={1} {...form.getInputProps('tpm')} />
                  <NumberInput
                    label="Max concurrency"
                    min={1}
                    {...form.getInputProps('max_concurrency')}
                  />
                  <NumberInput
                    label="Budget limit ($)"
                    min={0}
                    decimalScale={4}
                    {...form.getInputProps('budget_limit_usd')}
                  />
                  <Select
                    label="Budget period"
                    allowDeselect={false}
                    data={['day', 'week', 'month', 'total']}
                    {...form.getInputProps('budget_period')}
                  />
                  <NumberInput
                    label="Max cost per request ($)"
                    min={0}
                    decimalScale={6}
                    {...form.getInputProps('max_cost_per_request_usd')}
                  />
                </SimpleGrid>
              </>
            )}
            {create.isError && <Alert color="red">{create.error.message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
