import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../emulator-test-client.ts';
import { loadDialectInteractions } from './dialect-recordings.ts';

const KEY = 'sk-proj-emulator-test';
let server: TestEmulator;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestEmulator({ apiKeys: [KEY] });
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.origin}/v1`, maxRetries: 0 });
});

afterEach(() => {
  server.emulator.clearFaults();
  server.emulator.clearLedger();
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
        properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 2 } },
        required: ['city', 'days'],
      },
    },
  },
];

function post(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  return request(`${server.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function recorded(file: string, index: number) {
  const found = loadDialectInteractions('openai').find(
    (interaction) => interaction.file === `openai/${file}` && interaction.index === index,
  );
  if (found === undefined) throw new Error(`missing recording ${file}#${String(index)}`);
  return found;
}

describe('the openai client against the OpenAI dialect', () => {
  it('parses a synthesized completion whose usage and id are what the ledger recorded', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(JSON.stringify(completion)).toMatch(/"system_fingerprint":"fp_[a-z0-9]{10}"/);
    expect(completion.choices[0]?.message.content).toContain('emulated answer');
    const [entry] = server.emulator.ledger;
    expect(entry).toMatchObject({
      dialect: 'openai',
      path: '/v1/chat/completions',
      model: 'gpt-4o',
      stream: false,
      status: 200,
      generationId: completion.id,
      outcome: 'complete',
      recording: null,
    });
    expect(entry?.usage).toMatchObject({ ...completion.usage });
    // gpt-4o is priced in the catalogue as openai/gpt-4o ($2.5 / $10 per million tokens).
    const usage = completion.usage;
    expect(entry?.costNanoUsd).toBe(
      String((usage?.prompt_tokens ?? 0) * 2500 + (usage?.completion_tokens ?? 0) * 10_000),
    );
  });

  it('streams text with usage only under include_usage, and a tool call with schema-valid arguments', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    let text = '';
    let usage: OpenAI.Completions.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage !== null && chunk.usage !== undefined) usage = chunk.usage;
    }
    expect(text).toContain('emulated answer');
    expect(usage?.completion_tokens).toBe(text.split(' ').length);
    expect(server.emulator.ledger[0]?.usage).toMatchObject({ ...usage });

    const runner = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      tool_choice: 'required',
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.id).toMatch(/^call_/);
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({
      city: 'example',
      days: 2,
    });
    expect(server.emulator.ledger[1]).toMatchObject({ stream: true, usage: null, status: 200 });
  });

  it('frames chunks as OpenAI does: obfuscation, usage null, a choices:[] usage chunk, [DONE]', async () => {
    const body = {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    };
    const text = await (await post(body)).body.text();
    const events = text.split('\n\n').filter((event) => event !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.slice(6)) as Record<string, unknown>);
    expect(chunks.every((chunk) => typeof chunk.obfuscation === 'string')).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1 } });

    const plain = await (await post({ ...body, stream_options: undefined })).body.text();
    expect(plain).not.toContain('"usage"');
  });

  it('replays a recorded completion and a recorded stream byte for byte', async () => {
    const json = recorded('test_openai_tool_output.yaml', 0);
    const completion = await client.chat.completions.create(
      json.requestBody as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
    );
    expect(JSON.stringify(completion)).toBe(json.bodyText);
    expect(server.emulator.ledger[0]).toMatchObject({
      recording: 'openai/test_openai_tool_output.yaml#0',
      usage: { prompt_tokens: completion.usage?.prompt_tokens },
    });

    const streamed = recorded('test_run_stream_sync_streams_real_model.yaml', 0);
    const response = await post(streamed.requestBody);
    expect(response.headers['content-type']).toBe(streamed.contentType);
    expect(await response.body.text()).toBe(streamed.bodyText);
    expect(server.emulator.ledger[1]?.usage).toMatchObject({
      prompt_tokens: 53,
      completion_tokens: 15,
    });
  });

  it('answers auth failures, unknown models and faults in OpenAI error envelopes', async () => {
    const missing = await post({ model: 'gpt-4o', messages: [] }, {});
    expect(missing.statusCode).toBe(401);
    expect(await missing.body.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: null, code: null },
    });
    const wrong = await post({ model: 'gpt-4o', messages: [] }, { authorization: 'Bearer nope' });
    expect(await wrong.body.json()).toMatchObject({ error: { code: 'invalid_api_key' } });

    await expect(
      client.chat.completions.create({
        model: 'llama-3',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });

    server.emulator.addFault({
      match: { model: 'gpt-4o' },
      status: 429,
      headers: { 'retry-after': '1' },
    });
    await expect(
      client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });

    server.emulator.addFault({ errorChunkAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(
      (async () => {
        for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk');
      })(),
    ).rejects.toMatchObject({ message: expect.stringContaining('server had an error') as unknown });
    expect(server.emulator.ledger.map((entry) => [entry.status, entry.outcome])).toEqual([
      [401, 'error'],
      [401, 'error'],
      [404, 'error'],
      [429, 'fault'],
      [200, 'fault'],
    ]);
  });
});
