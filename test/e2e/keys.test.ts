/**
 * Projects and API keys through the admin API on a whole gateway (demo mode): create a project
 * and a client key, chat with the key and find the row in /admin/requests by key_id; the key's
 * spend and every budget at once (/admin/budgets); validation and not-found errors; rotation
 * with and without grace; revocation (401 at once); admin and viewer keys on the admin API, the
 * dashboard login and /v1; audit rows without secrets.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway.close();
});

type Json = Record<string, unknown>;

async function call(
  method: string,
  path: string,
  body?: unknown,
  key: string = gateway.key,
): Promise<{ status: number; body: Json }> {
  const response = await request(`${gateway.url}${path}`, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text === '' ? {} : JSON.parse(text)) as Json };
}

const chat = (key: string, model = 'openai/gpt-4o-mini') =>
  call('POST', '/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, key);

function errorCode(body: Json): unknown {
  return (body.error as Json | undefined)?.code;
}

describe('projects and keys', () => {
  it('creates a project and a key, chats with it, and finds the row by key_id', async () => {
    const project = await call('POST', '/admin/projects', {
      name: 'search',
      rpm: 100,
      budget: { limit_usd: 5, period: 'month' },
    });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({
      name: 'search',
      rpm: 100,
      budget: { limit_usd: 5, period: 'month' },
    });
    const projectId = String(project.body.id);

    const created = await call('POST', '/admin/keys', {
      name: 'ci',
      project_id: projectId,
      models: ['openai/*'],
      budget: { limit_usd: 10, period: 'day' },
      max_cost_per_request_usd: 0.5,
      metadata: { team: 'search' },
    });
    expect(created.status).toBe(201);
    const key = String(created.body.key);
    expect(key).toMatch(/^sbk-[0-9A-Za-z]{43}$/);
    expect(created.body).toMatchObject({
      role: 'client',
      project_id: projectId,
      prefix: key.slice(0, 12),
      last4: key.slice(-4),
      models: ['openai/*'],
      max_cost_per_request_usd: 0.5,
      revoked_at: null,
    });
    const keyId = String(created.body.id);

    expect((await chat(gateway.key)).status).toBe(200);
    const answer = await chat(key);
    expect(answer.status).toBe(200);
    const outside = await chat(key, 'anthropic/claude-3.5-sonnet');
    expect(outside.status).toBe(403);
    expect(errorCode(outside.body)).toBe('model_not_allowed');

    const rows = await call('GET', `/admin/requests?key_id=${keyId}`);
    expect(rows.status).toBe(200);
    const data = rows.body.data as Json[];
    expect(data.map((row) => row.status)).toEqual(['model_not_allowed', 'success']);
    expect(data[1]).toMatchObject({ key_id: keyId, project_id: projectId });
    const master = await call('GET', '/admin/requests?key_id=master');
    expect((master.body.data as Json[]).map((row) => row.key_id)).toEqual(['master']);
    const byProject = await call('GET', `/admin/requests?project_id=${projectId}`);
    expect((byProject.body.data as Json[]).map((row) => row.id)).toEqual(data.map((row) => row.id));

    const detail = await call('GET', `/admin/keys/${keyId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).not.toHaveProperty('key');
    expect(detail.body.spend_usd).toBeGreaterThan(0);
    expect(detail.body).toMatchObject({ reserved_usd: 0 });
    expect(detail.body.spend_usd).toBeCloseTo(Number(data[1]?.cost_nanousd) / 1e9, 9);
    expect(detail.body.remaining_usd).toBeCloseTo(10 - Number(detail.body.spend_usd), 9);

    const listed = await call('GET', `/admin/keys?project_id=${projectId}`);
    expect((listed.body.data as Json[]).map((entry) => entry.id)).toEqual([keyId]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const projectDetail = await call('GET', `/admin/projects/${projectId}`);
    expect(projectDetail.body).toMatchObject({ active_keys: 1 });
    expect(projectDetail.body.spend_usd).toBe(detail.body.spend_usd);

    // Every budget at once, fullest first: the key's $10 a day, the project's $5 a month.
    const budgets = await call('GET', '/admin/budgets');
    expect(budgets.status).toBe(200);
    expect(budgets.body.data).toEqual([
      {
        scope: 'project',
        id: projectId,
        name: 'search',
        limit_usd: 5,
        period: 'month',
        spend_usd: projectDetail.body.spend_usd,
        reserved_usd: 0,
        remaining_usd: projectDetail.body.remaining_usd,
        period_start: projectDetail.body.period_start,
      },
      {
        scope: 'key',
        id: keyId,
        name: 'ci',
        limit_usd: 10,
        period: 'day',
        spend_usd: detail.body.spend_usd,
        reserved_usd: 0,
        remaining_usd: detail.body.remaining_usd,
        period_start: detail.body.period_start,
      },
    ]);
    // A project with live keys cannot be deleted.
    expect((await call('DELETE', `/admin/projects/${projectId}`)).status).toBe(409);
  });

  it('answers bad input and unknown ids with their codes', async () => {
    const unknownProject = await call('POST', '/admin/keys', {
      name: 'x',
      project_id: 'proj_nope',
    });
    expect(unknownProject.status).toBe(404);
    expect(unknownProject.body.error).toMatchObject({
      code: 'project_not_found',
      param: 'project_id',
    });
    const badRole = await call('POST', '/admin/keys', { name: 'x', role: 'owner' });
    expect(badRole.body.error).toMatchObject({ code: 'invalid_request', param: 'role' });
    const limitsOnAdmin = await call('POST', '/admin/keys', { name: 'x', role: 'admin', rpm: 5 });
    expect(limitsOnAdmin.body.error).toMatchObject({ code: 'invalid_request', param: 'rpm' });
    const defaultOutside = await call('POST', '/admin/keys', {
      name: 'x',
      policies: ['auto'],
      default_policy: 'cheap',
    });
    expect(defaultOutside.body.error).toMatchObject({
      code: 'invalid_request',
      param: 'default_policy',
    });
    const unknownField = await call('POST', '/admin/keys', { name: 'x', colour: 'red' });
    expect(errorCode(unknownField.body)).toBe('invalid_request');
    expect((await call('GET', '/admin/keys/key_nope')).body.error).toMatchObject({
      code: 'key_not_found',
    });
    expect((await call('PATCH', '/admin/keys/key_nope', { name: 'y' })).status).toBe(404);
    expect((await call('DELETE', '/admin/keys/key_nope')).status).toBe(404);
    expect((await call('POST', '/admin/keys/key_nope/rotate', {})).status).toBe(404);
    expect((await call('GET', '/admin/projects/proj_nope')).body.error).toMatchObject({
      code: 'project_not_found',
    });
    expect((await call('PATCH', '/admin/projects/proj_nope', { name: 'y' })).status).toBe(404);
    expect((await call('DELETE', '/admin/projects/proj_nope')).status).toBe(404);
    const badBudget = await call('POST', '/admin/projects', {
      name: 'x',
      budget: { limit_usd: -1, period: 'day' },
    });
    expect(badBudget.body.error).toMatchObject({
      code: 'invalid_request',
      param: 'budget.limit_usd',
    });
  });

  it('changes a key, rotates it with and without grace, and revokes it at once', async () => {
    const created = await call('POST', '/admin/keys', { name: 'rotating' });
    const id = String(created.body.id);
    const first = String(created.body.key);
    const patched = await call('PATCH', `/admin/keys/${id}`, { rpm: 30, metadata: { env: 'ci' } });
    expect(patched.body).toMatchObject({ rpm: 30, metadata: { env: 'ci' }, name: 'rotating' });

    const rotated = await call('POST', `/admin/keys/${id}/rotate`, { grace_seconds: 3600 });
    expect(rotated.status).toBe(200);
    const second = String(rotated.body.key);
    expect(second).not.toBe(first);
    expect(rotated.body.previous_key_expires_at).not.toBeNull();
    expect((await chat(first)).status).toBe(200);
    expect((await chat(second)).status).toBe(200);

    const again = await call('POST', `/admin/keys/${id}/rotate`);
    const third = String(again.body.key);
    expect(again.body.previous_key_expires_at).toBeNull();
    expect(errorCode((await chat(first)).body)).toBe('invalid_api_key');
    expect(errorCode((await chat(second)).body)).toBe('invalid_api_key');
    expect((await chat(third)).status).toBe(200);

    const revoked = await call('DELETE', `/admin/keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const refused = await chat(third);
    expect(refused.status).toBe(401);
    expect(errorCode(refused.body)).toBe('invalid_api_key');
    expect((await call('DELETE', `/admin/keys/${id}`)).status).toBe(409);
    expect((await call('GET', '/admin/keys')).body.data).not.toContainEqual(
      expect.objectContaining({ id }),
    );
    expect((await call('GET', '/admin/keys?include_revoked=true')).body.data).toContainEqual(
      expect.objectContaining({ id }),
    );
  });

  it('refuses an expired key like an unknown one', async () => {
    const created = await call('POST', '/admin/keys', {
      name: 'short-lived',
      expires_at: new Date(Date.now() - 1000).toISOString(),
    });
    const refused = await chat(String(created.body.key));
    expect(refused.status).toBe(401);
    expect(errorCode(refused.body)).toBe('invalid_api_key');
  });

  it('gives admin and viewer keys the admin API, the dashboard login, and not /v1', async () => {
    const viewer = String(
      (await call('POST', '/admin/keys', { name: 'dash', role: 'viewer' })).body.key,
    );
    const admin = String(
      (await call('POST', '/admin/keys', { name: 'ops', role: 'admin' })).body.key,
    );
    const client = String((await call('POST', '/admin/keys', { name: 'app' })).body.key);

    expect((await call('GET', '/admin/keys', undefined, viewer)).status).toBe(200);
    const viewerCreate = await call('POST', '/admin/keys', { name: 'x' }, viewer);
    expect(viewerCreate.status).toBe(403);
    expect(errorCode(viewerCreate.body)).toBe('permission_denied');
    const adminCreate = await call(
      'POST',
      '/admin/keys',
      { name: 'made by admin', role: 'admin' },
      admin,
    );
    expect(adminCreate.status).toBe(201);
    const clientAdmin = await call('GET', '/admin/keys', undefined, client);
    expect(clientAdmin.status).toBe(403);
    expect(errorCode(clientAdmin.body)).toBe('permission_denied');

    const login = await call('POST', '/admin/session', { key: viewer }, 'none');
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ role: 'viewer', name: 'dash' });
    expect((await call('POST', '/admin/session', { key: client }, 'none')).status).toBe(403);

    // A session never outlives its key, and ends when the key is revoked.
    const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const shortViewer = await call('POST', '/admin/keys', {
      name: 'brief',
      role: 'viewer',
      expires_at: expiresAt,
    });
    const session = await request(`${gateway.url}/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: shortViewer.body.key }),
    });
    const sessionBody = (await session.body.json()) as Json;
    expect(Date.parse(String(sessionBody.expires_at))).toBeLessThanOrEqual(Date.parse(expiresAt));
    const cookie = String(session.headers['set-cookie']).split(';')[0] ?? '';
    const asSession = async () => {
      const response = await request(`${gateway.url}/admin/keys`, { headers: { cookie } });
      return { status: response.statusCode, body: (await response.body.json()) as Json };
    };
    expect((await asSession()).status).toBe(200);
    await call('DELETE', `/admin/keys/${String(shortViewer.body.id)}`);
    const ended = await asSession();
    expect(ended.status).toBe(401);
    expect(errorCode(ended.body)).toBe('session_expired');

    for (const key of [viewer, admin]) {
      const refused = await chat(key);
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('permission_denied');
    }

    // The audit log records who did what, never a secret.
    const audit = await call('GET', '/admin/audit?target=key');
    const text = JSON.stringify(audit.body);
    for (const key of [viewer, admin, client, String(adminCreate.body.key)])
      expect(text).not.toContain(key);
    expect(audit.body.data).toContainEqual(
      expect.objectContaining({
        action: 'keys.create',
        target_id: adminCreate.body.id,
        actor: expect.objectContaining({ role: 'admin', name: 'ops' }) as unknown,
      }),
    );
  });
});
