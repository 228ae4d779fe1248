/**
 * One gateway, five providers: OpenAI, Anthropic and Gemini (each through its own dialect),
 * a custom OpenAI-compatible endpoint, and OpenRouter — all emulated, since none can be reached
 * from CI. Through the official `openai` client every one gives the same answer shape: text,
 * streamed text, tool calls (streamed and not) and usage. A direct provider failing with 503
 * before the first byte falls back to OpenRouter, and the ledger shows both attempts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  addEmulatorFault,
  gatewayLedger,
  startGateway,
  type TestGateway,
} from '../helpers/start-gateway.ts';

let emulator: Emulator;
let gateway: TestGateway;
let client: OpenAI;

const served = [
  { model: 'openai/gpt-4o', provider: 'openai' },
  { model: 'anthropic/claude-sonnet-4.5', provider: 'anthropic' },
  { model: 'google/gemini-2.5-flash', provider: 'google' },
  { model: 'acme/local-llama', provider: 'local' },
  { model: 'deepseek/deepseek-r1', provider: 'openrouter' },
] as const;

const lookupTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'lookup_station',
    description: 'Find a railway station.',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string' }, country: { type: 'string' } },
      required: ['name'],
    },
  },
};

beforeAll(async () => {
  emulator = createEmulator();
  const origin = await emulator.listen({ port: 0 });
  const configFile = path.join(
    mkdtempSync(path.join(tmpdir(), 'signalbox-providers-')),
    'signalbox.config.yaml',
  );
  writeFileSync(
    configFile,
    [
      'providers:',
      '  - id: local',
      '    type: openai-compatible',
      `    baseUrl: ${origin}/api/v1`,
      '    apiKey: env:LOCAL_LLM_KEY',
      '    models:',
      '      acme/local-llama: openai/gpt-4o-mini',
    ].join('\n'),
  );
  gateway = await startGateway(
    {
      OPENROUTER_API_KEY: 'sk-or-v1-providers-test-0000000000',
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      OPENAI_API_KEY: 'sk-test-openai',
      OPENAI_BASE_URL: `${origin}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: origin,
      GEMINI_API_KEY: 'gemini-test-key',
      GEMINI_BASE_URL: origin,
      LOCAL_LLM_KEY: 'local-secret',
      SIGNALBOX_CONFIG: configFile,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    },
    { emulatorOrigin: origin },
  );
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

describe.each(served)('$model through $provider', ({ model, provider }) => {
  it('answers JSON with text and usage', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Describe a signal box.' },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-signalbox-provider')).toBe(provider);
    expect(data.object).toBe('chat.completion');
    expect(data).toHaveProperty('system_fingerprint');
    expect(data.choices[0]?.message.role).toBe('assistant');
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams text with a usage chunk', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Tell me about levers.' }],
      })
      .withResponse();
    expect(response.headers.get('x-signalbox-provider')).toBe(provider);
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toMatch(/\S/);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('calls a tool, JSON and streamed', async () => {
    const messages = [{ role: 'user' as const, content: 'Where is Crewe station?' }];
    const first = await client.chat.completions.create({
      model,
      messages,
      tools: [lookupTool],
      tool_choice: 'required',
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('lookup_station');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('name');
    expect(call.id).toMatch(/\S/);

    const stream = await client.chat.completions.create({
      model,
      messages,
      tools: [lookupTool],
      tool_choice: 'required',
      stream: true,
    });
    let name = '';
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      name += delta?.function?.name ?? '';
      args += delta?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('lookup_station');
    expect(JSON.parse(args)).toHaveProperty('name');
    expect(finish).toBe('tool_calls');

    const answer = await client.chat.completions.create({
      model,
      tools: [lookupTool],
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"station":"Crewe","country":"GB"}' },
      ],
    });
    expect(answer.choices[0]?.message.content).toMatch(/\S/);
  });
});

describe('fallback', () => {
  it('falls back to OpenRouter when a direct provider fails with 503 before the first byte', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'claude-sonnet-4-5' },
      status: 503,
      times: 1,
    });
    const { data, response } = await client.chat.completions
      .create({
        model: 'anthropic/claude-sonnet-4.5',
        messages: [{ role: 'user', content: 'Hello after a failure.' }],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(response.headers.get('x-signalbox-provider')).toBe('openrouter');
    const row = (await gatewayLedger(gateway)).find(
      (entry) => entry.id === response.headers.get('x-request-id'),
    );
    expect(row?.attempts.map((attempt) => [attempt.status, attempt.upstream_status])).toEqual([
      ['upstream_unavailable', 503],
      ['success', 200],
    ]);
    expect(row?.status).toBe('success');
  });

  it('prices direct-provider requests from the catalogue', async () => {
    const rows = await gatewayLedger(gateway);
    const anthropicRow = rows.find(
      (entry) =>
        entry.attempts.length === 1 &&
        entry.model === 'anthropic/claude-sonnet-4.5' &&
        entry.status === 'success',
    );
    expect(anthropicRow?.cost_source).toBe('computed');
    expect(anthropicRow?.cost_nanousd).toBeGreaterThan(0);
  });
});
