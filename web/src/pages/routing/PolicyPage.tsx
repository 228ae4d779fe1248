/**
 * One routing policy (`/routing/:name`) or a new one (`/routing/new`): tabs for the builder
 * with its test panel, the versions with diff and rollback, and the experiment. The builder is
 * keyed by version, so a rollback or promote shows the new current document.
 */
import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Tabs, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { emptyPolicy, formFromPolicy } from './policy-form';
import { PolicyBuilder } from './PolicyBuilder';
import { ExperimentPanel } from './ExperimentPanel';
import { POLICIES_KEY } from './RoutingPage';
import { VersionsPanel } from './VersionsPanel';

function Back() {
  return (
    <Anchor component={Link} to="/routing" size="sm">
      ← Routing
    </Anchor>
  );
}

export default function PolicyPage() {
  const { name = 'new' } = useParams();
  const [searchParams] = useSearchParams();
  const session = useSession();
  const editable = canEdit(session.data);
  const isNew = name === 'new';
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const policy = useQuery({
    queryKey: ['routing', 'policy', name],
    queryFn: async () =>
      unwrap(await api.GET('/admin/routing/policies/{name}', { params: { path: { name } } })),
    enabled: !isNew,
  });
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/admin/routing/policies/{name}', { params: { path: { name } } })),
    onSuccess: async () => {
      notifications.show({ message: `Deleted signalbox/${name}; its history is kept.` });
      queryClient.removeQueries({ queryKey: ['routing', 'policy', name] });
      await queryClient.invalidateQueries({ queryKey: POLICIES_KEY });
      void navigate('/routing');
    },
  });

  if (isNew)
    return (
      <Stack>
        <Back />
        <Title order={2}>New routing policy</Title>
        <PolicyBuilder initial={emptyPolicy} isNew editable={editable} />
      </Stack>
    );

  const current = policy.data;
  return (
    <Stack>
      <Back />
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2}>signalbox/{name}</Title>
          {current && <Badge variant="light">version {current.version}</Badge>}
        </Group>
        {editable && current && (
          <Button
            color="red"
            variant={confirming ? 'filled' : 'subtle'}
            loading={remove.isPending}
            onClick={() => (confirming ? remove.mutate() : setConfirming(true))}
            onBlur={() => setConfirming(false)}
          >
            {confirming ? 'Click again to delete' : 'Delete'}
          </Button>
        )}
      </Group>
      {policy.isPending && <Loader role="status" aria-label="Loading" />}
      {policy.isError && <Alert color="red">{policy.error.message}</Alert>}
      {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
      {current && (
        <Tabs defaultValue={searchParams.get('tab') ?? 'builder'} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="builder">Builder &amp; test</Tabs.Tab>
            <Tabs.Tab value="versions">Versions</Tabs.Tab>
            <Tabs.Tab value="experiment">Experiment</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="builder" pt="md">
            <PolicyBuilder
              key={current.version}
              initial={formFromPolicy(current)}
              isNew={false}
              editable={editable}
            />
          </Tabs.Panel>
          <Tabs.Panel value="versions" pt="md">
            <VersionsPanel name={name} currentVersion={current.version} editable={editable} />
          </Tabs.Panel>
          <Tabs.Panel value="experiment" pt="md">
            <ExperimentPanel
              name={name}
              variants={(current.variants ?? []).map((variant) => variant.name)}
              editable={editable}
            />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
