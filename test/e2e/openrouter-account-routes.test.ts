/**
 * OpenRouter's account routes for drop-in apps: `/generation?id=` from the ledger in OpenRouter's
 * shape, `/key` and `/credits` from OpenRouter (the built-in emulator in demo mode), under
 * /api/v1 and /v1, with the master key; upstream errors mapped like chat's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OpenRouter } from '@openrouter/sdk';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createEmulator } from '../../src/emulator/index.ts';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway.close();
});

async function get(route: string, key: string | null = gateway.key, base = gateway.url) {
  const response = await request(`${base}${route}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

async function chat(stream: boolean) {
  const response = await request(`${gateway.url}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-4o',
      stream,
      messages: [{ role: 'user', content: 'hello' }],
    }),
  });
  await response.body.dump();
  return {
    generationId: String(response.headers['x-generation-id']),
    requestId: String(response.headers['x-request-id']),
  };
}

describe('GET /api/v1/generation', () => {
  it('answers from the ledger in OpenRouter GenerationResponse shape, under both prefixes', async () => {
    const served = await chat(false);
    for (const prefix of ['/api/v1', '/v1']) {
      const result = await get(
        `${prefix}/generation?id=${encodeURIComponent(served.generationId)}`,
      );
      expect(result.status).toBe(200);
      const data = result.body.data as Record<string, unknown>;
      expect(data).toMatchObject({
        id: served.generationId,
        request_id: served.requestId,
        streamed: false,
        cancelled: false,
        provider_name: 'openrouter',
        api_type: 'completions',
        is_byok: false,
      });
      expect(data.model).toMatch(/^openai\/gpt-4o/);
      expect(data.total_cost).toBeGreaterThan(0);
      expect(data.usage).toBe(data.total_cost);
      expect(data.tokens_prompt).toBeGreaterThan(0);
      expect(data.tokens_completion).toBeGreaterThan(0);
      expect(data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(typeof data.latency).toBe('number');
    }
  });

  it('is read by the official OpenRouter SDK', async () => {
    const served = await chat(true);
    const client = new OpenRouter({ apiKey: gateway.key, serverURL: `${gateway.url}/api/v1` });
    const generation = await client.generations.getGeneration({ id: served.generationId });
    expect(generation.data.id).toBe(served.generationId);
    expect(generation.data.streamed).toBe(true);
  });

  it('answers 404 generation_not_found for an unknown id and 400 without one', async () => {
    const unknown = await get('/api/v1/generation?id=gen-0000-unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'generation_not_found', param: 'id' } });
    expect(unknown.headers['x-request-id']).toMatch(/^req_/);
    const missing = await get('/api/v1/generation');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'invalid_request', param: 'id' } });
  });

  it('requires the master key like chat', async () => {
    expect((await get('/api/v1/generation?id=x', null)).status).toBe(401);
    expect((await get('/api/v1/key', 'sb-wrong-key-00000000000')).status).toBe(401);
    expect((await get('/v1/credits', null)).status).toBe(401);
  });
});

describe('GET /api/v1/key and /api/v1/credits', () => {
  it('answers from the built-in emulator in demo mode, under both prefixes', async () => {
    for (const prefix of ['/api/v1', '/v1']) {
      const key = await get(`${prefix}/key`);
      expect(key.status).toBe(200);
      expect(key.body.data).toMatchObject({
        label: expect.stringMatching(/^sk-or-demo-/) as unknown,
        limit: null,
      });
      const credits = await get(`${prefix}/credits`);
      expect(credits.status).toBe(200);
      expect(credits.body.data).toMatchObject({ total_credits: 100 });
      expect(typeof (credits.body.data as { total_usage: unknown }).total_usage).toBe('number');
    }
  });

  it('proxies OpenRouter in live mode and maps its errors like chat', async () => {
    const emulator = createEmulator({ apiKeys: ['sk-or-v1-account-routes-good-key-000'] });
    const origin = await emulator.listen({ port: 0 });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-account-'));
    const start = async (apiKey: string, name: string) => {
      const app = await createApp(
        loadConfig({
          PORT: '0',
          SIGNALBOX_DATA_DIR: path.join(dataDir, name),
          SIGNALBOX_MASTER_KEY: 'sb-account-routes-master-key-01',
          OPENROUTER_API_KEY: apiKey,
          OPENROUTER_BASE_URL: `${origin}/api/v1`,
          SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
        }),
        { logger: pino({ level: 'silent' }) },
      );
      return { app, url: await app.listen() };
    };
    const good = await start('sk-or-v1-account-routes-good-key-000', 'good');
    const bad = await start('sk-or-v1-account-routes-revoked-key-0', 'bad');
    try {
      const key = await get('/api/v1/key', 'sb-account-routes-master-key-01', good.url);
      expect(key.status).toBe(200);
      expect(key.body.data).toMatchObject({ label: 'sk-or-v1-acc...000' });
      const refused = await get('/api/v1/credits', 'sb-account-routes-master-key-01', bad.url);
      expect(refused.status).toBe(502);
      expect(refused.body).toMatchObject({
        error: { code: 'upstream_auth_failed', type: 'upstream_error' },
      });
      expect(JSON.stringify(refused.body)).not.toMatch(/revoked|127\.0\.0\.1/);
    } finally {
      await good.app.close();
      await bad.app.close();
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
