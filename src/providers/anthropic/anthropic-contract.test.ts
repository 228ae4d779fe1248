/** The Anthropic translation checked against the real recordings (the shared contract is in ../contract.test.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest, ChatMessage } from '../../contracts/chat.ts';
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
} from '../contract-test-helper.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
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
    // No recording of these exists (docs/upstream-api-notes.md §3); the body follows the recorded 404's shape.
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
