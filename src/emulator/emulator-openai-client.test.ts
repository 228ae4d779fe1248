import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecordedInteractions } from './recorded-interactions.ts';
import { TEST_API_KEY, startTestEmulator, type TestEmulator } from './emulator-test-client.ts';

let server: TestEmulator;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestEmulator();
  client = new OpenAI({ apiKey: TEST_API_KEY, baseURL: `${server.origin}/api/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await server.emulator.close();
});

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer' } },
        required: ['city', 'days'],
      },
    },
  },
];

describe('the official openai client', () => {
  it('parses a synthesized completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(completion.id).toMatch(/^gen-/);
    expect(completion.choices[0]?.message.content).toContain('emulated answer');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('parses a synthesized stream, text and tool calls', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    let text = '';
    let usage: OpenAI.Completions.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
    }
    expect(text).toContain('emulated answer');
    expect(usage?.completion_tokens).toBe(text.split(' ').length);

    const runner = client.chat.completions.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({
      city: 'example',
      days: 1,
    });
  });

  it('parses a replayed recorded completion and a recorded stream', async () => {
    const recorded = loadRecordedInteractions().find(
      (interaction) => interaction.file === 'chat/test_openrouter_tool_calling.yaml',
    );
    const completion = await client.chat.completions.create(
      recorded?.requestBody as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
    );
    expect(completion.choices[0]?.message.tool_calls?.[0]?.id).toBe('3sniiMddS');

    const recordedStream = loadRecordedInteractions().find(
      (interaction) => interaction.file === 'cache/test_openrouter_cache_streaming_e2e.yaml',
    );
    const stream = await client.chat.completions.create(
      recordedStream?.requestBody as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming,
    );
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello!');
  });

  it('surfaces an unknown model as a 404 APIError', async () => {
    await expect(
      client.chat.completions.create({
        model: 'acme/none',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
