/**
 * The admin API's authorization matrix, generated: every operation of the published OpenAPI
 * document × {no key, client key, viewer key, admin key, the master key (owner)}, each
 * expectation derived from the operation's declared `x-minimum-role` — no hand-written allow
 * list. No key → 401; a client key → 403; a role below the minimum → 403; the minimum or above
 * → neither 401 nor 403 (the route then answers its own 2xx/4xx: path ids are made up, bodies
 * empty, so most permitted calls end 400 or 404). Public operations refuse nobody.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;
const keys: Record<'client' | 'viewer' | 'admin' | 'owner', string> = {
  client: '',
  viewer: '',
  admin: '',
  owner: '',
};

async function createKey(role: 'client' | 'viewer' | 'admin'): Promise<string> {
  const response = await request(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `matrix ${role}`, role }),
  });
  const body = (await response.body.json()) as { key: string };
  expect(response.statusCode).toBe(201);
  return body.key;
}

beforeAll(async () => {
  gateway = await startGateway();
  keys.owner = gateway.key;
  keys.client = await createKey('client');
  keys.viewer = await createKey('viewer');
  keys.admin = await createKey('admin');
});

afterAll(async () => {
  await gateway.close();
});

type Caller = 'none' | keyof typeof keys;
const callers: readonly Caller[] = ['none', 'client', 'viewer', 'admin', 'owner'];
const rank: Record<string, number> = { client: 0, viewer: 1, admin: 2, owner: 3 };

/** The status class a caller must get from an operation needing `minimum`. */
function expected(caller: Caller, minimum: string): 401 | 403 | 'allowed' {
  if (minimum === 'public') return 'allowed';
  if (caller === 'none') return 401;
  if (caller === 'client') return 403;
  return (rank[caller] ?? -1) >= (rank[minimum] ?? 99) ? 'allowed' : 403;
}

describe('the admin authorization matrix', () => {
  it('matches every operation’s x-minimum-role for every kind of caller', async () => {
    const document = (await (await request(`${gateway.url}/admin/openapi.json`)).body.json()) as {
      paths: Record<string, Record<string, { 'x-minimum-role'?: string }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        // Made-up ids: a permitted call then ends 404 (or 400), never touching real objects.
        url: path.replace(/\{[^}]+\}/g, 'matrix-missing'),
        minimum: operation['x-minimum-role'],
      })),
    );
    expect(operations.length).toBeGreaterThan(20);
    const mismatches: string[] = [];
    for (const operation of operations) {
      expect(operation.minimum, `${operation.method} ${operation.url}`).toBeDefined();
      const minimum = operation.minimum ?? 'owner';
      for (const caller of callers) {
        const response = await request(`${gateway.url}${operation.url}`, {
          method: operation.method as 'GET',
          headers: {
            ...(caller === 'none' ? {} : { authorization: `Bearer ${keys[caller]}` }),
            ...(operation.method === 'GET' ? {} : { 'content-type': 'application/json' }),
          },
          ...(operation.method === 'GET' ? {} : { body: '{}' }),
        });
        await response.body.dump();
        const want = expected(caller, minimum);
        const got = response.statusCode;
        const ok = want === 'allowed' ? got !== 401 && got !== 403 : got === want;
        if (!ok)
          mismatches.push(
            `${operation.method} ${operation.url} (${minimum}) as ${caller}: ${got}, expected ${want}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
