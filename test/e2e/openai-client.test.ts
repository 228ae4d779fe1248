/**
 * End to end: the whole gateway in demo mode (PGlite, port 0, the emulator standing in for
 * OpenRouter), driven by the official `openai` client exactly as an application would.
 */
import OpenAI from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEmulatorFault,
  emulatorLedger,
  gatewayLedger,
  startGateway,
  type TestGateway,
} from '../helpers/start-gateway.ts';

let gateway: TestGateway;
let client: OpenAI;

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

beforeAll(async () => {
  gateway = await startGateway();
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
});

async function expectApiError(
  promise: Promise<unknown>,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected an API error');
}

describe('the gateway through the official openai client', () => {
  it('answers a non-streaming completion with usage, x-request-id and the serving provider', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'openai/gpt-4o',
        messages: [{ role: 'user', content: 'Say hello in three words.' }],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data).toHaveProperty('system_fingerprint');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-signalbox-provider')).toBe('openrouter');
  });

  it('streams with a final usage chunk and [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Write one sentence about trains.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toMatch(/\S/);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('round-trips a tool call without streaming', async () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'What is the weather in Lisbon?' },
    ];
    const first = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages,
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    expect(typeof args.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);

    messages.push(first.choices[0]?.message ?? { role: 'assistant', content: null });
    messages.push({
      role: 'tool',
      tool_call_id: call.id,
      content: '{"temperature": 21, "sky": "clear"}',
    });
    const second = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages,
      tools: [weatherTool],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toMatch(/\S/);
  });

  it('round-trips a tool call while streaming, reassembling argument deltas', async () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Oslo, please.' },
    ];
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages,
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream: true,
    });
    let id = '';
    let name = '';
    let argumentsText = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      if (delta?.id) id = delta.id;
      if (delta?.function?.name) name = delta.function.name;
      argumentsText += delta?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(name).toBe('get_weather');
    expect(JSON.parse(argumentsText)).toHaveProperty('city');

    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: [{ id, type: 'function', function: { name, arguments: argumentsText } }],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: '{"temperature": 4}' });
    const answer = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages,
      stream: true,
    });
    let text = '';
    for await (const chunk of answer) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/\S/);
  });

  it('lists the catalogue with OpenRouter fields', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.length).toBe(356);
    expect(ids).toContain('openai/gpt-4o');
    const model = (await client.models.retrieve('openai/gpt-4o')) as unknown as Record<
      string,
      unknown
    >;
    expect(model).toMatchObject({
      id: 'openai/gpt-4o',
      object: 'model',
      pricing: { prompt: '0.0000025', completion: '0.00001' },
    });
    expect(model).toHaveProperty('context_length', 128000);
  });

  it('answers an unknown model with 404', async () => {
    const error = await expectApiError(
      client.chat.completions.create({
        model: 'acme/no-such-model',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
  });

  it('answers a bad key with 401', async () => {
    const stranger = new OpenAI({
      apiKey: 'sb-not-the-key-at-all-000000',
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
    const error = await expectApiError(
      stranger.chat.completions.create({
        model: 'openai/gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.headers?.get('x-request-id')).toMatch(/^req_/);
  });

  it('passes an upstream 429 on as 429 with its retry-after', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4.1-mini' },
      status: 429,
      headers: { 'retry-after': '30' },
      times: 1,
    });
    const error = await expectApiError(
      client.chat.completions.create({
        model: 'openai/gpt-4.1-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.headers?.get('retry-after')).toBe('30');
  });

  it('turns an upstream 401 (our own credentials refused) into 502', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4.1-mini' },
      status: 401,
      times: 1,
    });
    const error = await expectApiError(
      client.chat.completions.create({
        model: 'openai/gpt-4.1-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toMatch(/sk-or|http:\/\/127/);
  });

  it('shows the ledger-observed latency and error rate in the admin catalogue', async () => {
    const response = await fetch(`${gateway.url}/admin/catalog/models/openai/gpt-4.1-mini`, {
      headers: { authorization: `Bearer ${gateway.key}` },
    });
    const body = (await response.json()) as {
      id: string;
      observed: { requests: number; error_rate: number | null };
    };
    expect(body.id).toBe('openai/gpt-4.1-mini');
    // The 429 and 401 tests above each sent one failing request for this model.
    expect(body.observed.requests).toBe(2);
    expect(body.observed.error_rate).toBe(1);
  });

  it('keeps a ledger that matches the emulator request for request, cost for cost', async () => {
    const ours = await gatewayLedger(gateway);
    const theirs = await emulatorLedger(gateway.emulatorOrigin);
    const served = theirs.filter((row) => row.status === 200);
    expect(served.length).toBeGreaterThan(5);
    for (const row of served) {
      const match = ours.find((entry) => entry.generation_id === row.generationId);
      expect(match, `ledger row for ${row.generationId ?? ''}`).toBeDefined();
      expect(match?.cost_nanousd).toBe(row.costNanoUsd === null ? null : Number(row.costNanoUsd));
      expect(match?.cost_source).toBe(row.costNanoUsd === null ? null : 'provider');
    }
    const attempts = ours.flatMap((entry) => entry.attempts);
    expect(attempts.length).toBe(theirs.length);
    const rateLimited = ours.find((entry) => entry.status === 'rate_limited');
    expect(rateLimited?.http_status).toBe(429);
    expect(rateLimited?.cost_nanousd).toBeNull();
  });
});
