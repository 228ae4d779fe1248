/**
 * A virtual key's limits over HTTP (demo mode): created through the admin API, enforced on
 * /v1/chat/completions — OpenAI's x-ratelimit headers and 429 with retry-after over the RPM, the
 * budget's max_tokens cap and 402, and the key's spend and reservations in GET /admin/keys/{id}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson } from '../helpers/json-call.ts';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway.close();
});

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST', path: string, body?: unknown, key = gateway.key) {
  const answer = await callJson(gateway, method, path, body, key);
  return { ...answer, body: answer.body as Json };
}

async function createKey(fields: Json): Promise<{ id: string; key: string }> {
  const created = await call('POST', '/admin/keys', { name: 'limited', ...fields });
  expect(created.status).toBe(201);
  return { id: String(created.body.id), key: String(created.body.key) };
}

const chat = (key: string, extra: Json = {}) =>
  call(
    'POST',
    '/v1/chat/completions',
    { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra },
    key,
  );

describe('a key’s limits on /v1', () => {
  it('answers with x-ratelimit headers and refuses over the RPM with 429 and retry-after', async () => {
    const { key } = await createKey({ rpm: 2, tpm: 50_000 });
    const first = await chat(key, { max_tokens: 10 });
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(first.headers['x-ratelimit-remaining-requests']).toBe('1');
    expect(first.headers['x-ratelimit-limit-tokens']).toBe('50000');
    expect(first.headers['x-ratelimit-reset-tokens']).toBeDefined();
    expect((await chat(key, { max_tokens: 10 })).status).toBe(200);
    const refused = await chat(key, { max_tokens: 10 });
    expect(refused.status).toBe(429);
    expect((refused.body.error as Json).code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['x-ratelimit-remaining-requests']).toBe('0');
  });

  it('caps max_tokens by the budget, shows spend, and refuses what it cannot afford', async () => {
    const { id, key } = await createKey({ budget: { limit_usd: 0.0003, period: 'day' } });
    const answered = await chat(key);
    expect(answered.status).toBe(200);
    const capped = Number(answered.headers['x-signalbox-max-tokens-capped']);
    expect(capped).toBeGreaterThan(0);
    expect(capped).toBeLessThan(500);
    const shown = await call('GET', `/admin/keys/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.spend_usd).toBeGreaterThan(0);
    expect(shown.body.spend_usd).toBeLessThanOrEqual(0.0003);
    expect(shown.body.reserved_usd).toBe(0);
    const refused = await chat(key, { max_tokens: 2_000 });
    expect(refused.status).toBe(402);
    expect((refused.body.error as Json).code).toBe('budget_exceeded');
  });
});
