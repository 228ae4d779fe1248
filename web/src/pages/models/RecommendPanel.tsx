/** Recommend models for requirements (POST /admin/catalog/recommend), with the best excluded ones. */
import {
  Anchor,
  Button,
  Group,
  List,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatMs, formatNanoUsd, formatTokens } from '../../format';
import { capabilityOptions } from './capabilities';
import { modelPath } from './model-path';

interface RecommendForm {
  capabilities: string[];
  min_context: number | string;
  budget_per_1k_requests_usd: number | string;
  prompt_tokens: number | string;
  completion_tokens: number | string;
  preference: 'cost' | 'speed' | 'balanced';
}

export function RecommendPanel() {
  const form = useForm<RecommendForm>({
    initialValues: {
      capabilities: [],
      min_context: '',
      budget_per_1k_requests_usd: '',
      prompt_tokens: 1000,
      completion_tokens: 500,
      preference: 'cost',
    },
  });
  const recommend = useMutation({
    mutationFn: async (values: RecommendForm) =>
      unwrap(
        await api.POST('/admin/catalog/recommend', {
          body: {
            capabilities: values.capabilities,
            preference: values.preference,
            ...(values.min_context === '' ? {} : { min_context: Number(values.min_context) }),
            ...(values.budget_per_1k_requests_usd === ''
              ? {}
              : { budget_per_1k_requests_usd: Number(values.budget_per_1k_requests_usd) }),
            ...(values.prompt_tokens === '' ? {} : { prompt_tokens: Number(values.prompt_tokens) }),
            ...(values.completion_tokens === ''
              ? {}
              : { completion_tokens: Number(values.completion_tokens) }),
            limit: 10,
          },
        }),
      ),
  });

  return (
    <Stack>
      <form onSubmit={form.onSubmit((values) => recommend.mutate(values))}>
        <Group align="end" wrap="wrap">
          <MultiSelect
            label="Needs"
            data={capabilityOptions}
            w={260}
            placeholder="Any"
            {...form.getInputProps('capabilities')}
          />
          <NumberInput
            label="Min context (tokens)"
            min={0}
            step={1000}
            w={170}
            {...form.getInputProps('min_context')}
          />
          <NumberInput
            label="Budget per 1K requests (USD)"
            min={0}
            decimalScale={4}
            w={240}
            {...form.getInputProps('budget_per_1k_requests_usd')}
          />
          <NumberInput
            label="Prompt tokens"
            min={0}
            w={130}
            {...form.getInputProps('prompt_tokens')}
          />
          <NumberInput
            label="Completion tokens"
            min={0}
            w={150}
            {...form.getInputProps('completion_tokens')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="preference-label">
              Prefer
            </Text>
            <SegmentedControl
              aria-labelledby="preference-label"
              data={[
                { value: 'cost', label: 'Cost' },
                { value: 'balanced', label: 'Balanced' },
                { value: 'speed', label: 'Speed' },
              ]}
              {...form.getInputProps('preference')}
            />
          </Stack>
          <Button type="submit" loading={recommend.isPending}>
            Recommend
          </Button>
        </Group>
      </form>
      {recommend.isError && <Text c="red">{recommend.error.message}</Text>}
      {recommend.data && (
        <>
          <Table striped aria-label="Recommended models">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Model</Table.Th>
                <Table.Th ta="right">Context</Table.Th>
                <Table.Th ta="right">Cost / 1K requests</Table.Th>
                <Table.Th ta="right">Observed latency</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recommend.data.data.map((model) => (
                <Table.Tr key={model.id}>
                  <Table.Td>{model.rank}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={modelPath(model.id)} size="sm">
                      {model.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{formatTokens(model.context_length)}</Table.Td>
                  <Table.Td ta="right">
                    {formatNanoUsd(model.cost_per_1k_requests_nanousd)}
                  </Table.Td>
                  <Table.Td ta="right">{formatMs(model.observed_latency_ms)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{model.reason}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {recommend.data.data.length === 0 && (
            <Text c="dimmed">No model meets every requirement.</Text>
          )}
          {recommend.data.excluded.length > 0 && (
            <>
              <Title order={3} size="h5">
                Close, but excluded
              </Title>
              <List size="sm">
                {recommend.data.excluded.map((model) => (
                  <List.Item key={model.id}>
                    <Text span fw={500} size="sm">
                      {model.name}
                    </Text>
                    : {model.reasons.join('; ')}
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </>
      )}
    </Stack>
  );
}
