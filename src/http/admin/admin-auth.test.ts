// The admin auth hook and the session routes on a real PGlite, with a fake clock and a test
// resolver that knows an admin, a viewer and a client key besides the master key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../contracts/principal.ts';
import { hashKey } from '../../security/master-key.ts';
import { hashSessionId } from '../../security/session-token.ts';
import {
  chainPrincipalResolvers,
  createMasterKeyResolver,
  type PrincipalResolver,
} from '../../security/principal-resolver.ts';
import {
  createAdminSessionRepository,
  createDatabase,
  type Database,
} from '../../storage/index.ts';
import { toHttpError } from '../errors.ts';
import { adminSessionRoutes } from '../routes/admin-session.ts';
import { createAdminAuthHook } from './admin-auth.ts';
import { defineAdminRoute } from './admin-route.ts';
import { registerAdminRoutes } from './register-admin-routes.ts';
import { createSessionService } from './session-service.ts';

const MASTER = 'sb-master-key-for-tests-0000000000';
const keys: Record<string, Principal> = {
  'sbk-admin': { keyId: 'k_admin', role: 'admin', projectId: 'p1', name: 'ops admin' },
  'sbk-viewer': { keyId: 'k_viewer', role: 'viewer', projectId: 'p1', name: 'auditor' },
  'sbk-client': { keyId: 'k_client', role: 'client', projectId: 'p1', name: 'app' },
};
const testKeys: PrincipalResolver = { resolve: (token) => Promise.resolve(keys[token] ?? null) };

describe('admin authentication and sessions', () => {
  let database: Database;
  let app: FastifyInstance;
  let clock = Date.parse('2026-05-01T10:00:00Z');
  const idleMs = 30 * 60_000;
  const maxMs = 8 * 3_600_000;

  beforeAll(async () => {
    database = await createDatabase({ databaseUrl: null, dataDir: null });
    const resolver = chainPrincipalResolvers([createMasterKeyResolver(hashKey(MASTER)), testKeys]);
    const sessions = createSessionService({
      repository: createAdminSessionRepository(database),
      idleMs,
      maxMs,
      now: () => clock,
    });
    app = Fastify();
    app.setErrorHandler((error, _request, reply) => {
      const failure = toHttpError(error);
      return reply.code(failure.status).send(failure.toBody());
    });
    void app.register(
      (scope, _options, done) => {
        void scope.register(cookie);
        scope.decorateRequest('adminSession', null);
        scope.addHook('onRequest', createAdminAuthHook({ resolver, sessions }));
        registerAdminRoutes(scope, [
          ...adminSessionRoutes({ resolver, sessions }),
          defineAdminRoute({
            method: 'GET',
            url: '/things',
            summary: 'read',
            tags: [],
            minimumRole: 'viewer',
            responses: { 200: z.object({ by: z.string() }) },
            handler: ({ principal }) => ({ by: principal?.name ?? '' }),
          }),
          defineAdminRoute({
            method: 'POST',
            url: '/things',
            summary: 'write',
            tags: [],
            minimumRole: 'admin',
            request: { body: z.object({ n: z.number() }) },
            responses: { 200: z.object({ n: z.number() }) },
            handler: ({ body }) => ({ n: body.n }),
          }),
          defineAdminRoute({
            method: 'POST',
            url: '/owner-only',
            summary: 'owner',
            tags: [],
            minimumRole: 'owner',
            responses: { 200: z.object({ ok: z.boolean() }) },
            handler: () => ({ ok: true }),
          }),
        ]);
        done();
      },
      { prefix: '/admin' },
    );
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  async function login(
    key: string,
  ): Promise<{ cookie: string; csrf: string; response: LightMyRequestResponse }> {
    const response = await app.inject({ method: 'POST', url: '/admin/session', payload: { key } });
    const setCookie = String(response.headers['set-cookie'] ?? '');
    return {
      cookie: setCookie.split(';')[0] ?? '',
      csrf: response.json<{ csrf_token: string }>().csrf_token,
      response,
    };
  }

  /** The token with its first character changed (a fixed suffix could equal the real one). */
  const wrongToken = (token: string): string =>
    `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`;

  const code = (response: LightMyRequestResponse): unknown =>
    response.json<{ error: { code: string } }>().error.code;

  it('logs in with a key: HttpOnly, SameSite=Strict, Path=/ cookie; who-am-I answers', async () => {
    const { cookie: sessionCookie, csrf, response } = await login(MASTER);
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^signalbox_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP here; HTTPS adds Secure
    expect(response.json()).toMatchObject({ key_id: 'master', role: 'owner', csrf_token: csrf });
    // Only the SHA-256 of the id is stored.
    const id = sessionCookie.split('=')[1] ?? '';
    const stored = await createAdminSessionRepository(database).find(hashSessionId(id));
    expect(stored).toMatchObject({ keyId: 'master', role: 'owner' });
    expect(JSON.stringify(stored)).not.toContain(id);
    const me = await app.inject({
      method: 'GET',
      url: '/admin/session',
      headers: { cookie: sessionCookie },
    });
    expect(me.json()).toMatchObject({
      role: 'owner',
      authenticated_by: 'session',
      csrf_token: csrf,
    });
  });

  it('sets Secure when the request came over HTTPS', async () => {
    const secureApp = Fastify({ trustProxy: true });
    void secureApp.register(cookie);
    secureApp.get('/', async (request, reply) => {
      const { setSessionCookie } = await import('./session-cookie.ts');
      setSessionCookie(request, reply, 'x', 1000);
      return 'ok';
    });
    const response = await secureApp.inject({
      url: '/',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
    await secureApp.close();
  });

  it('refuses wrong keys and client keys at login', async () => {
    const wrong = await login('sbk-nope');
    expect([wrong.response.statusCode, code(wrong.response)]).toEqual([401, 'invalid_api_key']);
    const client = await login('sbk-client');
    expect([client.response.statusCode, code(client.response)]).toEqual([403, 'permission_denied']);
  });

  it('needs the CSRF token for cookie mutations, not for bearer calls', async () => {
    const { cookie: sessionCookie, csrf } = await login('sbk-admin');
    const without = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { cookie: sessionCookie },
      payload: { n: 1 },
    });
    expect([without.statusCode, code(without)]).toEqual([403, 'invalid_csrf_token']);
    const wrong = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { cookie: sessionCookie, 'x-csrf-token': wrongToken(csrf) },
      payload: { n: 1 },
    });
    expect(code(wrong)).toBe('invalid_csrf_token');
    const right = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { cookie: sessionCookie, 'x-csrf-token': csrf },
      payload: { n: 1 },
    });
    expect(right.json()).toEqual({ n: 1 });
    const bearer = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { authorization: 'Bearer sbk-admin' },
      payload: { n: 2 },
    });
    expect(bearer.json()).toEqual({ n: 2 });
    // Reads need no token.
    const read = await app.inject({
      method: 'GET',
      url: '/admin/things',
      headers: { cookie: sessionCookie },
    });
    expect(read.json()).toEqual({ by: 'ops admin' });
  });

  it('lets a viewer read and refuses its mutations; admin is refused owner routes', async () => {
    const { cookie: sessionCookie, csrf } = await login('sbk-viewer');
    const read = await app.inject({
      method: 'GET',
      url: '/admin/things',
      headers: { cookie: sessionCookie },
    });
    expect(read.statusCode).toBe(200);
    const write = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { cookie: sessionCookie, 'x-csrf-token': csrf },
      payload: { n: 1 },
    });
    expect([write.statusCode, code(write)]).toEqual([403, 'permission_denied']);
    const viaBearer = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { authorization: 'Bearer sbk-viewer' },
      payload: { n: 1 },
    });
    expect(code(viaBearer)).toBe('permission_denied');
    const admin = await app.inject({
      method: 'POST',
      url: '/admin/owner-only',
      headers: { authorization: 'Bearer sbk-admin' },
    });
    expect(code(admin)).toBe('permission_denied');
    const owner = await app.inject({
      method: 'POST',
      url: '/admin/owner-only',
      headers: { authorization: `Bearer ${MASTER}` },
    });
    expect(owner.json()).toEqual({ ok: true });
  });

  it('refuses client keys on every admin route, and unauthenticated calls', async () => {
    const client = await app.inject({
      method: 'GET',
      url: '/admin/things',
      headers: { authorization: 'Bearer sbk-client' },
    });
    expect([client.statusCode, code(client)]).toEqual([403, 'permission_denied']);
    const none = await app.inject({ method: 'GET', url: '/admin/things' });
    expect([none.statusCode, code(none)]).toEqual([401, 'missing_api_key']);
  });

  it('ends a session after the idle timeout, and at the absolute expiry however used', async () => {
    const { cookie: sessionCookie } = await login('sbk-admin');
    const read = () =>
      app.inject({ method: 'GET', url: '/admin/things', headers: { cookie: sessionCookie } });
    clock += idleMs - 60_000;
    expect((await read()).statusCode).toBe(200); // used: the idle clock restarts
    clock += idleMs - 60_000;
    expect((await read()).statusCode).toBe(200);
    clock += idleMs + 1;
    const idle = await read();
    expect([idle.statusCode, code(idle)]).toEqual([401, 'session_expired']);

    const second = await login('sbk-admin');
    const readSecond = () =>
      app.inject({ method: 'GET', url: '/admin/things', headers: { cookie: second.cookie } });
    for (let used = 0; used < maxMs; used += idleMs / 2) {
      clock += idleMs / 2;
      if (used + idleMs / 2 < maxMs) expect((await readSecond()).statusCode).toBe(200);
    }
    expect(code(await readSecond())).toBe('session_expired');
  });

  it('logs out one session, and everywhere (own key; everyone for the owner only)', async () => {
    const first = await login('sbk-admin');
    const second = await login('sbk-admin');
    const viewer = await login('sbk-viewer');
    const logout = await app.inject({
      method: 'DELETE',
      url: '/admin/session',
      headers: { cookie: first.cookie, 'x-csrf-token': first.csrf },
    });
    expect(logout.json()).toEqual({ logged_out: true });
    expect(String(logout.headers['set-cookie'])).toMatch(/signalbox_session=;/);
    const after = await app.inject({
      method: 'GET',
      url: '/admin/session',
      headers: { cookie: first.cookie },
    });
    expect(code(after)).toBe('session_expired');

    const everyoneByAdmin = await app.inject({
      method: 'POST',
      url: '/admin/session/logout-all',
      headers: { cookie: second.cookie, 'x-csrf-token': second.csrf },
      payload: { scope: 'everyone' },
    });
    expect(code(everyoneByAdmin)).toBe('permission_denied');
    const own = await app.inject({
      method: 'POST',
      url: '/admin/session/logout-all',
      headers: { cookie: second.cookie, 'x-csrf-token': second.csrf },
    });
    expect(own.json<{ ended: number }>().ended).toBeGreaterThanOrEqual(1);
    expect(
      code(
        await app.inject({
          method: 'GET',
          url: '/admin/session',
          headers: { cookie: second.cookie },
        }),
      ),
    ).toBe('session_expired');
    // The viewer's session survived the admin's logout-all.
    const viewerMe = await app.inject({
      method: 'GET',
      url: '/admin/session',
      headers: { cookie: viewer.cookie },
    });
    expect(viewerMe.statusCode).toBe(200);
    const everyone = await app.inject({
      method: 'POST',
      url: '/admin/session/logout-all',
      headers: { authorization: `Bearer ${MASTER}` },
      payload: { scope: 'everyone' },
    });
    expect(everyone.json<{ ended: number }>().ended).toBeGreaterThanOrEqual(1);
    expect(
      code(
        await app.inject({
          method: 'GET',
          url: '/admin/session',
          headers: { cookie: viewer.cookie },
        }),
      ),
    ).toBe('session_expired');
  });

  it('names the invalid field of a bad body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/things',
      headers: { authorization: 'Bearer sbk-admin' },
      payload: { n: 'one' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request', param: 'n' } });
  });
});
