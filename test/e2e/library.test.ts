/**
 * The library surface, used exactly as the README shows: `import { createOpenRouterProvider }
 * from 'signalbox'`, pointed at the emulator (OpenRouter cannot be reached from CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmulator,
  createOpenRouterProvider,
  type Emulator,
  type StreamPart,
} from 'signalbox';

let emulator: Emulator;
let baseUrl: string;

beforeAll(async () => {
  emulator = createEmulator();
  baseUrl = `${await emulator.listen({ port: 0 })}/api/v1`;
});

afterAll(async () => {
  await emulator.close();
});

describe("import { createOpenRouterProvider } from 'signalbox'", () => {
  it('chats, streams typed parts with tool calls reassembled, and lists models', async () => {
    const openrouter = createOpenRouterProvider({
      apiKey: 'sk-or-v1-library-test-key-0000',
      baseUrl,
    });

    const result = await openrouter.chat({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(result.completion.choices[0]?.message.content).toMatch(/\S/);
    expect(result.completion.usage?.cost).toBeGreaterThan(0);
    expect(result.generationId).toMatch(/^gen-/);

    const parts: StreamPart[] = [];
    for await (const part of openrouter.chatStream({
      model: 'openai/gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
            },
          },
        },
      ],
      tool_choice: 'required',
    })) {
      parts.push(part);
    }
    expect(parts[0]?.type).toBe('metadata');
    const call = parts.find((part) => part.type === 'tool-call');
    expect(call).toMatchObject({ type: 'tool-call', name: 'get_weather' });
    if (call?.type === 'tool-call') expect(JSON.parse(call.arguments)).toHaveProperty('city');
    expect(parts.some((part) => part.type === 'usage')).toBe(true);
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({
      finishReason: 'tool_calls',
    });

    const models = await openrouter.listModels();
    expect(models.length).toBe(356);
  });
});
