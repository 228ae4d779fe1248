import Anthropic from '@anthropic-ai/sdk';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../emulator-test-client.ts';
import { eventData, loadDialectInteractions, splitDialectSse } from './dialect-recordings.ts';

const KEY = 'sk-ant-emulator-test';
let server: TestEmulator;
let client: Anthropic;

beforeAll(async () => {
  server = await startTestEmulator();
  client = new Anthropic({ apiKey: KEY, baseURL: server.origin, maxRetries: 0 });
});

afterEach(() => {
  server.emulator.clearFaults();
  server.emulator.clearLedger();
});

afterAll(async () => {
  await server.emulator.close();
});

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'f'] } },
    required: ['city', 'unit'],
  },
};

function post(body: unknown, headers: Record<string, string>) {
  return request(`${server.origin}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const HEADERS = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };

describe('the Anthropic client against the Anthropic dialect', () => {
  it('parses a synthesized message whose usage the ledger recorded, translated and priced', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(message.id).toMatch(/^msg_01/);
    expect(message.stop_reason).toBe('end_turn');
    const block = message.content[0];
    expect(block?.type === 'text' ? block.text : '').toContain('emulated answer');
    const entry = server.emulator.ledger[0];
    expect(entry).toMatchObject({
      dialect: 'anthropic',
      path: '/v1/messages',
      model: 'claude-sonnet-4-5',
      generationId: message.id,
      status: 200,
      usage: {
        prompt_tokens: message.usage.input_tokens,
        completion_tokens: message.usage.output_tokens,
      },
    });
    // claude-sonnet-4-5 is priced as anthropic/claude-sonnet-4.5 ($3 / $15 per million tokens).
    expect(entry?.costNanoUsd).toBe(
      String(message.usage.input_tokens * 3000 + message.usage.output_tokens * 15_000),
    );
  });

  it('streams a tool call with messages.stream and text with stream: true', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    let partialJson = '';
    stream.on('inputJson', (delta) => {
      partialJson += delta;
    });
    const final = await stream.finalMessage();
    const call = final.content[0];
    expect(final.stop_reason).toBe('tool_use');
    expect(call?.type === 'tool_use' ? call.input : null).toEqual({
      city: 'example',
      unit: 'celsius',
    });
    expect(JSON.parse(partialJson)).toEqual({ city: 'example', unit: 'celsius' });
    expect(server.emulator.ledger[0]?.usage).toMatchObject({
      prompt_tokens: final.usage.input_tokens,
      completion_tokens: final.usage.output_tokens,
    });

    const events = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      stream: true,
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny 21C' }],
        },
      ],
    });
    const types: string[] = [];
    let text = '';
    for await (const event of events) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    expect(text).toBe('The tool returned: Sunny 21C');
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('sends the event sequence of the recordings, ping included', async () => {
    const response = await post(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      },
      HEADERS,
    );
    const names = splitDialectSse(await response.body.text()).map((event) => event.split('\n')[0]);
    expect(names.slice(0, 3)).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: ping',
    ]);
    expect(new Set(names.slice(3, -3))).toEqual(new Set(['event: content_block_delta']));
    expect(names.slice(-3)).toEqual([
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ]);
  });

  it('replays a recorded stream byte for byte, and it parses', async () => {
    const recorded = loadDialectInteractions('anthropic').find(
      (interaction) =>
        interaction.file === 'anthropic/test_request_stream_fallback_for_high_max_tokens.yaml',
    );
    const raw = await post(recorded?.requestBody, HEADERS);
    expect(await raw.body.text()).toBe(recorded?.bodyText);
    const stream = client.messages.stream(recorded?.requestBody as Anthropic.MessageStreamParams);
    expect(await stream.finalText()).toBe('2');
    expect(server.emulator.ledger[1]).toMatchObject({
      recording: 'anthropic/test_request_stream_fallback_for_high_max_tokens.yaml#0',
      usage: { prompt_tokens: 20, completion_tokens: 5 },
    });
    const finalEvent = splitDialectSse(recorded?.bodyText ?? '').at(-2);
    expect(eventData(finalEvent ?? '')).toMatchObject({ type: 'message_delta' });
  });

  it('answers auth failures and unknown models as Anthropic does', async () => {
    const missing = await post(
      { model: 'claude-sonnet-4-5' },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(missing.statusCode).toBe(401);
    expect(await missing.body.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: expect.stringMatching(/^req_/) as unknown,
    });
    const noVersion = await post({ model: 'claude-sonnet-4-5' }, { 'x-api-key': KEY });
    expect(noVersion.statusCode).toBe(400);
    await expect(
      client.messages.create({
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({
      status: 404,
      error: { type: 'error', error: { type: 'not_found_error', message: 'model: gpt-4o' } },
    });
  });

  it('applies faults in Anthropic error envelopes, in-band errors as `event: error`', async () => {
    server.emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 529 });
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 529, error: { error: { type: 'overloaded_error' } } });
    server.emulator.addFault({ status: 429 });
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 429, error: { error: { type: 'rate_limit_error' } } });

    server.emulator.addFault({ errorChunkAfterChunks: 4 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(stream.finalMessage()).rejects.toMatchObject({
      message: expect.stringContaining('overloaded_error') as unknown,
    });
    expect(server.emulator.ledger.map((entry) => [entry.status, entry.outcome])).toEqual([
      [529, 'fault'],
      [429, 'fault'],
      [200, 'fault'],
    ]);
  });
});
