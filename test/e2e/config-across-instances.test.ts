/**
 * Run-time configuration reaches every instance without a restart (issue 12): two gateways on
 * one PostgreSQL — the change bus over PostgreSQL LISTEN/NOTIFY, then over Redis pub/sub — see
 * a provider added, disabled and deleted on the other, a routing policy created on the other,
 * and a change written behind the bus's back (a lost notice) through the reconcile timer.
 * Also: a live-mode gateway without SIGNALBOX_ENCRYPTION_KEY refuses to store a key, and an
 * environment key rotation (new key + SIGNALBOX_ENCRYPTION_KEY_PREVIOUS) re-wraps every data key
 * at start. Needs SIGNALBOX_TEST_DATABASE_URL (and SIGNALBOX_TEST_REDIS_URL for the Redis run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';

const adminUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (adminUrl === null)
  console.warn(
    'config-across-instances.test.ts: SIGNALBOX_TEST_DATABASE_URL is not set, so these tests did NOT run.',
  );

const MASTER = 'test-master-key-0123456789';
const MODEL = 'openai/gpt-4o-mini';
const UPSTREAM_KEY = `sk-upstream-${randomBytes(8).toString('hex')}`;
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');

interface Gateway {
  app: SignalboxApp;
  url: string;
  dataDir: string;
}

let emulator: Emulator;
let origin: string;
const databases: string[] = [];

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl ?? '' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `signalbox_instances_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`create database "${name}"`);
  databases.push(name);
  const url = new URL(adminUrl ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

async function start(env: Record<string, string>): Promise<Gateway> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-instances-'));
  const config = loadConfig({
    PORT: '0',
    SIGNALBOX_DATA_DIR: dataDir,
    SIGNALBOX_MASTER_KEY: MASTER,
    SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
    ...env,
  });
  const app = await createApp(config, {
    logger: pino({ level: 'silent' }),
    dashboardDirectory: null,
  });
  return { app, url: await app.listen(), dataDir };
}

async function stop(gateway: Gateway): Promise<void> {
  await gateway.app.close();
  await rm(gateway.dataDir, { recursive: true, force: true });
}

async function call(gateway: Gateway, method: string, route: string, body?: unknown) {
  const response = await request(`${gateway.url}${route}`, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${MASTER}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.statusCode,
    provider: response.headers['x-signalbox-provider'],
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

const chat = (gateway: Gateway, model = MODEL) =>
  call(gateway, 'POST', '/v1/chat/completions', {
    model,
    messages: [{ role: 'user', content: 'Hello.' }],
  });

/** Calls `probe` until it returns true; resolves with the milliseconds it took. */
async function eventually(probe: () => Promise<boolean>): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    if (await probe()) return Math.round(performance.now() - startedAt);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
  origin = await emulator.listen({ port: 0 });
});

afterAll(async () => {
  await emulator.close();
  for (const name of databases) await admin(`drop database if exists "${name}" with (force)`);
});

const buses = [
  { bus: 'postgres', env: {} as Record<string, string> },
  ...(redisUrl === null ? [] : [{ bus: 'redis', env: { SIGNALBOX_REDIS_URL: redisUrl } }]),
];

describe.runIf(adminUrl !== null).each(buses)(
  'two instances, change bus over $bus',
  ({ bus, env }) => {
    let first: Gateway;
    let second: Gateway;

    beforeAll(async () => {
      const databaseUrl = await freshDatabase();
      const shared = {
        SIGNALBOX_DATABASE_URL: databaseUrl,
        SIGNALBOX_ENCRYPTION_KEY: KEY_A,
        SIGNALBOX_RECONCILE_INTERVAL_MS: '500',
        ...env,
      };
      first = await start(shared);
      second = await start(shared);
    });

    afterAll(async () => {
      await stop(first);
      await stop(second);
    });

    it('a provider added, disabled and deleted on one instance is used so by the other', async () => {
      const created = await call(first, 'POST', '/admin/providers', {
        id: 'team-or',
        type: 'openrouter',
        base_url: `${origin}/api/v1`,
        api_key: UPSTREAM_KEY,
        models: { [MODEL]: MODEL },
      });
      expect(created.status).toBe(201);
      const added = await eventually(async () => (await chat(second)).provider === 'team-or');
      await call(first, 'PATCH', '/admin/providers/team-or', { enabled: false });
      const disabled = await eventually(async () => (await chat(second)).provider === 'openrouter');
      await call(first, 'PATCH', '/admin/providers/team-or', { enabled: true });
      await eventually(async () => (await chat(second)).provider === 'team-or');
      await call(first, 'DELETE', '/admin/providers/team-or');
      const deleted = await eventually(async () => (await chat(second)).provider === 'openrouter');
      console.info(
        `change bus over ${bus}: provider added ${added} ms, disabled ${disabled} ms, deleted ${deleted} ms`,
      );
    });

    it('a routing policy created on one instance serves on the other', async () => {
      const created = await call(first, 'POST', '/admin/routing/policies', {
        name: `cheap-${bus}`,
        candidates: [{ model: MODEL }],
        strategy: 'cheapest',
      });
      expect(created.status).toBe(201);
      const took = await eventually(
        async () => (await chat(second, `signalbox/cheap-${bus}`)).status === 200,
      );
      console.info(`change bus over ${bus}: policy created ${took} ms`);
    });

    it('a change whose notice was lost arrives through the reconcile timer', async () => {
      await call(first, 'POST', '/admin/providers', {
        id: 'quiet',
        type: 'openrouter',
        base_url: `${origin}/api/v1`,
        api_key: UPSTREAM_KEY,
        models: { [MODEL]: MODEL },
      });
      await eventually(async () => (await chat(second)).provider === 'quiet');
      // Written behind the API's back: no notice is sent.
      const client = new pg.Client({ connectionString: first.app.config.databaseUrl ?? '' });
      await client.connect();
      try {
        await client.query(
          "update providers set enabled = false, version = version + 1 where id = 'quiet'",
        );
      } finally {
        await client.end();
      }
      await eventually(async () => (await chat(second)).provider === 'openrouter');
      await eventually(async () => (await chat(first)).provider === 'openrouter');
    });
  },
);

describe.runIf(adminUrl !== null)('the vault in live mode', () => {
  const live = () => ({
    OPENROUTER_API_KEY: 'sk-or-v1-live-mode-test-00000000',
    OPENROUTER_BASE_URL: `${origin}/api/v1`,
  });
  const provider = () => ({
    id: 'team-or',
    type: 'openrouter',
    base_url: `${origin}/api/v1`,
    api_key: UPSTREAM_KEY,
    models: { [MODEL]: MODEL },
  });

  it('refuses to store a key without SIGNALBOX_ENCRYPTION_KEY', async () => {
    const gateway = await start({ ...live(), SIGNALBOX_DATABASE_URL: await freshDatabase() });
    try {
      const refused = await call(gateway, 'POST', '/admin/providers', provider());
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'encryption_key_missing' });
      expect(JSON.stringify(refused.body)).not.toContain(UPSTREAM_KEY);
      expect((await call(gateway, 'GET', '/admin/providers')).body.data).toHaveLength(1);
    } finally {
      await stop(gateway);
    }
  });

  it('re-wraps every data key at start when the key rotates through the environment', async () => {
    const databaseUrl = await freshDatabase();
    const before = await start({
      ...live(),
      SIGNALBOX_DATABASE_URL: databaseUrl,
      SIGNALBOX_ENCRYPTION_KEY: KEY_A,
    });
    expect((await call(before, 'POST', '/admin/providers', provider())).status).toBe(201);
    const oldKeyId = (await call(before, 'GET', '/admin/vault')).body.key_id;
    await stop(before);
    const rotating = await start({
      ...live(),
      SIGNALBOX_DATABASE_URL: databaseUrl,
      SIGNALBOX_ENCRYPTION_KEY: KEY_B,
      SIGNALBOX_ENCRYPTION_KEY_PREVIOUS: KEY_A,
    });
    const status = (await call(rotating, 'GET', '/admin/vault')).body;
    expect(status).toMatchObject({
      key_origin: 'environment',
      secrets: 1,
      secrets_on_previous_key: 0,
    });
    expect(status.key_id).not.toBe(oldKeyId);
    expect((await chat(rotating)).provider).toBe('team-or');
    await stop(rotating);
    // The old key is no longer needed.
    const after = await start({
      ...live(),
      SIGNALBOX_DATABASE_URL: databaseUrl,
      SIGNALBOX_ENCRYPTION_KEY: KEY_B,
    });
    try {
      expect((await chat(after)).provider).toBe('team-or');
    } finally {
      await stop(after);
    }
  });
});
