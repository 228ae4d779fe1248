import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';
import { nanoToUsdNumber } from '../pricing/decimal.ts';
import {
  sseChunks,
  sseEvents,
  startTestEmulator,
  type TestEmulator,
} from './emulator-test-client.ts';

const snapshot = (
  JSON.parse(
    readFileSync(
      new URL('../catalog/snapshot/models-snapshot-2026-05.json', import.meta.url),
      'utf8',
    ),
  ) as { data: ModelInfo[] }
).data;

function pricingOf(id: string): ModelInfo['pricing'] {
  const model = snapshot.find((item) => item.id === id);
  if (model === undefined) throw new Error(`${id} is not in the snapshot`);
  return model.pricing;
}

interface Completion {
  id: string;
  object: string;
  created: number;
  model: string;
  provider: string;
  system_fingerprint: null;
  choices: {
    index: number;
    finish_reason: string;
    native_finish_reason: string;
    logprobs: null;
    message: {
      role: string;
      content: string;
      refusal: null;
      reasoning: null;
      tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
    };
  }[];
  usage: Usage;
}

let server: TestEmulator;
const question = {
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
};

beforeAll(async () => {
  server = await startTestEmulator({ replay: false });
});

afterAll(async () => {
  await server.emulator.close();
});

async function complete(body: Record<string, unknown>): Promise<Completion> {
  const response = await server.chat(body);
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as Completion;
}

describe('synthesized JSON answers', () => {
  it('answer in the recorded chat.completion shape with an exact cost', async () => {
    const response = await server.chat(question);
    const completion = JSON.parse(response.text) as Completion;
    expect(completion.id).toMatch(/^gen-\d{10}-[A-Za-z0-9]{20}$/);
    expect(response.headers['x-generation-id']).toBe(completion.id);
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'openai/gpt-4o',
      provider: 'OpenAI',
      system_fingerprint: null,
    });
    expect(completion.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      native_finish_reason: 'stop',
      logprobs: null,
      message: { role: 'assistant', refusal: null, reasoning: null },
    });
    const { usage } = completion;
    expect(usage.prompt_tokens).toBe(Math.ceil('What is the capital of France?'.length / 4));
    expect(usage.completion_tokens).toBe(completion.choices[0]?.message.content.split(' ').length);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    const expected = computeCostNanoUsd(usage, pricingOf('openai/gpt-4o'));
    expect(expected).not.toBeNull();
    expect(usage.cost).toBe(nanoToUsdNumber(expected ?? 0n));
    expect(usage).toMatchObject({
      is_byok: false,
      prompt_tokens_details: {
        cached_tokens: 0,
        cache_write_tokens: 0,
        audio_tokens: 0,
        video_tokens: 0,
      },
      completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0, audio_tokens: 0 },
      cost_details: { upstream_inference_cost: usage.cost },
    });
    const entry = server.emulator.ledger.at(-1);
    expect(entry).toMatchObject({
      generationId: completion.id,
      status: 200,
      outcome: 'complete',
      recording: null,
      requestBody: question,
    });
    expect(entry?.costNanoUsd).toBe(expected?.toString());
  });

  it('are deterministic per request while ids stay unique', async () => {
    const first = await complete(question);
    const second = await complete(question);
    const other = await complete({
      ...question,
      messages: [{ role: 'user', content: 'Something else entirely' }],
    });
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(second.usage).toEqual(first.usage);
    expect(second.id).not.toBe(first.id);
    expect(other.choices[0]?.message.content).not.toBe(first.choices[0]?.message.content);
  });

  it('respect max_tokens and max_completion_tokens', async () => {
    for (const limit of [{ max_tokens: 3 }, { max_completion_tokens: 3 }]) {
      const completion = await complete({ ...question, ...limit });
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(completion.usage.completion_tokens).toBe(3);
      expect(completion.choices[0]?.message.content.split(' ')).toHaveLength(3);
    }
  });

  it('serve the first existing model of the models fallbacks', async () => {
    const completion = await complete({
      ...question,
      model: 'acme/nothing',
      models: ['acme/none', 'anthropic/claude-sonnet-4.6'],
    });
    expect(completion.provider).toBe('Anthropic');
    expect(completion.model).toBe('anthropic/claude-4.6-sonnet-20260217');
  });

  it('serve the :nitro and :floor shortcuts of any model as the model itself', async () => {
    for (const model of ['openai/gpt-4o:nitro', 'openai/gpt-4o:floor']) {
      const response = await server.chat({ ...question, model });
      expect(response.status).toBe(200);
    }
    expect((await server.chat({ ...question, model: 'openai/gpt-4o:free' })).status).toBe(404);
  });

  it('answer an unknown model with the real 404 body', async () => {
    const response = await server.chat({ ...question, model: 'acme/does-not-exist' });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toEqual({
      error: { message: 'No endpoints found for acme/does-not-exist.', code: 404 },
      user_id: 'user_emulator',
    });
    expect(server.emulator.ledger.at(-1)).toMatchObject({
      status: 404,
      outcome: 'error',
      usage: null,
      costNanoUsd: null,
      generationId: null,
    });
  });

  it('answer invalid bodies with 400 in the OpenRouter error shape', async () => {
    for (const body of [
      '{not json',
      JSON.stringify({ model: 'openai/gpt-4o' }),
      JSON.stringify({ model: 'openai/gpt-4o', messages: [] }),
    ]) {
      const response = await server.chat(body);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        error: { code: 400, message: 'Invalid request parameters' },
      });
    }
    expect(server.emulator.ledger.at(-3)?.requestBody).toBe('{not json');
  });
});

describe('synthesized streams', () => {
  it('stream the same answer in the recorded 2026 chunk framing', async () => {
    const json = await complete(question);
    const response = await server.chat({ ...question, stream: true });
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['access-control-expose-headers']).toBe(
      'X-Generation-Id,X-Provider-Name,cf-ray',
    );
    const events = sseEvents(response.text);
    expect(events[0]).toBe(': OPENROUTER PROCESSING');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = sseChunks(response.text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(Object.keys(chunk).slice(0, 6)).toEqual([
        'id',
        'object',
        'created',
        'model',
        'provider',
        'choices',
      ]);
      expect(chunk.id).toBe(response.headers['x-generation-id']);
    }
    const deltas = chunks.map(
      (chunk) => (chunk.choices as { delta: { role: string; content: string } }[])[0]?.delta,
    );
    expect(deltas.every((delta) => delta?.role === 'assistant')).toBe(true);
    expect(deltas.map((delta) => delta?.content).join('')).toBe(json.choices[0]?.message.content);
    const [finish, last] = chunks.slice(-2);
    expect((finish?.choices as { finish_reason: string }[])[0]?.finish_reason).toBe('stop');
    expect(last?.choices).toEqual(finish?.choices);
    expect(last?.usage).toEqual(json.usage);
    expect(server.emulator.ledger.at(-1)).toMatchObject({
      stream: true,
      status: 200,
      usage: json.usage,
      outcome: 'complete',
    });
  });
});

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        units: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        detailed: { type: 'boolean' },
        location: {
          type: 'object',
          properties: { lat: { type: 'number' }, lon: { type: 'number' } },
          required: ['lat', 'lon'],
        },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        optional: { type: 'string' },
      },
      required: ['city', 'days', 'units', 'detailed', 'location', 'tags'],
    },
  },
};
const searchTool = {
  type: 'function',
  function: {
    name: 'search',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};
const askWeather = {
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
  tools: [weatherTool, searchTool],
};

describe('synthesized tool calls', () => {
  it('call the first function tool with arguments that satisfy its schema', async () => {
    const completion = await complete(askWeather);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('');
    const call = choice?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    const args = JSON.parse(call?.function.arguments ?? '') as Record<string, unknown>;
    expect(Object.keys(args).sort()).toEqual([
      'city',
      'days',
      'detailed',
      'location',
      'tags',
      'units',
    ]);
    expect(typeof args.city).toBe('string');
    expect(
      Number.isInteger(args.days) && (args.days as number) >= 1 && (args.days as number) <= 7,
    ).toBe(true);
    expect(args.units).toBe('celsius');
    expect(typeof args.detailed).toBe('boolean');
    expect(args.location).toEqual({
      lat: expect.any(Number) as number,
      lon: expect.any(Number) as number,
    });
    expect(
      Array.isArray(args.tags) &&
        (args.tags as unknown[]).length >= 2 &&
        (args.tags as unknown[]).every((tag) => typeof tag === 'string'),
    ).toBe(true);
  });

  it('honour tool_choice naming a function and tool_choice none', async () => {
    const named = await complete({
      ...askWeather,
      tool_choice: { type: 'function', function: { name: 'search' } },
    });
    expect(named.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
      name: 'search',
      arguments: '{"query":"example"}',
    });
    const none = await complete({ ...askWeather, tool_choice: 'none' });
    expect(none.choices[0]?.finish_reason).toBe('stop');
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('answer a tool result with text that mentions it', async () => {
    const completion = await complete({
      ...askWeather,
      messages: [
        ...askWeather.messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny and 24 degrees' },
      ],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toContain('Sunny and 24 degrees');
  });

  it('stream a tool call like the recorded bug report: name first, then argument fragments', async () => {
    const json = await complete(askWeather);
    const response = await server.chat({ ...askWeather, stream: true });
    const chunks = sseChunks(response.text);
    const calls = chunks.flatMap(
      (chunk) =>
        (chunk.choices as { delta: { tool_calls?: Record<string, unknown>[] } }[])[0]?.delta
          .tool_calls ?? [],
    );
    const expectedCall = json.choices[0]?.message.tool_calls?.[0];
    expect(calls[0]).toEqual({
      index: 0,
      id: expectedCall?.id,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(calls.length).toBeGreaterThan(2);
    for (const fragment of calls.slice(1))
      expect(Object.keys(fragment).sort()).toEqual(['function', 'index']);
    expect(calls.map((call) => (call.function as { arguments: string }).arguments).join('')).toBe(
      expectedCall?.function.arguments,
    );
    const finish = (chunks.at(-1)?.choices as { finish_reason: string }[])[0];
    expect(finish?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toEqual(json.usage);
  });
});
