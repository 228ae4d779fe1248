/**
 * Alert event history (GET /admin/alerts/events): each firing or resolved transition, newest
 * first, with the value that caused it, its window, and each channel's delivery (status,
 * attempts, last HTTP status or error). Filter by rule and state; more pages on demand.
 */
import { Alert, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formatTime } from '../../format';
import {
  ALERTS_KEY,
  describeScope,
  formatMetric,
  METRICS,
  type AlertEvent,
  type AlertRule,
} from './alert-format';

function Deliveries({ event }: { event: AlertEvent }) {
  if (event.deliveries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        no channel
      </Text>
    );
  return (
    <Stack gap={2}>
      {event.deliveries.map((delivery) => {
        const last = delivery.attempts.at(-1);
        const detail =
          last === undefined
            ? ''
            : ` · ${delivery.attempts.length} ${delivery.attempts.length === 1 ? 'attempt' : 'attempts'}${last.status_code === null ? '' : `, HTTP ${last.status_code}`}${last.error === null ? '' : `, ${last.error}`}`;
        return (
          <Text size="sm" key={delivery.channel}>
            <Badge
              size="sm"
              variant="light"
              color={
                delivery.status === 'delivered'
                  ? 'teal'
                  : delivery.status === 'failed'
                    ? 'red'
                    : 'gray'
              }
            >
              {delivery.status}
            </Badge>{' '}
            {delivery.type}
            {detail}
          </Text>
        );
      })}
    </Stack>
  );
}

export function AlertEventsPanel({ rules }: { rules: AlertRule[] }) {
  const [ruleId, setRuleId] = useState<string | null>(null);
  const [state, setState] = useState<string | null>(null);
  const events = useInfiniteQuery({
    queryKey: [...ALERTS_KEY, 'events', { ruleId, state }],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/admin/alerts/events', {
          params: {
            query: {
              limit: 50,
              ...(ruleId === null ? {} : { rule_id: ruleId }),
              ...(state === 'firing' || state === 'resolved' ? { state } : {}),
              ...(pageParam === null ? {} : { cursor: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: 30_000,
  });
  const rows = (events.data?.pages ?? []).flatMap((page) => page.data);
  return (
    <Stack>
      <Group>
        <Select
          label="Rule"
          placeholder="All rules"
          clearable
          data={rules.map((rule) => ({ value: rule.id, label: rule.name }))}
          value={ruleId}
          onChange={setRuleId}
        />
        <Select
          label="State"
          placeholder="Both"
          clearable
          data={['firing', 'resolved']}
          value={state}
          onChange={setState}
        />
      </Group>
      {events.isError && <Alert color="red">{events.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table striped aria-label="Alert events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Window</Table.Th>
              <Table.Th>Deliveries</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>
                  <Text size="sm">{formatTime(event.at)}</Text>
                </Table.Td>
                <Table.Td>{event.rule_name}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={event.state === 'firing' ? 'red' : 'teal'}>
                    {event.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {METRICS[event.metric].label} {formatMetric(event.metric, event.value)} (
                    {event.operator} {formatMetric(event.metric, event.threshold)})
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{describeScope(event.scope)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {formatTime(event.window_from)} – {formatTime(event.window_to)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Deliveries event={event} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.isSuccess && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No event yet: a rule records one each time it starts or stops firing.
        </Text>
      )}
      {events.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void events.fetchNextPage()}
          loading={events.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}
