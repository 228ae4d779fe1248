// The admin API and the dashboard's static files on a whole gateway (demo mode): the OpenAPI
// document, cookie sessions with CSRF on real routes, the playground chat, request detail,
// and /ui/ caching, compression and SPA fallback.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { z } from 'zod';
import {
  catalogModelDetailSchema,
  catalogPageSchema,
  compareResponseSchema,
  recommendResponseSchema,
  syncRunSchema,
} from '../../src/http/routes/admin-catalog-schemas.ts';
import { ledgerPageSchema } from '../../src/http/routes/admin-requests-schemas.ts';
import { sessionSchema } from '../../src/http/routes/admin-session.ts';
import { defaultDashboardDirectory } from '../../src/http/ui/dashboard-directory.ts';
import { isDashboardBuilt } from '../../src/http/ui/serve-dashboard.ts';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

describe('admin API on a whole gateway', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  async function call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { cookie?: string; csrf?: string; bearer?: boolean; body?: unknown } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.bearer === true) headers.authorization = `Bearer ${gateway.key}`;
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await request(`${gateway.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  async function login(): Promise<{ cookie: string; csrf: string }> {
    const response = await call('POST', '/admin/session', { body: { key: gateway.key } });
    expect(response.status).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    return {
      cookie: setCookie.split(';')[0] ?? '',
      csrf: (JSON.parse(response.text) as { csrf_token: string }).csrf_token,
    };
  }

  it('publishes every admin route as OpenAPI 3.1, with both security schemes and roles', async () => {
    const response = await call('GET', '/admin/openapi.json');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.text) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-minimum-role': string; security: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    expect(document.components.schemas).toHaveProperty('ErrorBody');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        operation['x-minimum-role'],
      ]),
    );
    expect(Object.fromEntries(operations)).toMatchObject({
      'GET /admin/requests': 'viewer',
      'GET /admin/requests/{id}': 'viewer',
      'GET /admin/catalog/models': 'viewer',
      'GET /admin/catalog/models/{id}': 'viewer',
      'POST /admin/catalog/compare': 'viewer',
      'POST /admin/catalog/recommend': 'viewer',
      'POST /admin/catalog/models/enable': 'admin',
      'POST /admin/catalog/models/disable': 'admin',
      'POST /admin/catalog/sync': 'admin',
      'GET /admin/catalog/sync/{id}': 'viewer',
      'POST /admin/playground/chat/completions': 'admin',
      'POST /admin/session': 'public',
      'GET /admin/session': 'viewer',
      'DELETE /admin/session': 'viewer',
      'POST /admin/session/logout-all': 'viewer',
      'GET /admin/openapi.json': 'public',
    });
  });

  it('authenticates real routes with the session cookie; mutations need the CSRF token', async () => {
    const { cookie, csrf } = await login();
    const list = await call('GET', '/admin/catalog/models?q=gpt-4o&limit=1', { cookie });
    expect(list.status).toBe(200);
    const denied = await call('POST', '/admin/catalog/models/disable', {
      cookie,
      body: { ids: ['openai/gpt-4o'] },
    });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text)).toMatchObject({ error: { code: 'invalid_csrf_token' } });
    const disabled = await call('POST', '/admin/catalog/models/disable', {
      cookie,
      csrf,
      body: { ids: ['openai/gpt-4o'] },
    });
    expect(JSON.parse(disabled.text)).toEqual({ updated: 1 });
    const enabled = await call('POST', '/admin/catalog/models/enable', {
      cookie,
      csrf,
      body: { ids: ['openai/gpt-4o'] },
    });
    expect(JSON.parse(enabled.text)).toEqual({ updated: 1 });
    // Logged out, the same cookie is refused.
    await call('DELETE', '/admin/session', { cookie, csrf });
    const after = await call('GET', '/admin/requests', { cookie });
    expect([
      after.status,
      (JSON.parse(after.text) as { error: { code: string } }).error.code,
    ]).toEqual([401, 'session_expired']);
  });

  it('keeps validation errors OpenAI-shaped, naming the field', async () => {
    const bad = await call('GET', '/admin/catalog/models?min_context=-3', { bearer: true });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({
      error: {
        message: '"min_context" must be a number >= 0.',
        type: 'invalid_request_error',
        param: 'min_context',
        code: 'invalid_request',
      },
    });
    const nested = await call('POST', '/admin/catalog/compare', {
      bearer: true,
      body: { models: ['openai/gpt-4o', 'openai/gpt-4o-mini'], workload: { prompt_tokens: 'x' } },
    });
    expect(JSON.parse(nested.text)).toMatchObject({
      error: { code: 'invalid_request', param: 'workload.prompt_tokens' },
    });
    const limit = await call('GET', '/admin/requests?limit=0', { bearer: true });
    expect(JSON.parse(limit.text)).toMatchObject({ error: { param: 'limit' } });
  });

  it('serves the playground chat to a session (JSON and SSE) and records it in the ledger', async () => {
    const { cookie, csrf } = await login();
    const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
    const refused = await call('POST', '/admin/playground/chat/completions', { cookie, body });
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'invalid_csrf_token' } });
    const json = await call('POST', '/admin/playground/chat/completions', { cookie, csrf, body });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toMatchObject({ object: 'chat.completion' });
    expect(json.headers['x-signalbox-provider']).toBe('openrouter');
    const stream = await call('POST', '/admin/playground/chat/completions', {
      cookie,
      csrf,
      body: { ...body, stream: true, stream_options: { include_usage: true } },
    });
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.text).toContain('data: [DONE]');
    const id = String(stream.headers['x-request-id']);
    const detail = await call('GET', `/admin/requests/${id}`, { cookie });
    expect(JSON.parse(detail.text)).toMatchObject({
      id,
      model: 'openai/gpt-4o-mini',
      stream: true,
      status: 'success',
      attempts: [expect.objectContaining({ provider: 'openrouter', status: 'success' })],
    });
    const missing = await call('GET', '/admin/requests/req_nope', { cookie });
    expect(missing.status).toBe(404);
    // The /v1 route still takes the bearer key only, never the cookie.
    const v1 = await call('POST', '/v1/chat/completions', { cookie, csrf, body });
    expect(v1.status).toBe(401);
  });

  it('filters the ledger by model, status, time and cost range', async () => {
    const since = new Date().toISOString();
    const send = async (model: string) => {
      const response = await call('POST', '/v1/chat/completions', {
        bearer: true,
        body: { model, messages: [{ role: 'user', content: `filter ${model}` }] },
      });
      expect(response.status).toBe(200);
      return String(response.headers['x-request-id']);
    };
    const mini = await send('openai/gpt-4o-mini');
    const flash = await send('google/gemini-2.5-flash');
    const list = async (query: string) => {
      const response = await call('GET', `/admin/requests?${query}`, { bearer: true });
      expect(response.status).toBe(200);
      return (JSON.parse(response.text) as { data: { id: string; cost_nanousd: number | null }[] })
        .data;
    };
    // Sorted: two requests of one millisecond are listed by id, not by arrival.
    const ids = async (query: string) => (await list(query)).map((row) => row.id).sort();
    const from = `from=${encodeURIComponent(since)}`;
    expect(await ids(from)).toEqual([flash, mini].sort());
    expect(await ids(`${from}&model=google/gemini-2.5-flash`)).toEqual([flash]);
    expect(await ids(`${from}&status=success&provider=openrouter`)).toEqual([flash, mini].sort());
    expect(await ids(`${from}&status=error`)).toEqual([]);
    const costs = await list(from);
    const cheapest = Math.min(...costs.map((row) => row.cost_nanousd ?? Infinity));
    expect(Number.isFinite(cheapest)).toBe(true);
    // USD bounds in the query string are exact nano-USD.
    const usd = (cheapest / 1e9).toFixed(9);
    const atMost = await list(`${from}&max_cost_usd=${usd}`);
    expect(atMost.every((row) => (row.cost_nanousd ?? Infinity) <= cheapest)).toBe(true);
    expect(atMost.length).toBeGreaterThan(0);
    const bad = await call('GET', '/admin/requests?min_cost_usd=-1', { bearer: true });
    expect(JSON.parse(bad.text)).toMatchObject({
      error: { code: 'invalid_request', param: 'min_cost_usd' },
    });
  });

  it('answers exactly what each route documents (no undocumented or missing field)', async () => {
    const { cookie, csrf } = await login();
    await call('POST', '/admin/playground/chat/completions', {
      cookie,
      csrf,
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'schema check' }] },
    });
    const sync = await call('POST', '/admin/catalog/sync', { cookie, csrf, body: { wait: false } });
    const syncId = (JSON.parse(sync.text) as { id: string }).id;
    const checks: [z.ZodType, { text: string; status: number }][] = [
      [sessionSchema, await call('GET', '/admin/session', { cookie })],
      [ledgerPageSchema, await call('GET', '/admin/requests', { cookie })],
      [catalogPageSchema, await call('GET', '/admin/catalog/models?limit=5', { cookie })],
      [
        catalogModelDetailSchema,
        await call('GET', '/admin/catalog/models/openai/gpt-4o', { cookie }),
      ],
      [
        compareResponseSchema,
        await call('POST', '/admin/catalog/compare', {
          cookie,
          csrf,
          body: { models: ['openai/gpt-4o', 'openai/gpt-4o-mini'] },
        }),
      ],
      [
        recommendResponseSchema,
        await call('POST', '/admin/catalog/recommend', {
          cookie,
          csrf,
          body: { capabilities: ['tools'] },
        }),
      ],
      [syncRunSchema, sync],
      [syncRunSchema, await call('GET', `/admin/catalog/sync/${syncId}`, { cookie })],
    ];
    for (const [schema, response] of checks) {
      expect(response.status).toBeLessThan(300);
      const body: unknown = JSON.parse(response.text);
      // zod drops undocumented fields of closed objects and rejects missing or mistyped ones.
      expect(schema.parse(body)).toEqual(body);
    }
  });

  describe.skipIf(!isDashboardBuilt(defaultDashboardDirectory()))('/ui/', () => {
    it('serves index.html uncached and SPA routes with it; / and /ui redirect', async () => {
      const index = await call('GET', '/ui/');
      expect(index.status).toBe(200);
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.headers['content-security-policy']).toContain("default-src 'self'");
      expect(index.text).toContain('<div id="root"></div>');
      const route = await call('GET', '/ui/models/openai/gpt-4o');
      expect(route.text).toBe(index.text);
      expect((await call('GET', '/')).headers.location).toBe('/ui/');
      expect((await call('GET', '/ui')).headers.location).toBe('/ui/');
      expect((await call('GET', '/ui/assets/nope-123.js')).status).toBe(404);
    });

    it('serves hashed assets immutable, precompressed as brotli or gzip', async () => {
      const assets = await readdir(`${defaultDashboardDirectory()}/assets`);
      const script = assets.find((name) => /^index-.*\.js$/.test(name));
      expect(script).toBeDefined();
      const url = `${gateway.url}/ui/assets/${script ?? ''}`;
      const plain = await request(url);
      const plainBytes = Buffer.from(await plain.body.arrayBuffer());
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-type']).toMatch(/javascript/);
      for (const encoding of ['br', 'gzip']) {
        const response = await request(url, { headers: { 'accept-encoding': encoding } });
        const bytes = Buffer.from(await response.body.arrayBuffer());
        expect(response.headers['content-encoding']).toBe(encoding);
        expect(bytes.length).toBeLessThan(plainBytes.length / 2);
      }
    });
  });
});
