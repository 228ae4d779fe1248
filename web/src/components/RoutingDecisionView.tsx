/**
 * "Why this model": a routing decision (what explain returns, what the ledger stores with each
 * request) — the choice and its fallbacks, the reasoning, estimates (next to the actual figures
 * when the request ran), every ranked candidate with its scores, and what was excluded and why.
 * Used by the request detail and by the routing policy test panel.
 */
import { Badge, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { RoutingDecision } from '../api/types';
import { formatMs, formatUsd } from '../format';
import { ScrollRegion } from './ScrollRegion';

/** What really happened, for a decision that was carried out. */
export interface ActualOutcome {
  costUsd: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  model: string | null;
  provider: string | null;
  /** Position in the plan of the target that served: 0 = first choice, n = n-th fallback. */
  servedPosition: number | null;
}

function score(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
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

/** The plan's target at `position` (0 = the selection, n = the n-th fallback). */
function servedTarget(
  decision: RoutingDecision,
  position: number | null,
): { model: string; provider: string } | null {
  if (position === null) return null;
  if (position === 0)
    return decision.selected_model === null || decision.selected_provider === null
      ? null
      : { model: decision.selected_model, provider: decision.selected_provider };
  return decision.fallback_models[position - 1] ?? null;
}

export function RoutingDecisionView({
  decision,
  actual,
  headingLevel = 3,
  label = 'Routing decision',
  narrow = false,
}: {
  decision: RoutingDecision;
  actual?: ActualOutcome;
  headingLevel?: 3 | 4;
  /** Prefix of the tables' accessible names (several decisions can share a page). */
  label?: string;
  /** Laid out for a side panel: figures in two columns. */
  narrow?: boolean;
}) {
  const cost = decision.estimated_cost_usd;
  const latency = decision.estimated_latency_ms;
  const served = servedTarget(decision, actual?.servedPosition ?? null);
  const excludedTotal = Object.values(decision.excluded_counts).reduce<number>(
    (sum, count) => sum + (count ?? 0),
    0,
  );
  return (
    <Stack gap="sm">
      <Card withBorder>
        <SimpleGrid cols={narrow ? 2 : { base: 2, md: 4 }}>
          <Figure label="Selected">
            {decision.selected_model ?? '—'}
            {decision.selected_provider !== null && ` via ${decision.selected_provider}`}
          </Figure>
          <Figure label="Policy · strategy">
            {decision.policy === null
              ? 'plain model'
              : `signalbox/${decision.policy.name}@${decision.policy.version}${
                  decision.policy.variant === null ? '' : ` (variant ${decision.policy.variant})`
                }`}{' '}
            · {decision.strategy}
          </Figure>
          <Figure label="Confidence">{(decision.confidence_score * 100).toFixed(0)}%</Figure>
          <Figure label="Decided in">{decision.decided_in_us} µs</Figure>
          <Figure label={actual ? 'Estimated cost (expected) → actual' : 'Estimated cost'}>
            {cost === null
              ? 'unpriced'
              : `${formatUsd(cost.expected)} (${formatUsd(cost.min)}–${formatUsd(cost.max)})`}
            {actual && <> → {formatUsd(actual.costUsd)}</>}
          </Figure>
          <Figure label={actual ? 'Estimated latency → actual' : 'Estimated latency'}>
            {formatMs(latency.total)}
            {actual && <> → {formatMs(actual.latencyMs)}</>}
          </Figure>
          <Figure label={actual ? 'Estimated first token → actual' : 'Estimated first token'}>
            {formatMs(latency.ttft)}
            {actual && <> → {formatMs(actual.ttftMs)}</>}
          </Figure>
          <Figure label="Cost cap">
            {decision.max_cost_usd === null ? 'none' : formatUsd(decision.max_cost_usd)}
          </Figure>
        </SimpleGrid>
        {decision.requirements.length > 0 && (
          <Group gap={4} mt="sm">
            <Text size="xs" c="dimmed">
              Request requires:
            </Text>
            {decision.requirements.map((requirement) => (
              <Badge key={requirement} variant="light" tt="none" size="sm">
                {requirement}
              </Badge>
            ))}
          </Group>
        )}
        {decision.error !== null && (
          <Text c="red" size="sm" mt="sm" role="alert">
            {decision.error.code}: {decision.error.message}
          </Text>
        )}
      </Card>
      {decision.reasoning.length > 0 && (
        <List size="sm" spacing={2} aria-label={`${label}: reasoning`}>
          {decision.reasoning.map((line, index) => (
            <List.Item key={index}>{line}</List.Item>
          ))}
        </List>
      )}
      <Title order={headingLevel} size="h5">
        Candidates ({decision.candidates.length} ranked of {decision.candidates_considered}{' '}
        considered)
      </Title>
      <ScrollRegion label={`${label}: candidates (scrolls)`}>
        <Table
          striped
          aria-label={`${label}: candidates`}
          style={{ whiteSpace: 'nowrap' }}
          verticalSpacing={4}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rank</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th>Provider</Table.Th>
              <Table.Th ta="right">Cost score</Table.Th>
              <Table.Th ta="right">Latency score</Table.Th>
              <Table.Th ta="right">Quality</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
              <Table.Th ta="right">Est. cost</Table.Th>
              <Table.Th ta="right">Est. latency</Table.Th>
              <Table.Th>Latency from</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {decision.candidates.map((candidate) => {
              const isServed =
                served !== null &&
                served.model === candidate.model &&
                served.provider === candidate.provider;
              return (
                <Table.Tr key={`${candidate.model}|${candidate.provider}`}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {candidate.rank}
                      {isServed && (
                        <Badge color="teal" size="xs" variant="light">
                          served
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{candidate.model}</Table.Td>
                  <Table.Td>{candidate.provider}</Table.Td>
                  <Table.Td ta="right">{score(candidate.scores.cost)}</Table.Td>
                  <Table.Td ta="right">{score(candidate.scores.latency)}</Table.Td>
                  <Table.Td ta="right">{score(candidate.scores.quality)}</Table.Td>
                  <Table.Td ta="right">{score(candidate.scores.weight)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {score(candidate.scores.total)}
                  </Table.Td>
                  <Table.Td ta="right">
                    {formatUsd(candidate.estimated_cost_usd?.expected ?? null)}
                  </Table.Td>
                  <Table.Td ta="right">
                    {formatMs(candidate.estimated_latency_ms?.total ?? null)}
                  </Table.Td>
                  <Table.Td>{candidate.latency_source ?? 'no data'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <Title order={headingLevel} size="h5">
        Excluded ({excludedTotal})
      </Title>
      {excludedTotal === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing was excluded.
        </Text>
      ) : (
        <>
          <Group gap={4}>
            {Object.entries(decision.excluded_counts).map(([code, count]) => (
              <Badge key={code} variant="outline" color="orange" tt="none" size="sm">
                {code}: {count}
              </Badge>
            ))}
          </Group>
          <ScrollRegion label={`${label}: excluded (scrolls)`}>
            <Table aria-label={`${label}: excluded`} verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Model</Table.Th>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {decision.excluded.map((entry) => (
                  <Table.Tr key={`${entry.model}|${entry.provider}|${entry.reason_code}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{entry.model}</Table.Td>
                    <Table.Td>{entry.provider}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" component="span">
                        {entry.reason_code}
                      </Text>{' '}
                      <Text size="sm" c="dimmed" component="span">
                        {entry.reason}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </>
      )}
      {decision.fallback_models.length > 0 && (
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            Fallback chain:{' '}
          </Text>
          {decision.fallback_models
            .map((entry) => `${entry.model} via ${entry.provider}`)
            .join(' → ')}
        </Text>
      )}
    </Stack>
  );
}
