/**
 * While the database is unreachable, `/admin/requests` (and the generation look-up) answer 503
 * `database_unavailable` — not a 500 — and chat requests keep being served (their rows wait in
 * the journal). PGlite: the database closed under the app. PostgreSQL (with
 * SIGNALBOX_TEST_DATABASE_URL): the connection cut by a TCP proxy the test stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { sql } from '../../src/storage/drizzle.ts';

const KEY = 'sb-database-down-master-key-01';

async function get(url: string, route: string) {
  const response = await request(`${url}${route}`, { headers: { authorization: `Bearer ${KEY}` } });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

async function chat(url: string): Promise<number> {
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.body.dump();
  return response.statusCode;
}

async function expectUnavailable(url: string): Promise<void> {
  for (const route of ['/admin/requests', '/api/v1/generation?id=gen-x']) {
    const result = await get(url, route);
    expect(result.status).toBe(503);
    expect(result.body).toEqual({
      error: {
        message: expect.any(String) as unknown,
        type: 'server_error',
        param: null,
        code: 'database_unavailable',
      },
    });
  }
  expect((await request(`${url}/health/ready`)).statusCode).toBe(503);
}

async function withApp(
  env: Record<string, string>,
  run: (app: SignalboxApp, url: string) => Promise<void>,
) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-db-down-'));
  const app = await createApp(
    loadConfig({ PORT: '0', SIGNALBOX_DATA_DIR: dataDir, SIGNALBOX_MASTER_KEY: KEY, ...env }),
    { logger: pino({ level: 'silent' }) },
  );
  try {
    await run(app, await app.listen());
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('database down', () => {
  it('PGlite closed: 503 database_unavailable, chat still served', async () => {
    await withApp({}, async (app, url) => {
      expect((await get(url, '/admin/requests')).status).toBe(200);
      await app.database.close();
      await expectUnavailable(url);
      expect(await chat(url)).toBe(200);
    });
  });

  const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL;
  it.skipIf(postgresUrl === undefined)(
    'PostgreSQL unreachable: 503 database_unavailable, chat still served',
    async () => {
      const target = new URL(postgresUrl ?? '');
      const sockets = new Set<Socket>();
      const proxy: Server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const address = proxy.address();
      if (address === null || typeof address === 'string') throw new Error('no proxy port');
      const proxied = new URL(target);
      proxied.host = `127.0.0.1:${String(address.port)}`;
      await withApp({ SIGNALBOX_DATABASE_URL: proxied.toString() }, async (app, url) => {
        expect((await get(url, '/admin/requests')).status).toBe(200);
        // A transaction in progress holds a client checked out of the pool when its connection
        // is cut: its query fails, and the process must not (pg emits 'error' on that client).
        const inTransaction = app.database.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(30)`);
        });
        const failed = expect(inTransaction).rejects.toThrow();
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Destroy the open connections first: close() waits for them to end on their own.
        const closed = new Promise((resolve) => proxy.close(resolve));
        for (const socket of sockets) socket.destroy();
        await closed;
        await failed;
        await expectUnavailable(url);
        expect(await chat(url)).toBe(200);
      });
    },
  );
});
