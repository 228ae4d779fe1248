/**
 * The audit log (GET /admin/audit): every admin change, newest first — who, what, which
 * target, before and after (secrets masked), from where — filtered by actor, target, action and
 * time, a page at a time with "Load more" (cursor). Filters live in the URL.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { AuditEntry } from '../../api/types';
import { formatTime } from '../../format';

const KEYS = ['actor', 'target', 'action', 'range'] as const;
type Key = (typeof KEYS)[number];
const RANGES: Record<string, number> = { '1h': 1, '24h': 24, '7d': 24 * 7, '30d': 24 * 30 };

function Change({ entry }: { entry: AuditEntry }) {
  const show = (value: unknown) =>
    value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
  return (
    <Group align="start" grow wrap="nowrap">
      <div>
        <Text size="xs" c="dimmed">
          Before
        </Text>
        <Code block>{show(entry.before)}</Code>
      </div>
      <div>
        <Text size="xs" c="dimmed">
          After
        </Text>
        <Code block>{show(entry.after)}</Code>
      </div>
    </Group>
  );
}

export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Record<Key, string>>(
    () =>
      Object.fromEntries(KEYS.map((key) => [key, params.get(key) ?? ''])) as Record<Key, string>,
  );
  const [open, setOpen] = useState<number | null>(null);
  const publish = (next: Record<Key, string>) =>
    setParams(Object.fromEntries(Object.entries(next).filter(([, value]) => value.trim() !== '')), {
      replace: true,
    });
  const publishLater = useDebouncedCallback(publish, 350);
  const change = (key: Key, value: string, now = false) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    if (now) {
      publishLater.cancel();
      publish(next);
    } else publishLater(next);
  };

  const query: Record<string, string> = {};
  for (const key of ['actor', 'target', 'action'] as const) {
    const value = params.get(key)?.trim();
    if (value) query[key] = value;
  }
  const hours = RANGES[params.get('range') ?? ''];
  if (hours !== undefined)
    query.from = new Date(
      Math.floor((Date.now() - hours * 3_600_000) / 60_000) * 60_000,
    ).toISOString();

  const log = useInfiniteQuery({
    queryKey: ['audit', query],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/admin/audit', {
          params: { query: { ...query, ...(pageParam === null ? {} : { cursor: pageParam }) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor,
  });
  const rows = log.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group align="end" role="search" aria-label="Filter the audit log">
        <TextInput
          label="Actor key id"
          placeholder="master or key id"
          value={draft.actor}
          onChange={(event) => change('actor', event.currentTarget.value)}
        />
        <TextInput
          label="Target"
          placeholder="type or type:id"
          value={draft.target}
          onChange={(event) => change('target', event.currentTarget.value)}
        />
        <TextInput
          label="Action"
          placeholder="e.g. routing.policies.update"
          value={draft.action}
          onChange={(event) => change('action', event.currentTarget.value)}
        />
        <Select
          label="Time"
          w={140}
          allowDeselect={false}
          data={[
            { value: '', label: 'All time' },
            { value: '1h', label: 'Last hour' },
            { value: '24h', label: 'Last 24 h' },
            { value: '7d', label: 'Last 7 days' },
            { value: '30d', label: 'Last 30 days' },
          ]}
          value={draft.range}
          onChange={(value) => change('range', value ?? '', true)}
        />
      </Group>
      {log.isError && <Alert color="red">{log.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table striped aria-label="Audit entries" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Actor</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => (
              <Fragment key={entry.id}>
                <Table.Tr>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(entry.at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.actor.name}</Text>
                    <Group gap={4}>
                      <Text size="xs" c="dimmed">
                        {entry.actor.key_id}
                      </Text>
                      <Badge size="xs" variant="outline">
                        {entry.actor.role}
                      </Badge>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {entry.action}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {entry.target_type}
                    {entry.target_id !== null && `:${entry.target_id}`}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{entry.client_ip ?? '—'}</Text>
                    <Text size="xs" c="dimmed">
                      {entry.request_id ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-expanded={open === entry.id}
                      aria-label={`${open === entry.id ? 'Hide' : 'Show'} change ${entry.id}`}
                      onClick={() => setOpen(open === entry.id ? null : entry.id)}
                    >
                      {open === entry.id ? 'Hide' : 'Change'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {open === entry.id && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Change entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {log.isSuccess && rows.length === 0 && (
        <Text c="dimmed">No admin change matches these filters.</Text>
      )}
      {log.hasNextPage && (
        <Button
          variant="default"
          w={160}
          onClick={() => void log.fetchNextPage()}
          loading={log.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}
