import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest, ChatMessage } from '../contracts/chat.ts';
import {
  anthropicFrames,
  cassette,
  collect,
  failureOf,
  fixture,
  fixtureJson,
  geminiFrames,
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

describe('anthropic: translation', () => {
  const parallel = cassette('anthropic', 'test_multiple_parallel_tool_calls.yaml');

  it('returns the recorded parallel tool_use blocks as tool_calls', async () => {
    const { adapter } = await setUp(
      'anthropic',
      json(200, parallel[0]?.response.parsed_body),
      cleanups,
    );
    const result = await adapter.chat(HELLO);
    const choice = result.completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(
      choice?.message.tool_calls?.map((call) => JSON.parse(call.function.arguments) as unknown),
    ).toEqual([{ name: 'Alice' }, { name: 'Bob' }, { name: 'Charlie' }, { name: 'Daisy' }]);
  });

  it('sends system, tool_use and tool_result blocks as the recorded request has them', async () => {
    const recorded = parallel[1]?.request.parsed_body ?? {};
    const assistant = parallel[0]?.response.parsed_body as { content: Record<string, unknown>[] };
    const toolUses = assistant.content.filter((block) => block.type === 'tool_use');
    const results = [
      "alice is bob's wife",
      "bob is alice's husband",
      "charlie is alice's son",
      "daisy is bob's daughter and charlie's younger sister",
    ];
    const messages: ChatMessage[] = [
      { role: 'system', content: recorded.system as string },
      { role: 'user', content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?' },
      {
        role: 'assistant',
        content: assistant.content.find((block) => block.type === 'text')?.text as string,
        tool_calls: toolUses.map((block) => ({
          id: block.id as string,
          type: 'function' as const,
          function: { name: block.name as string, arguments: JSON.stringify(block.input) },
        })),
      },
      ...toolUses.map((block, index) => ({
        role: 'tool' as const,
        tool_call_id: block.id as string,
        content: results[index] ?? '',
      })),
    ];
    const request: ChatCompletionRequest = {
      model: 'claude-haiku-4-5',
      messages,
      tool_choice: 'auto',
      tools: [
        {
          type: 'function',
          function: {
            name: 'retrieve_entity_info',
            description: 'Get the knowledge about the given entity.',
            parameters: {
              additionalProperties: false,
              properties: { name: { type: 'string' } },
              required: ['name'],
              type: 'object',
            },
          },
        },
      ],
    };
    const { adapter, server } = await setUp(
      'anthropic',
      json(200, parallel[1]?.response.parsed_body),
      cleanups,
    );
    const result = await adapter.chat(request);
    expect(result.completion.choices[0]?.finish_reason).toBe('stop');
    const body = receivedBody(server);
    const withoutIsError = (recorded.messages as { content: Record<string, unknown>[] }[]).map(
      (message) => ({
        ...message,
        content: message.content.map(({ is_error: _isError, ...block }) => block),
      }),
    );
    expect(body).toEqual({ ...recorded, messages: withoutIsError, stream: undefined });
  });

  it('reassembles input_json_delta pieces of the SDK tool_use stream into one call', async () => {
    const { adapter } = await setUp(
      'anthropic',
      sse(sseBlocksOf(fixture('anthropic', 'tool_use_response.txt'))),
      cleanups,
    );
    const parts = await collect(adapter.chatStream(HELLO));
    expect(textOf(parts, 'text-delta')).toBe("I'll check the current weather in Paris for you.");
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn',
      name: 'get_weather',
      arguments: '{"location": "Paris"}',
    });
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({
      finishReason: 'tool_calls',
      nativeFinishReason: 'tool_use',
    });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({
      usage: { prompt_tokens: 377, completion_tokens: 65 },
    });
  });

  it('streams thinking as reasoning, and message_delta usage wins', async () => {
    const { adapter } = await setUp(
      'anthropic',
      sse(anthropicFrames(fixture('anthropic', 'anthropic-clear-thinking.1.chunks.txt'))),
      cleanups,
    );
    const parts = await collect(adapter.chatStream(HELLO));
    expect(textOf(parts, 'reasoning-delta')).toContain('925 ÷ 5 = 185');
    expect(textOf(parts, 'text-delta')).toBe('925 ÷ 5 = 185');
    const { adapter: delta } = await setUp(
      'anthropic',
      sse(anthropicFrames(fixture('anthropic', 'anthropic-message-delta-input-tokens.chunks.txt'))),
      cleanups,
    );
    const deltaParts = await collect(delta.chatStream(HELLO));
    expect(deltaParts.find((part) => part.type === 'usage')).toMatchObject({
      usage: { prompt_tokens: 61, completion_tokens: 2, total_tokens: 63 },
    });
  });

  it('counts cache reads and writes into prompt tokens', async () => {
    const cached = cassette('anthropic', 'test_anthropic_cache_real_api.yaml').at(-1);
    const { adapter } = await setUp('anthropic', json(200, cached?.response.parsed_body), cleanups);
    const { completion } = await adapter.chat(HELLO);
    expect(completion.usage).toEqual({
      prompt_tokens: 3 + 1111 + 418,
      completion_tokens: 33,
      total_tokens: 3 + 1111 + 418 + 33,
      prompt_tokens_details: { cached_tokens: 1111, cache_write_tokens: 418 },
    });
  });

  it('maps refusal to content_filter and sends images as image blocks', async () => {
    const { adapter, server } = await setUp(
      'anthropic',
      json(200, fixtureJson('anthropic', 'anthropic-refusal.json')),
      cleanups,
    );
    const { completion } = await adapter.chat({
      ...HELLO,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.finish_reason).toBe('content_filter');
    expect(receivedBody(server).messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
          },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ]);
  });

  it.each([
    [
      'test_anthropic_count_tokens_error.yaml',
      'model_not_found',
      'Upstream: model: claude-does-not-exist',
    ],
    [
      'test_anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml',
      'upstream_invalid_request',
      "Upstream: This model does not support effort level 'xhigh'",
    ],
  ])('maps the recorded error in %s', async (name, code, message) => {
    const interaction = cassette('anthropic', name)[0];
    const status = interaction?.response.status.code ?? 0;
    const { adapter } = await setUp(
      'anthropic',
      json(status, interaction?.response.parsed_body),
      cleanups,
    );
    const error = await failureOf(adapter.chat(HELLO));
    expect(error).toMatchObject({ code, upstreamStatus: status });
    expect(error.message).toContain(message);
  });

  it('maps 529 overloaded_error and 429 rate_limit_error (body shape from the Errors docs)', async () => {
    // No recording of these exists (API-NOTES §3); the body follows the recorded 404's shape.
    const body = (type: string, message: string) => ({ type: 'error', error: { type, message } });
    const { adapter } = await setUp(
      'anthropic',
      json(529, body('overloaded_error', 'Overloaded')),
      cleanups,
    );
    expect(await failureOf(adapter.chat(HELLO))).toMatchObject({
      code: 'upstream_unavailable',
      upstreamStatus: 529,
    });
    const { adapter: limited } = await setUp(
      'anthropic',
      json(429, body('rate_limit_error', 'Rate limited'), { 'retry-after': '12' }),
      cleanups,
    );
    expect(await failureOf(limited.chat(HELLO))).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 12,
    });
  });
});

describe('gemini: translation', () => {
  it('keeps thoughtSignature on the tool call, with a synthesized id, and sends both back', async () => {
    const { adapter } = await setUp(
      'gemini',
      json(200, fixtureJson('gemini', 'google-tool-call-gemini3.json')),
      cleanups,
    );
    const { completion } = await adapter.chat(HELLO);
    const call = completion.choices[0]?.message.tool_calls?.[0] as unknown as Record<
      string,
      unknown
    > & {
      id: string;
      function: { name: string; arguments: string };
    };
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call.function).toEqual({ name: 'weather', arguments: '{"location":"San Francisco"}' });
    expect(call.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 29,
      completion_tokens: 15 + 1801,
      completion_tokens_details: { reasoning_tokens: 1801 },
    });
    const signature = (call.extra_content as { google: { thought_signature: string } }).google
      .thought_signature;
    expect(signature.startsWith('Eqo+Cqc+Ab4+')).toBe(true);

    const { adapter: next, server } = await setUp(
      'gemini',
      json(200, fixtureJson('gemini', 'google-text.json')),
      cleanups,
    );
    await next.chat({
      model: 'gemini-3-pro-preview',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in SF?' },
        { role: 'assistant', content: null, tool_calls: [call as never] },
        { role: 'tool', tool_call_id: call.id, content: '{"temperature":18}' },
      ],
    });
    expect(receivedBody(server)).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in SF?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { id: call.id, name: 'weather', args: { location: 'San Francisco' } },
              thoughtSignature: signature,
            },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: call.id, name: 'weather', response: { temperature: 18 } } },
          ],
        },
      ],
    });
  });

  it('streams a recorded function call with its signature and thoughts-inclusive usage', async () => {
    const { adapter } = await setUp(
      'gemini',
      sse(
        sseBlocksOf(fixture('gemini', 'test_google_streaming_tool_call_thought_signature.0.sse')),
      ),
      cleanups,
    );
    const parts = await collect(adapter.chatStream(HELLO));
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      name: 'get_country',
      arguments: '{}',
    });
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({
      finishReason: 'tool_calls',
      nativeFinishReason: 'STOP',
    });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({
      usage: {
        prompt_tokens: 29,
        completion_tokens: 212,
        total_tokens: 241,
        completion_tokens_details: { reasoning_tokens: 202 },
      },
    });
  });

  it('streams thought parts as reasoning, and Gemini 3 streamed arguments as whole calls', async () => {
    const { adapter } = await setUp(
      'gemini',
      sse(geminiFrames(fixture('gemini', 'google-stream-no-args-tool-call.chunks.txt'))),
      cleanups,
    );
    const parts = await collect(adapter.chatStream(HELLO));
    expect(textOf(parts, 'reasoning-delta')).toContain('**Processing User Requests**');
    expect(
      parts.flatMap((part) => (part.type === 'tool-call' ? [[part.name, part.arguments]] : [])),
    ).toEqual([
      ['read_theme', '{}'],
      ['read_screen', '{"id":"A"}'],
      ['read_screen', '{"id":"B"}'],
      ['read_screen', '{"id":"C"}'],
    ]);
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({
      usage: { completion_tokens: 58 + 183, completion_tokens_details: { reasoning_tokens: 183 } },
    });
  });

  it('maps the recorded RESOURCE_EXHAUSTED to rate_limited with the RetryInfo delay', async () => {
    const { adapter } = await setUp(
      'gemini',
      json(429, fixture('gemini', 'google-429-retry-info.json')),
      cleanups,
    );
    const error = await failureOf(adapter.chat(HELLO));
    expect(error).toMatchObject({
      code: 'rate_limited',
      upstreamStatus: 429,
      retryAfterSeconds: 35,
    });
    expect(error.message).toBe(
      'Upstream: You exceeded your current quota, please check your plan.',
    );
  });

  it('sends the recorded tool configuration and functionResponse shape', async () => {
    const interaction = cassette('gemini', 'test_google_tool_output.yaml')[1];
    const { adapter, server } = await setUp(
      'gemini',
      json(200, interaction?.response.parsed_body),
      cleanups,
    );
    const { completion } = await adapter.chat({
      model: 'gemini-2.0-flash',
      messages: [
        { role: 'user', content: 'What is the largest city in the user country?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'pyd_ai_3fa5644dae1d4aad997ae39c70006fbd',
              type: 'function',
              function: { name: 'get_user_country', arguments: '{}' },
            },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'pyd_ai_3fa5644dae1d4aad997ae39c70006fbd',
          content: '{"return_value":"Mexico"}',
        },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_user_country',
            parameters: { type: 'object', properties: {}, additionalProperties: false },
          },
        },
      ],
      tool_choice: 'required',
    });
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('final_result');
    const recorded = interaction?.request.parsed_body as { contents: unknown[] };
    expect(receivedBody(server)).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            { name: 'get_user_country', parameters: { type: 'object', properties: {} } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    expect((receivedBody(server).contents as unknown[]).slice(1)).toEqual(
      recorded.contents.slice(1),
    );
  });
});
