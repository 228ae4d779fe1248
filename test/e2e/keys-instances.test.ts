/**
 * Revocation and rotation across instances: two gateways on one PostgreSQL database, each with
 * only its own in-process change bus (the worst case: no message reaches the other instance).
 * A key revoked or rotated on one is refused on the other once the resolver's cache bound
 * (1 s) has passed — the guarantee that does not depend on the bus.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { MAX_KEY_CACHE_MS } from '../../src/security/virtual-key-resolver.ts';
import { testBackends, type TestBackend } from '../../src/storage/test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
if (postgresUrl === null)
  console.warn(
    'test/e2e/keys-instances.test.ts: SIGNALBOX_TEST_DATABASE_URL is not set, so revocation ' +
      'across two instances was NOT run.',
  );

describe.runIf(postgresUrl !== null)('keys across two instances', () => {
  const masterKey = `sb-test-${randomBytes(16).toString('hex')}`;
  let backend: TestBackend;
  const instances: { app: SignalboxApp; url: string; dataDir: string }[] = [];

  beforeAll(async () => {
    backend = testBackends(postgresUrl).find((entry) => entry.kind === 'postgres') as TestBackend;
    const { databaseUrl } = await backend.setUp();
    for (let index = 0; index < 2; index += 1) {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-keys-'));
      const config = loadConfig({
        PORT: '0',
        SIGNALBOX_DATA_DIR: dataDir,
        SIGNALBOX_DATABASE_URL: databaseUrl ?? '',
        SIGNALBOX_MASTER_KEY: masterKey,
      });
      const app = await createApp(config, { logger: pino({ level: 'silent' }) });
      instances.push({ app, url: await app.listen(), dataDir });
    }
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) {
      await instance.app.close();
      await rm(instance.dataDir, { recursive: true, force: true });
    }
    await backend.tearDown();
  });

  async function call(index: number, method: string, url: string, key: string, body?: unknown) {
    const response = await request(`${instances[index]?.url ?? ''}${url}`, {
      method: method as 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      body: (await response.body.json()) as Record<string, unknown>,
    };
  }

  const chat = (index: number, key: string) =>
    call(index, 'POST', '/v1/chat/completions', key, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });

  it('refuses a key revoked on the other instance after the cache bound', async () => {
    const created = await call(0, 'POST', '/admin/keys', masterKey, { name: 'shared' });
    const key = String(created.body.key);
    // Instance 1 resolves (and caches) the key.
    expect((await chat(1, key)).status).toBe(200);
    expect(
      (await call(0, 'DELETE', `/admin/keys/${String(created.body.id)}`, masterKey)).status,
    ).toBe(200);
    expect((await chat(0, key)).status).toBe(401);
    await sleep(MAX_KEY_CACHE_MS + 50);
    expect((await chat(1, key)).status).toBe(401);
  });

  it('refuses the old secret of a key rotated on the other instance after the cache bound', async () => {
    const created = await call(0, 'POST', '/admin/keys', masterKey, { name: 'rotated' });
    const old = String(created.body.key);
    expect((await chat(1, old)).status).toBe(200);
    const rotated = await call(
      0,
      'POST',
      `/admin/keys/${String(created.body.id)}/rotate`,
      masterKey,
      {},
    );
    await sleep(MAX_KEY_CACHE_MS + 50);
    expect((await chat(1, old)).status).toBe(401);
    expect((await chat(1, String(rotated.body.key))).status).toBe(200);
  });
});
