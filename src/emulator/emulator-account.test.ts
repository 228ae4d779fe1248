import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../contracts/model-info.ts';
import { nanoToUsdNumber } from '../pricing/decimal.ts';
import {
  TEST_API_KEY,
  readFixture,
  startTestEmulator,
  type TestEmulator,
} from './emulator-test-client.ts';

type Examples = Record<string, Record<string, unknown>>;
const examples = JSON.parse(readFixture('openapi-response-examples.json')) as Examples;
const observed = (
  JSON.parse(readFixture('observed-responses-from-issues.json')) as {
    entries: { status: number; endpoint: string; body?: unknown }[];
  }
).entries;
const snapshot = (
  JSON.parse(
    readFileSync(
      new URL('../catalog/snapshot/models-snapshot-2026-05.json', import.meta.url),
      'utf8',
    ),
  ) as { data: ModelInfo[] }
).data;

function exampleData(operation: string): Record<string, unknown> {
  return (examples[operation]?.['200 application/json'] as { data: Record<string, unknown> }).data;
}

function observedBody(status: number, endpointPart: string): unknown {
  return observed.find((entry) => entry.status === status && entry.endpoint.includes(endpointPart))
    ?.body;
}

let server: TestEmulator;
const question = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello' }] };

beforeAll(async () => {
  server = await startTestEmulator({ replay: false });
});

afterAll(async () => {
  await server.emulator.close();
});

describe('GET /api/v1/models', () => {
  it('serves the shipped snapshot without authentication', async () => {
    const response = await server.call('/api/v1/models', { headers: { authorization: '' } });
    expect(response.status).toBe(200);
    expect((JSON.parse(response.text) as { data: ModelInfo[] }).data).toEqual(snapshot);
  });

  it('serves and prices the given catalogue instead', async () => {
    const model = snapshot.find((item) => item.id === 'openai/gpt-4o');
    const custom = await startTestEmulator({
      models: model === undefined ? [] : [{ ...model, id: 'acme/one' }],
    });
    try {
      expect(JSON.parse((await custom.call('/api/v1/models')).text)).toEqual({
        data: [{ ...model, id: 'acme/one' }],
      });
      expect((await custom.chat({ ...question, model: 'acme/one' })).status).toBe(200);
      expect((await custom.chat(question)).status).toBe(404);
    } finally {
      await custom.emulator.close();
    }
  });
});

describe('authentication', () => {
  it('answers a missing key with the real 401 body', async () => {
    const response = await server.call('/api/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify(question),
      headers: { authorization: '' },
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual(observedBody(401, 'no / empty Authorization'));
  });

  it('accepts only the configured keys when apiKeys is given', async () => {
    const strict = await startTestEmulator({ apiKeys: ['sk-or-v1-other'] });
    try {
      const rejected = await strict.chat(question);
      expect(rejected.status).toBe(401);
      expect(JSON.parse(rejected.text)).toEqual(observedBody(401, 'unknown / revoked key'));
      const accepted = await strict.chat(question, {
        headers: { authorization: 'Bearer sk-or-v1-other' },
      });
      expect(accepted.status).toBe(200);
      expect((await strict.call('/api/v1/key')).status).toBe(401);
    } finally {
      await strict.emulator.close();
    }
  });
});

describe('GET /api/v1/generation, /key, /credits', () => {
  it('returns a generation in the spec shape, and the spec 404 for an unknown id', async () => {
    const completion = JSON.parse((await server.chat(question)).text) as {
      id: string;
      usage: { cost: number; prompt_tokens: number; completion_tokens: number };
    };
    const response = await server.call(`/api/v1/generation?id=${completion.id}`);
    expect(response.status).toBe(200);
    const data = (JSON.parse(response.text) as { data: Record<string, unknown> }).data;
    expect(Object.keys(data).sort()).toEqual(
      expect.arrayContaining(Object.keys(exampleData('GET /generation')).sort()),
    );
    expect(data).toMatchObject({
      id: completion.id,
      model: 'openai/gpt-4o',
      provider_name: 'OpenAI',
      streamed: false,
      cancelled: false,
      finish_reason: 'stop',
      tokens_prompt: completion.usage.prompt_tokens,
      tokens_completion: completion.usage.completion_tokens,
      total_cost: completion.usage.cost,
      usage: completion.usage.cost,
      is_byok: false,
      api_type: 'completions',
    });
    const missing = await server.call('/api/v1/generation?id=gen-0-nothing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual(examples['GET /generation']?.['404 application/json']);
  });

  it('reports the key with its spend from the ledger, and the credits', async () => {
    server.emulator.clearLedger();
    await server.chat(question);
    await server.chat({ ...question, stream: true });
    const spent = server.emulator.ledger.reduce(
      (sum, entry) => sum + BigInt(entry.costNanoUsd ?? '0'),
      0n,
    );
    expect(spent).toBeGreaterThan(0n);
    const key = (
      JSON.parse((await server.call('/api/v1/key')).text) as { data: Record<string, unknown> }
    ).data;
    expect(Object.keys(key).sort()).toEqual(Object.keys(exampleData('GET /key')).sort());
    expect(key).toMatchObject({
      label: `${TEST_API_KEY.slice(0, 12)}...${TEST_API_KEY.slice(-3)}`,
      limit: null,
      usage: nanoToUsdNumber(spent),
      is_free_tier: false,
    });
    const credits = (
      JSON.parse((await server.call('/api/v1/credits')).text) as { data: Record<string, unknown> }
    ).data;
    expect(Object.keys(credits).sort()).toEqual(Object.keys(exampleData('GET /credits')).sort());
    expect(credits.total_usage).toBe(nanoToUsdNumber(spent));
  });
});

describe('control endpoints', () => {
  it('list and clear the ledger over HTTP', async () => {
    server.emulator.clearLedger();
    await server.chat(question);
    const listed = JSON.parse(
      (await server.call('/__emulator/ledger', { headers: { authorization: '' } })).text,
    ) as { data: unknown[] };
    expect(listed.data).toEqual(JSON.parse(JSON.stringify(server.emulator.ledger)));
    expect(listed.data).toHaveLength(1);
    expect((await server.call('/__emulator/ledger', { method: 'DELETE' })).status).toBe(204);
    expect(server.emulator.ledger).toHaveLength(0);
  });

  it('answers unknown paths with 404', async () => {
    expect((await server.call('/api/v1/nothing')).status).toBe(404);
    expect((await server.call('/__emulator/nothing')).status).toBe(404);
  });
});
