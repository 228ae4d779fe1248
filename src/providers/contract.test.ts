import { afterEach, describe, expect, it } from 'vitest';
import {
  anthropicFrames,
  cassette,
  collect,
  failureOf,
  fixture,
  fixtureJson,
  HELLO,
  json,
  receivedBody,
  setUp,
  sse,
  sseBlocksOf,
  textOf,
  type AdapterKind,
} from './contract-test-helper.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Per kind: a recorded text answer, a recorded text stream, and the expected text / finish / usage. */
const TEXT_CASES: Record<
  AdapterKind,
  {
    body: () => unknown;
    stream: () => string[];
    text: string;
    streamText: string;
    nativeStop: string | null;
  }
> = {
  openai: {
    body: () => fixtureJson('openai', 'openai__openai-text.json'),
    stream: () => sseBlocksOf(fixture('openai', 'test_run_stream_sync_streams_real_model.0.sse')),
    text: 'Galaxy Day',
    streamText: '',
    nativeStop: null,
  },
  custom: {
    body: () => fixtureJson('openai', 'openai__openai-text.json'),
    stream: () =>
      sseBlocksOf(fixture('openai', 'openai-compatible__anthropic-fallback-tool-call.sse')),
    text: 'Galaxy Day',
    streamText: '',
    nativeStop: null,
  },
  anthropic: {
    body: () => fixtureJson('anthropic', 'anthropic-text.json'),
    stream: () => anthropicFrames(fixture('anthropic', 'anthropic-text.chunks.txt')),
    text: "Hello! I'm doing well",
    streamText: 'Hello',
    nativeStop: 'end_turn',
  },
  gemini: {
    body: () => fixtureJson('gemini', 'google-text.json'),
    stream: () => sseBlocksOf(fixture('gemini', 'test_google_model_stream.0.sse')),
    text: 'There are **3** r',
    streamText: 'The capital of France is Paris.\n',
    nativeStop: 'STOP',
  },
};

describe.each(['openai', 'custom', 'anthropic', 'gemini'] as const)(
  '%s adapter contract',
  (kind) => {
    const cases = TEXT_CASES[kind];

    it('non-streaming: returns a chat.completion with text, finish reason and usage', async () => {
      const { adapter, server } = await setUp(kind, json(200, cases.body()), cleanups);
      const result = await adapter.chat(HELLO);
      const choice = result.completion.choices[0];
      expect(result.completion.object).toBe('chat.completion');
      expect(choice?.message.content).toContain(cases.text);
      expect(choice?.finish_reason).toBe('stop');
      expect(result.completion.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(result.completion.usage?.completion_tokens).toBeGreaterThan(0);
      if (kind === 'openai' || kind === 'custom') expect(result.raw).not.toBeNull();
      else {
        expect(result.raw).toBeNull();
        expect(choice?.native_finish_reason).toBe(cases.nativeStop);
      }
      expect(server.requests[0]?.method).toBe('POST');
    });

    it('streaming: yields OpenAI chunks that end with a finish and usage', async () => {
      const { adapter } = await setUp(kind, sse(cases.stream()), cleanups);
      const parts = await collect(adapter.chatStream({ ...HELLO, stream: true }));
      expect(parts[0]?.type).toBe('metadata');
      expect(textOf(parts, 'text-delta')).toContain(cases.streamText);
      expect(parts.some((part) => part.type === 'finish')).toBe(true);
      expect(parts.some((part) => part.type === 'error')).toBe(false);
      if (kind !== 'custom') expect(parts.at(-1)?.type).toBe('usage');
    });
  },
);

describe('auth headers and URLs', () => {
  it.each([
    [
      'openai',
      '/v1/chat/completions',
      { authorization: 'Bearer test-key-0123456789abcdef0123456789' },
    ],
    ['custom', '/openai/v1/chat/completions', { 'x-extra': 'yes' }],
    [
      'anthropic',
      '/v1/messages',
      { 'x-api-key': 'test-key-0123456789abcdef0123456789', 'anthropic-version': '2023-06-01' },
    ],
    [
      'gemini',
      '/v1beta/models/test-model:generateContent',
      { 'x-goog-api-key': 'test-key-0123456789abcdef0123456789' },
    ],
  ] as const)('%s sends to %s', async (kind, path, headers) => {
    const { adapter, server } = await setUp(kind, json(200, TEXT_CASES[kind].body()), cleanups);
    await adapter.chat(HELLO);
    expect(server.requests[0]?.url).toBe(path);
    expect(server.requests[0]?.headers).toMatchObject(headers);
  });

  it('gemini streams from :streamGenerateContent?alt=sse', async () => {
    const { adapter, server } = await setUp('gemini', sse(TEXT_CASES.gemini.stream()), cleanups);
    await collect(adapter.chatStream(HELLO));
    expect(server.requests[0]?.url).toBe('/v1beta/models/test-model:streamGenerateContent?alt=sse');
  });
});

describe('openai: native request details', () => {
  it('forwards unchanged bytes, but streams always ask for the usage chunk', async () => {
    const { adapter, server } = await setUp(
      'openai',
      sse(sseBlocksOf(fixture('openai', 'test_run_stream_sync_streams_real_model.0.sse'))),
      cleanups,
    );
    const parts = await collect(adapter.chatStream({ ...HELLO, stream: true }));
    expect(receivedBody(server)).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const call = parts.find((part) => part.type === 'tool-call');
    expect(call).toMatchObject({ type: 'tool-call', name: 'get_capital' });
    expect(JSON.parse(call?.type === 'tool-call' ? call.arguments : '')).toEqual({
      country: 'UK',
    });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({
      usage: { prompt_tokens: 53, completion_tokens: 15, total_tokens: 68 },
    });
  });

  it('sends max_tokens as max_completion_tokens and drops OpenRouter-only fields', async () => {
    const { adapter, server } = await setUp(
      'openai',
      json(200, TEXT_CASES.openai.body()),
      cleanups,
    );
    await adapter.chat({
      ...HELLO,
      max_tokens: 50,
      provider: { order: ['openai'] },
      reasoning: { effort: 'low' },
    });
    const body = receivedBody(server);
    expect(body).toMatchObject({ max_completion_tokens: 50, reasoning_effort: 'low' });
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('provider');
  });

  it('keeps the recorded parallel tool calls and extra fields byte-identical', async () => {
    const interaction = cassette('openai', 'test_multiple_agent_tool_calls.yaml').find((entry) =>
      entry.request.uri.endsWith('/chat/completions'),
    );
    const { adapter } = await setUp(
      'openai',
      json(200, interaction?.response.parsed_body),
      cleanups,
    );
    const result = await adapter.chat(HELLO);
    expect(result.completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(result.completion.choices[0]?.message.tool_calls?.length).toBeGreaterThan(0);
    expect(result.raw?.toString()).toBe(JSON.stringify(interaction?.response.parsed_body));
  });

  it.each([
    ['openai__openai-error.1.json', 429, 'upstream_insufficient_credits'],
    ['openai__reasoning-model-legacy-parameter-error.json', 400, 'upstream_invalid_request'],
  ])('maps the recorded error %s', async (name, status, code) => {
    const { adapter } = await setUp('openai', json(status, fixture('openai', name)), cleanups);
    const error = await failureOf(adapter.chat(HELLO));
    expect(error).toMatchObject({ code, upstreamStatus: status });
    expect(error.message.startsWith('Upstream: ')).toBe(true);
  });
});
