/**
 * Starts a catalogue sync without waiting (202) and follows the run (GET /admin/catalog/sync/{id})
 * until it finishes, showing its phase and counts as they change.
 */
import { Button, Group, Loader, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';

type SyncRun = Schemas['CatalogSyncRun'];

function describe(run: SyncRun): string {
  if (run.status === 'running') return `Syncing: ${run.phase}…`;
  if (run.status === 'succeeded')
    return `Synced: ${run.new_models} new, ${run.changed_models} changed, ${run.retired_models} retired, ${run.prices_changed} price changes.`;
  return `Sync ${run.status}${run.error === null ? '' : `: ${run.error}`}`;
}

export function SyncButton() {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/admin/catalog/sync', { body: { wait: false } })),
    onSuccess: (run) => setRunId(run.id),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Sync failed', message: error.message }),
  });
  const run = useQuery({
    queryKey: ['sync', runId],
    enabled: runId !== null,
    queryFn: async () =>
      unwrap(await api.GET('/admin/catalog/sync/{id}', { params: { path: { id: runId ?? '' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
  const current = run.data ?? start.data;
  const running = start.isPending || current?.status === 'running';
  const finished = run.data !== undefined && run.data.status !== 'running' ? run.data.id : null;
  useEffect(() => {
    // Finished: refresh every catalogue view once.
    if (finished !== null) void queryClient.invalidateQueries({ queryKey: ['catalog'] });
  }, [finished, queryClient]);
  return (
    <Group gap="xs" wrap="nowrap">
      <Button variant="default" onClick={() => start.mutate()} disabled={running}>
        Sync from OpenRouter
      </Button>
      {running && <Loader size="xs" role="status" aria-label="Sync running" />}
      {current !== undefined && (
        <Text size="sm" c={current.status === 'failed' ? 'red' : 'dimmed'} role="status">
          {describe(current)}
        </Text>
      )}
    </Group>
  );
}
