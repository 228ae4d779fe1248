/**
 * Projects: each with its limits, active keys and budget use (GET /admin/projects/{id});
 * "New project" creates one with optional rpm, tpm and budget.
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
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { BudgetBar } from './BudgetBar';

export const PROJECTS_KEY = ['projects'] as const;

function ProjectUse({ project }: { project: Schemas['Project'] }) {
  const detail = useQuery({
    queryKey: [...PROJECTS_KEY, project.id],
    queryFn: async () =>
      unwrap(await api.GET('/admin/projects/{id}', { params: { path: { id: project.id } } })),
  });
  if (detail.data === undefined) return <Text size="sm">…</Text>;
  return <BudgetBar use={detail.data} label={`Budget of project ${project.name}`} />;
}

function ActiveKeys({ id }: { id: string }) {
  const detail = useQuery({
    queryKey: [...PROJECTS_KEY, id],
    queryFn: async () =>
      unwrap(await api.GET('/admin/projects/{id}', { params: { path: { id } } })),
  });
  return <>{detail.data?.active_keys ?? '…'}</>;
}

interface ProjectFormValues {
  name: string;
  rpm: number | string;
  tpm: number | string;
  budget_limit_usd: number | string;
  budget_period: 'day' | 'week' | 'month' | 'total';
}

const orNull = (value: number | string): number | null => (value === '' ? null : Number(value));

function CreateProjectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ProjectFormValues>({
    initialValues: { name: '', rpm: '', tpm: '', budget_limit_usd: '', budget_period: 'month' },
    validate: { name: (value) => (value.trim() === '' ? 'A name is required' : null) },
  });
  const create = useMutation({
    mutationFn: async (values: ProjectFormValues) => {
      const limit = orNull(values.budget_limit_usd);
      return unwrap(
        await api.POST('/admin/projects', {
          body: {
            name: values.name.trim(),
            rpm: orNull(values.rpm),
            tpm: orNull(values.tpm),
            budget: limit === null ? null : { limit_usd: limit, period: values.budget_period },
          },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: PROJECTS_KEY });
      close();
    },
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={opened}
      onClose={close}
      title="New project"
    >
      <form onSubmit={form.onSubmit((values) => create.mutate(values))}>
        <Stack>
          <TextInput label="Project name" required data-autofocus {...form.getInputProps('name')} />
          <SimpleGrid cols={2}>
            <NumberInput label="Requests / minute" min={1} {...form.getInputProps('rpm')} />
            <NumberInput label="Tokens / minute" min={1} {...form.getInputProps('tpm')} />
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
          </SimpleGrid>
          {create.isError && <Alert color="red">{create.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create project
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ProjectsPanel({
  projects,
  editable,
}: {
  projects: Schemas['Project'][];
  editable: boolean;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Stack>
      {editable && (
        <Group justify="flex-end">
          <Button onClick={open}>New project</Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table striped aria-label="Projects">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Project</Table.Th>
              <Table.Th ta="right">RPM</Table.Th>
              <Table.Th ta="right">TPM</Table.Th>
              <Table.Th ta="right">Active keys</Table.Th>
              <Table.Th w="45%">Budget</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {projects.map((project) => (
              <Table.Tr key={project.id}>
                <Table.Td>
                  <Text size="sm">{project.name}</Text>
                  <Text size="xs" c="dimmed">
                    {project.id}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{project.rpm ?? '—'}</Table.Td>
                <Table.Td ta="right">{project.tpm ?? '—'}</Table.Td>
                <Table.Td ta="right">
                  <ActiveKeys id={project.id} />
                </Table.Td>
                <Table.Td>
                  <ProjectUse project={project} />
                </Table.Td>
              </Table.Tr>
            ))}
            {projects.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed">
                    No project yet. Projects group keys under shared limits and a budget.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CreateProjectModal opened={opened} onClose={close} />
    </Stack>
  );
}
