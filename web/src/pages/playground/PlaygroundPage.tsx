/**
 * The playground: a multi-turn chat through the gateway (routing, fallback, ledger and all),
 * streaming with a stop button, a model or routing policy (`signalbox/<name>`) picker,
 * temperature, max tokens and system prompt. Each reply shows the model and provider that
 * served it, the route (policy, version, variant, fallback), tokens, cost and latency, and
 * links to its ledger entry. The conversation is kept in this browser tab (sessionStorage).
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  NumberInput,
  Paper,
  ScrollArea,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useSessionStorage } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { canEdit, useSession } from '../../auth';
import { formatMs, formatUsd } from '../../format';
import { sendChat, type ChatMessage, type ReplyMeta } from './chat-client';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  meta?: ReplyMeta;
  error?: string;
}

function ReplyDetails({ meta }: { meta: ReplyMeta }) {
  const tokens =
    meta.promptTokens === null
      ? '—'
      : `${meta.promptTokens} in / ${meta.completionTokens ?? '—'} out`;
  return (
    <Text size="xs" c="dimmed" data-testid="reply-meta">
      {meta.model ?? '—'} via {meta.provider ?? '—'}
      {meta.route !== null && meta.route.includes('policy=') && ` · route ${meta.route}`} · {tokens}{' '}
      tokens · cost {formatUsd(meta.costUsd)} · {formatMs(meta.latencyMs)}
      {meta.ttftMs !== null && ` (first token ${formatMs(meta.ttftMs)})`}
      {meta.stopped && ' · stopped'}
      {meta.requestId !== null && (
        <>
          {' · '}
          <Anchor
            component={Link}
            to={`/requests/${encodeURIComponent(meta.requestId)}`}
            size="xs"
            underline="always"
          >
            ledger entry
          </Anchor>
        </>
      )}
    </Text>
  );
}

export default function PlaygroundPage() {
  const session = useSession();
  const [turns, setTurns] = useSessionStorage<Turn[]>({
    key: 'signalbox-playground',
    defaultValue: [],
  });
  const [model, setModel] = useState<string | null>('openai/gpt-4o-mini');
  const [system, setSystem] = useState('You are a helpful assistant.');
  const [temperature, setTemperature] = useState(0.7);
  const [maxTokens, setMaxTokens] = useState<number | string>(512);
  const [stream, setStream] = useState(true);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const models = useQuery({
    queryKey: ['catalog', 'models', 'playground'],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/catalog/models', {
          params: { query: { enabled: 'true', retired: 'false', limit: '500', sort: 'name' } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
  const policies = useQuery({
    queryKey: ['routing', 'policies'],
    queryFn: async () => unwrap(await api.GET('/admin/routing/policies')).data,
    staleTime: 60_000,
  });
  const policyIds = [
    ...new Set(['auto', ...(policies.data ?? []).map((policy) => policy.name)]),
  ].map((name) => `signalbox/${name}`);
  const options = [
    { group: 'Routing policies', items: policyIds },
    { group: 'Models', items: (models.data?.data ?? []).map((entry) => entry.id) },
  ];

  if (session.data !== undefined && !canEdit(session.data))
    return (
      <Stack>
        <Title order={2}>Playground</Title>
        <Alert color="gray">
          The playground sends real requests; it needs an admin or owner key.
        </Alert>
      </Stack>
    );

  const send = async () => {
    const text = input.trim();
    if (text === '' || model === null || busy) return;
    const history: Turn[] = [...turns, { role: 'user', content: text }];
    setTurns([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setBusy(true);
    const abort = new AbortController();
    controller.current = abort;
    let reply = '';
    const messages: ChatMessage[] = [
      ...(system.trim() === '' ? [] : [{ role: 'system' as const, content: system.trim() }]),
      ...history.map((turn) => ({ role: turn.role, content: turn.content })),
    ];
    const update = (patch: Partial<Turn>) =>
      setTurns([...history, { role: 'assistant', content: reply, ...patch }]);
    try {
      const meta = await sendChat(
        messages,
        {
          model,
          temperature,
          maxTokens: maxTokens === '' ? null : Number(maxTokens),
          stream,
        },
        (piece) => {
          reply += piece;
          update({});
        },
        abort.signal,
      );
      update({ meta });
    } catch (error) {
      if (abort.signal.aborted) update({});
      else update({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
      controller.current = null;
    }
  };

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack h="calc(100vh - 120px)" gap="sm">
          <Group justify="space-between">
            <Title order={2}>Playground</Title>
            <Button
              variant="subtle"
              onClick={() => setTurns([])}
              disabled={busy || turns.length === 0}
            >
              New chat
            </Button>
          </Group>
          <Paper withBorder p="sm" style={{ flex: 1, minHeight: 0 }}>
            <ScrollArea h="100%">
              <Stack gap="sm" role="log" aria-live="polite" aria-label="Conversation">
                {turns.length === 0 && (
                  <Text c="dimmed" size="sm">
                    Ask anything. Replies go through the gateway and appear in the ledger.
                  </Text>
                )}
                {turns.map((turn, index) => (
                  <Card
                    key={index}
                    padding="sm"
                    withBorder
                    bg={turn.role === 'user' ? 'var(--mantine-color-default-hover)' : undefined}
                    data-role={turn.role}
                  >
                    <Text size="xs" fw={600} c="dimmed">
                      {turn.role === 'user' ? 'You' : 'Assistant'}
                    </Text>
                    <Text
                      size="sm"
                      style={{ whiteSpace: 'pre-wrap' }}
                      data-testid={`${turn.role}-text`}
                    >
                      {turn.content}
                    </Text>
                    {turn.meta !== undefined && <ReplyDetails meta={turn.meta} />}
                    {turn.error !== undefined && (
                      <Text size="sm" c="red" role="alert">
                        {turn.error}
                      </Text>
                    )}
                  </Card>
                ))}
              </Stack>
            </ScrollArea>
          </Paper>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void send();
            }}
          >
            <Group align="end" wrap="nowrap">
              <Textarea
                label="Message"
                placeholder="Type a message; Enter sends, Shift+Enter adds a line"
                autosize
                minRows={2}
                maxRows={6}
                value={input}
                onChange={(event) => setInput(event.currentTarget.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && !event.shiftKey) {
                    event.preventDefault();
                    void send();
                  }
                }}
                style={{ flex: 1 }}
              />
              {busy ? (
                <Button color="red" onClick={() => controller.current?.abort()}>
                  Stop
                </Button>
              ) : (
                <Button type="submit" disabled={input.trim() === '' || model === null}>
                  Send
                </Button>
              )}
            </Group>
          </form>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card withBorder>
          <Stack>
            <Select
              label="Model or policy"
              searchable
              data={options}
              value={model}
              onChange={setModel}
              nothingFoundMessage="No enabled model or policy matches"
              limit={50}
            />
            <Textarea
              label="System prompt"
              autosize
              minRows={2}
              maxRows={8}
              value={system}
              onChange={(event) => setSystem(event.currentTarget.value)}
            />
            <div>
              <Text size="sm" fw={500} id="temperature-label">
                Temperature: {temperature.toFixed(1)}
              </Text>
              <Slider
                thumbLabel="Temperature"
                min={0}
                max={2}
                step={0.1}
                value={temperature}
                onChange={setTemperature}
                label={(value) => value.toFixed(1)}
              />
            </div>
            <NumberInput
              label="Max tokens"
              min={1}
              max={200000}
              value={maxTokens}
              onChange={setMaxTokens}
            />
            <Switch
              label="Stream"
              checked={stream}
              onChange={(event) => setStream(event.currentTarget.checked)}
            />
          </Stack>
        </Card>
      </Grid.Col>
    </Grid>
  );
}
