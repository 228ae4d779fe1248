/** The HTTP edge: auth, limits, content types, malformed JSON — always an OpenAI-shaped error with a request id. */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway({ SIGNALBOX_BODY_LIMIT_BYTES: '65536' });
});

afterAll(async () => {
  await gateway.close();
});

async function send(
  path: string,
  options: { method?: string; body?: string; contentType?: string; key?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? gateway.key}`;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await request(`${gateway.url}${path}`, {
    method: (options.method ?? (options.body === undefined ? 'GET' : 'POST')) as 'GET' | 'POST',
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

function expectError(result: Awaited<ReturnType<typeof send>>, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.headers['x-request-id']).toMatch(/^req_/);
  expect(result.body).toMatchObject({
    error: { code, message: expect.any(String) as unknown, type: expect.any(String) as unknown },
  });
  expect(result.body?.error).toHaveProperty('param');
  expect(JSON.stringify(result.body)).not.toMatch(/at .+\.ts:\d+|sk-or-|127\.0\.0\.1:\d+\/api/);
}

const valid = JSON.stringify({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'hi' }],
});

describe('http edge', () => {
  it('requires the master key', async () => {
    expectError(
      await send('/v1/chat/completions', {
        body: valid,
        contentType: 'application/json',
        key: null,
      }),
      401,
      'missing_api_key',
    );
    expectError(
      await send('/admin/requests', { key: 'sb-wrong-key-0000000000000' }),
      401,
      'invalid_api_key',
    );
  });

  it('rejects bodies over the limit with 413', async () => {
    const big = JSON.stringify({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(70_000) }],
    });
    expectError(
      await send('/v1/chat/completions', { body: big, contentType: 'application/json' }),
      413,
      'request_too_large',
    );
  });

  it('accepts only JSON on JSON routes', async () => {
    expectError(
      await send('/v1/chat/completions', { body: valid, contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    );
  });

  it('rejects malformed JSON and prototype poisoning', async () => {
    expectError(
      await send('/v1/chat/completions', { body: '{"model":', contentType: 'application/json' }),
      400,
      'invalid_json',
    );
    const poisoned =
      '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"__proto__":{"admin":true}}';
    expectError(
      await send('/v1/chat/completions', { body: poisoned, contentType: 'application/json' }),
      400,
      'invalid_request',
    );
  });

  it('names the bad field of an invalid request', async () => {
    const result = await send('/v1/chat/completions', {
      body: JSON.stringify({
        model: 'openai/gpt-4o',
        messages: [{ role: 'robot', content: 'hi' }],
      }),
      contentType: 'application/json',
    });
    expectError(result, 400, 'invalid_request');
    expect(result.body?.error).toMatchObject({ param: 'messages[0].role' });
  });

  it('answers unknown routes and models with 404', async () => {
    expectError(await send('/v1/nothing-here'), 404, 'route_not_found');
    expectError(await send('/v1/models/acme/none'), 404, 'model_not_found');
  });

  it('serves the same API under /api/v1 for OpenRouter clients', async () => {
    const result = await send('/api/v1/models/openai/gpt-4o');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: 'openai/gpt-4o', object: 'model' });
  });

  it('reports liveness and readiness, demo mode included', async () => {
    expect((await send('/health/live', { key: null })).status).toBe(200);
    const ready = await send('/health/ready', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', mode: 'demo', catalogue: { models: 356 } });
  });
});
