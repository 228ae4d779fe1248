/**
 * The audit log through the admin API: every mutation route is either audited or declared
 * read-only (walked from the published OpenAPI document, no hand-written list); a mutation
 * leaves one row with its actor, target, after-state, client IP and request id; a login is
 * recorded without the key it used.
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

async function admin(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await request(`${gateway.url}/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${gateway.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.statusCode,
    requestId: response.headers['x-request-id'],
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

interface AuditRow {
  action: string;
  actor: { key_id: string; role: string };
  target_type: string;
  target_id: string | null;
  after: unknown;
  client_ip: string | null;
  request_id: string | null;
}

describe('the audit log', () => {
  it('covers every admin route that is not a read', async () => {
    const document = (await admin('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const unaccounted: string[] = [];
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations))
        if (
          method !== 'get' &&
          operation['x-audit-action'] === undefined &&
          operation['x-read-only'] !== true
        )
          unaccounted.push(`${method.toUpperCase()} ${path}`);
    expect(unaccounted).toEqual([]);
  });

  it('records a mutation with its actor, target, result and request id', async () => {
    const disabled = await admin('POST', '/catalog/models/disable', { ids: ['openai/gpt-4o'] });
    expect(disabled.status).toBe(200);
    await admin('POST', '/catalog/models/enable', { ids: ['openai/gpt-4o'] });
    const page = await admin('GET', '/audit?target=model&limit=10');
    const rows = page.body.data as AuditRow[];
    expect(rows.map((row) => row.action)).toEqual([
      'catalog.models.enable',
      'catalog.models.disable',
    ]);
    expect(rows[1]).toMatchObject({
      actor: { key_id: 'master', role: 'owner' },
      target_type: 'model',
      after: { ids: ['openai/gpt-4o'], updated: 1 },
      client_ip: '127.0.0.1',
      request_id: disabled.requestId,
    });
  });

  it('records a login without the key it used, and reads make no rows', async () => {
    const before = ((await admin('GET', '/audit?limit=200')).body.data as AuditRow[]).length;
    await admin('POST', '/catalog/compare', { ids: ['openai/gpt-4o', 'openai/gpt-4o-mini'] });
    const login = await request(`${gateway.url}/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: gateway.key }),
    });
    expect(login.statusCode).toBe(200);
    await login.body.dump();
    const rows = (await admin('GET', '/audit?limit=200')).body.data as AuditRow[];
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({ action: 'session.create', target_id: 'master' });
    expect(JSON.stringify(rows)).not.toContain(gateway.key);
  });
});
