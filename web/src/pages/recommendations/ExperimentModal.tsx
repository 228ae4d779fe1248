/**
 * "Start experiment" from a recommendation (POST /admin/recommendations/{id}/experiment): the
 * share of traffic the alternative gets and, optionally, the policy's name. On success it says
 * which model id clients address to take part and links to the policy's experiment results.
 */
import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Recommendation } from './RecommendationsPage';

export function ExperimentModal({
  recommendation,
  onClose,
}: {
  recommendation: Recommendation;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [traffic, setTraffic] = useState<number | string>(10);
  const [policy, setPolicy] = useState('');
  const start = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/admin/recommendations/{id}/experiment', {
          params: { path: { id: recommendation.id } },
          body: {
            traffic_pct: Number(traffic),
            ...(policy.trim() === '' ? {} : { policy: policy.trim() }),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['routing'] });
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title="Start an experiment"
      size="lg"
    >
      {start.data !== undefined ? (
        <Stack>
          <Alert
            color="teal"
            title="Experiment started"
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
          >
            Requests to <Code>{start.data.model}</Code> now go {start.data.traffic_pct}% to{' '}
            {recommendation.alternative.model} and the rest to {recommendation.current_model}.
          </Alert>
          <Group justify="space-between">
            <Anchor
              component={Link}
              to={`/routing/${encodeURIComponent(start.data.policy.name)}?tab=experiment`}
            >
              Follow the results of {start.data.policy.name}
            </Anchor>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            start.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              A routing policy with two variants: {recommendation.current_model} (control) and{' '}
              {recommendation.alternative.model}. Point the traffic of this key at the policy&apos;s
              model id to take part.
            </Text>
            <NumberInput
              label="Traffic to the alternative (%)"
              min={1}
              max={100}
              value={traffic}
              onChange={setTraffic}
              data-autofocus
            />
            <TextInput
              label="Policy name"
              description="Empty: rec- and the recommendation's id"
              value={policy}
              onChange={(event) => setPolicy(event.currentTarget.value)}
            />
            {start.isError && <Alert color="red">{start.error.message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={start.isPending}>
                Start experiment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
