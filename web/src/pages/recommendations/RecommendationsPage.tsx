/**
 * Recommendations (GET /admin/recommendations): for each key × project × model of real traffic
 * in the period, cheaper models that support everything that traffic used, with the exact
 * projected saving and what the alternative was observed doing (latency, error rate). Admins
 * start an experiment from one (POST /admin/recommendations/{id}/experiment): a routing policy
 * sending a share of that traffic to the alternative, followed on the routing page.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { canEdit, useSession } from '../../auth';
import { formatMs, formatPercent, formatTokens, formatUsd } from '../../format';
import { modelPath } from '../models/model-path';
import { ExperimentModal } from './ExperimentModal';

export type Recommendation = ResponseOf<'getAdminRecommendations'>['recommendations'][number];

const REQUIREMENTS = [
  ['tools', 'tools'],
  ['structured_output', 'structured output'],
  ['image_input', 'images'],
  ['reasoning', 'reasoning'],
] as const;

function Requirements({ recommendation }: { recommendation: Recommendation }) {
  const used = REQUIREMENTS.filter(([field]) => recommendation.requirements[field]);
  return (
    <Group gap={4}>
      {used.map(([field, label]) => (
        <Badge key={field} size="sm" variant="outline" color="gray" tt="none">
          {label}
        </Badge>
      ))}
      <Text size="xs" c="dimmed">
        prompts ≤ {formatTokens(recommendation.requirements.max_prompt_tokens)} tokens
      </Text>
    </Group>
  );
}

function Observed({ observed }: { observed: Recommendation['alternative']['observed'] }) {
  if (observed.requests === 0)
    return (
      <Text size="sm" c="dimmed">
        not used in this period
      </Text>
    );
  return (
    <Text size="sm">
      {observed.requests} req · p50 {formatMs(observed.latency_p50_ms)} · p95{' '}
      {formatMs(observed.latency_p95_ms)} · errors {formatPercent(observed.error_rate)}
    </Text>
  );
}

export default function RecommendationsPage() {
  const session = useSession();
  const editable = canEdit(session.data);
  const [days, setDays] = useState('30');
  const [experiment, setExperiment] = useState<Recommendation | null>(null);
  const report = useQuery({
    queryKey: ['recommendations', days],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/recommendations', { params: { query: { days: Number(days) } } }),
      ),
  });
  const keys = useQuery({
    queryKey: ['keys', { showRevoked: true }],
    queryFn: async () =>
      unwrap(await api.GET('/admin/keys', { params: { query: { include_revoked: 'true' } } })).data,
  });
  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: async () => unwrap(await api.GET('/admin/projects')).data,
  });
  const keyName = new Map((keys.data ?? []).map((key) => [key.id, key.name]));
  const projectName = new Map((projects.data ?? []).map((project) => [project.id, project.name]));
  const rows = report.data?.recommendations ?? [];
  // Alternatives of the same traffic do not add up: the best one per key × project × model.
  const best = new Map<string, number>();
  for (const row of rows) {
    const traffic = `${row.scope.key_id ?? ''} ${row.scope.project_id ?? ''} ${row.current_model}`;
    best.set(traffic, Math.max(best.get(traffic) ?? 0, row.alternative.saving_usd));
  }
  const total = [...best.values()].reduce((sum, saving) => sum + saving, 0);
  const scopeOf = (row: Recommendation) =>
    [
      row.scope.key_id === null
        ? 'master key'
        : (keyName.get(row.scope.key_id) ?? row.scope.key_id),
      row.scope.project_id === null
        ? null
        : (projectName.get(row.scope.project_id) ?? row.scope.project_id),
    ]
      .filter((part) => part !== null)
      .join(' · ');
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2}>Recommendations</Title>
        <Select
          label="Traffic of the last"
          data={[
            { value: '7', label: '7 days' },
            { value: '30', label: '30 days' },
            { value: '90', label: '90 days' },
          ]}
          value={days}
          onChange={(value) => setDays(value ?? '30')}
          allowDeselect={false}
          w={160}
        />
      </Group>
      <Text size="sm" c="dimmed">
        Cheaper models that support everything each key&apos;s traffic used (tools, structured
        output, images, reasoning, prompt size), priced on the same tokens. Start an experiment to
        send a share of that traffic to the alternative and compare on the routing page.
      </Text>
      {report.isError && <Alert color="red">{report.error.message}</Alert>}
      {report.data !== undefined && (
        <Text size="sm" data-testid="recommendations-summary">
          {rows.length} {rows.length === 1 ? 'recommendation' : 'recommendations'}
          {rows.length > 0 && ` · up to ${formatUsd(total)} saved on this period's traffic`}
        </Text>
      )}
      <Table.ScrollContainer minWidth={1050}>
        <Table striped aria-label="Recommendations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Traffic</Table.Th>
              <Table.Th>Uses</Table.Th>
              <Table.Th ta="right">Current cost</Table.Th>
              <Table.Th>Alternative</Table.Th>
              <Table.Th ta="right">Projected</Table.Th>
              <Table.Th ta="right">Saving</Table.Th>
              <Table.Th>Observed (alternative)</Table.Th>
              {editable && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {row.current_model}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {scopeOf(row)} · {row.requests} requests
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Requirements recommendation={row} />
                </Table.Td>
                <Table.Td ta="right">{formatUsd(row.current_cost_usd)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={modelPath(row.alternative.model)} size="sm" fw={600}>
                    {row.alternative.model}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{formatUsd(row.alternative.projected_cost_usd)}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" fw={700} data-testid="saving">
                    {formatUsd(row.alternative.saving_usd)}
                  </Text>
                  <Text size="xs">−{row.alternative.saving_pct.toFixed(1)}%</Text>
                </Table.Td>
                <Table.Td>
                  <Observed observed={row.alternative.observed} />
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="light"
                      aria-label={`Start experiment: ${row.current_model} → ${row.alternative.model}`}
                      onClick={() => setExperiment(row)}
                    >
                      Start experiment
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No recommendation: either no traffic could be served cheaper with the same features, or
          each key × model has fewer than 20 requests in the period.
        </Text>
      )}
      {experiment !== null && (
        <ExperimentModal recommendation={experiment} onClose={() => setExperiment(null)} />
      )}
    </Stack>
  );
}
