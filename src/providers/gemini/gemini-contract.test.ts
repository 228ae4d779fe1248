/** The Gemini translation checked against the real recordings (the shared contract is in ../contract.test.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import {
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
} from '../contract-test-helper.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
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
