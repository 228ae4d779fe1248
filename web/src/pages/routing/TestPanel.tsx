/**
 * The builder's test panel: explains sample requests against the unsaved draft
 * (POST /admin/routing/policies/{name}/test with `policy`), nothing saved, nothing sent
 * upstream. One sample per line; options add what changes routing (tools, max tokens, stream).
 */
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { RoutingDecisionView } from '../../components/RoutingDecisionView';
import { formatUsd } from '../../format';

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

export function TestPanel({
  name,
  draft,
}: {
  name: string;
  /** The policy document being edited, or null when the form is invalid. */
  draft: () => Record<string, unknown> | null;
}) {
  const [samples, setSamples] = useState(
    'Summarise this paragraph in one sentence.\nWrite a Python function that parses ISO dates.',
  );
  const [maxTokens, setMaxTokens] = useState<number | string>(500);
  const [tools, setTools] = useState(false);
  const [stream, setStream] = useState(false);
  const prompts = samples
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

  const test = useMutation({
    mutationFn: async (policy: Record<string, unknown>) =>
      unwrap(
        await api.POST('/admin/routing/policies/{name}/test', {
          params: { path: { name: name === '' ? 'draft' : name } },
          body: {
            policy,
            requests: prompts.map((prompt) => ({
              messages: [{ role: 'user', content: prompt }],
              ...(maxTokens === '' ? {} : { max_tokens: Number(maxTokens) }),
              ...(tools ? { tools: [WEATHER_TOOL] } : {}),
              ...(stream ? { stream: true } : {}),
            })),
          },
        }),
      ),
  });

  const run = () => {
    const policy = draft();
    if (policy !== null) test.mutate(policy);
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} size="h4">
          Test before saving
        </Title>
        <Text size="xs" c="dimmed">
          Runs explain on each sample against the draft on the left; nothing is saved or sent.
        </Text>
        <Textarea
          label="Sample requests (one prompt per line)"
          autosize
          minRows={3}
          maxRows={8}
          value={samples}
          onChange={(event) => setSamples(event.currentTarget.value)}
        />
        <Group align="end">
          <NumberInput
            label="Max tokens"
            min={1}
            w={120}
            value={maxTokens}
            onChange={setMaxTokens}
          />
          <Switch
            label="With a tool"
            checked={tools}
            onChange={(event) => setTools(event.currentTarget.checked)}
          />
          <Switch
            label="Stream"
            checked={stream}
            onChange={(event) => setStream(event.currentTarget.checked)}
          />
        </Group>
        <Button onClick={run} loading={test.isPending} disabled={prompts.length === 0}>
          Test draft
        </Button>
        {test.isError && (
          <Alert color="red" title="Cannot route">
            {test.error.message}
          </Alert>
        )}
        {test.data && (
          <Accordion
            variant="separated"
            multiple
            defaultValue={['0']}
            aria-label="Test results"
            data-testid="test-results"
          >
            {test.data.decisions.map((decision, index) => (
              <Accordion.Item key={index} value={String(index)}>
                <Accordion.Control>
                  <Text size="sm" truncate="end">
                    {prompts[index]}
                  </Text>
                  <Group gap={6}>
                    <Badge
                      variant="light"
                      tt="none"
                      size="sm"
                      color={decision.error ? 'red' : 'teal'}
                    >
                      {decision.selected_model ?? decision.error?.code ?? 'no target'}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {decision.selected_provider ?? ''} · expected{' '}
                      {formatUsd(decision.estimated_cost_usd?.expected ?? null)}
                    </Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <RoutingDecisionView
                    decision={decision}
                    headingLevel={4}
                    narrow
                    label={`Sample ${index + 1}`}
                  />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
    </Card>
  );
}
