/** 2–6 models side by side with the cost of a workload (POST /admin/catalog/compare). */
import { Anchor, Badge, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formatMs, formatNanoUsd, formatTokens, formatUsd } from '../../format';
import { modelPath } from './model-path';

export default function ComparePage() {
  const [params] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').filter((id) => id !== '');
  const form = useForm({
    initialValues: { prompt_tokens: 1000, completion_tokens: 500, requests_per_day: 1000 },
  });
  const [workload] = useDebouncedValue(form.values, 300);
  const compare = useQuery({
    queryKey: ['catalog', 'compare', ids, workload],
    enabled: ids.length >= 2,
    queryFn: async () =>
      unwrap(
        await api.POST('/admin/catalog/compare', {
          body: {
            models: ids,
            workload: {
              prompt_tokens: Number(workload.prompt_tokens) || 0,
              completion_tokens: Number(workload.completion_tokens) || 0,
              requests_per_day: Number(workload.requests_per_day) || 0,
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const models = compare.data?.models ?? [];
  const rows: { label: string; cell: (model: (typeof models)[number]) => React.ReactNode }[] = [
    { label: 'Cost per request', cell: (model) => formatNanoUsd(model.cost_per_request_nanousd) },
    { label: 'Cost per day', cell: (model) => formatNanoUsd(model.cost_per_day_nanousd) },
    {
      label: 'Cost per 30 days',
      cell: (model) =>
        model.cost_per_day_nanousd === null
          ? '—'
          : formatUsd((model.cost_per_day_nanousd * 30) / 1e9),
    },
    { label: 'Prompt $/1M', cell: (model) => formatUsd(model.prompt_price_per_million_usd) },
    {
      label: 'Completion $/1M',
      cell: (model) => formatUsd(model.completion_price_per_million_usd),
    },
    { label: 'Context', cell: (model) => formatTokens(model.context_length) },
    { label: 'Max output', cell: (model) => formatTokens(model.max_completion_tokens) },
    { label: 'Observed latency', cell: (model) => formatMs(model.observed_latency_ms) },
    ...(['tools', 'structured_outputs', 'reasoning', 'vision'] as const).map((capability) => ({
      label: capability.replace('_', ' '),
      cell: (model: (typeof models)[number]) => (model.capabilities[capability] ? 'yes' : 'no'),
    })),
    { label: 'Input', cell: (model) => model.input_modalities.join(', ') },
    {
      label: 'Status',
      cell: (model) => `${model.status}, ${model.enabled ? 'enabled' : 'disabled'}`,
    },
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/models" size="sm">
        ← Models
      </Anchor>
      <Title order={2}>Compare models</Title>
      {ids.length < 2 && (
        <Text c="dimmed">Select 2 to 6 models on the Models page to compare them.</Text>
      )}
      <Group align="end">
        <NumberInput
          label="Prompt tokens per request"
          min={0}
          step={100}
          w={230}
          {...form.getInputProps('prompt_tokens')}
        />
        <NumberInput
          label="Completion tokens per request"
          min={0}
          step={100}
          w={250}
          {...form.getInputProps('completion_tokens')}
        />
        <NumberInput
          label="Requests per day"
          min={0}
          step={100}
          w={170}
          {...form.getInputProps('requests_per_day')}
        />
      </Group>
      {compare.isError && <Text c="red">{compare.error.message}</Text>}
      {models.length > 0 && (
        <Table.ScrollContainer minWidth={200 + models.length * 180}>
          <Table withColumnBorders striped aria-label="Model comparison">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <Text size="sm" c="dimmed">
                    Workload cost
                  </Text>
                </Table.Th>
                {models.map((model) => (
                  <Table.Th key={model.id}>
                    <Anchor component={Link} to={modelPath(model.id)} size="sm" fw={600}>
                      {model.name}
                    </Anchor>
                    {compare.data?.cheapest === model.id && (
                      <Badge color="teal" variant="light" size="xs" ml={6}>
                        cheapest
                      </Badge>
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.label}>
                  <Table.Th scope="row" fw={500}>
                    {row.label}
                  </Table.Th>
                  {models.map((model) => (
                    <Table.Td key={model.id}>{row.cell(model)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
