/**
 * Providers configured through the admin API: created, tested, used by chat at once, disabled,
 * re-keyed and deleted without a restart; configured providers are read-only; the vault key
 * rotates under traffic without a failed request; and a canary API key never appears in
 * plaintext — not in the database (every table, as text), the log, error bodies, the audit log
 * or any file under the data directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import { captureLog, type CapturedLog } from '../helpers/log-capture.ts';
import { addEmulatorFault } from '../helpers/start-gateway.ts';

const CANARY = `sk-canary-${randomBytes(12).toString('hex')}`;
const WRONG_KEY = `sk-wrong-${randomBytes(12).toString('hex')}`;
const MODEL = 'openai/gpt-4o-mini';

let emulator: Emulator;
let origin: string;
let dataDir: string;
let log: CapturedLog;
let app: SignalboxApp;
let url: string;
let key: string;
/** Every response body this suite received, for the canary check. */
const bodies: string[] = [];

async function start(): Promise<void> {
  const config = loadConfig({
    PORT: '0',
    SIGNALBOX_DATA_DIR: dataDir,
    SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    SIGNALBOX_MAX_RETRY_DELAY_MS: '0',
    // The wrong key below opens the provider's circuit; the right key is then probed soon.
    SIGNALBOX_CIRCUIT_COOLDOWN_MS: '100',
    SIGNALBOX_MASTER_KEY: 'test-master-key-0123456789',
  });
  app = await createApp(config, { logger: log.logger, dashboardDirectory: null });
  url = await app.listen();
  key = 'test-master-key-0123456789';
}

beforeAll(async () => {
  emulator = createEmulator({ apiKeys: [CANARY] });
  origin = await emulator.listen({ port: 0 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-providers-'));
  log = captureLog();
  await start();
});

afterAll(async () => {
  await app.close();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function admin(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  route: string,
  body?: unknown,
) {
  const response = await request(`${url}/admin${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  bodies.push(text);
  return { status: response.statusCode, body: JSON.parse(text) as Record<string, unknown> };
}

async function chat(
  model = MODEL,
  details = false,
): Promise<{ status: number; provider: unknown; fallbackReply?: unknown; text?: string }> {
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello.' }] }),
  });
  const text = await response.body.text();
  bodies.push(text);
  const result = {
    status: response.statusCode,
    provider: response.headers['x-signalbox-provider'],
  };
  if (!details) return result;
  return { ...result, fallbackReply: response.headers['x-signalbox-fallback-reply'], text };
}

const teamProvider = () => ({
  id: 'team-or',
  type: 'openrouter',
  base_url: `${origin}/api/v1`,
  api_key: CANARY,
  models: { [MODEL]: MODEL },
  headers: { 'x-team-token': `${CANARY}-header` },
});

describe('providers through the admin API', () => {
  it('refuses to change a configured provider, and refuses a forbidden base URL', async () => {
    const builtIn = await admin('POST', '/providers', { ...teamProvider(), id: 'openrouter' });
    expect([builtIn.status, (builtIn.body.error as { code: string }).code]).toEqual([
      409,
      'provider_read_only',
    ]);
    const patch = await admin('PATCH', '/providers/openrouter', { enabled: false });
    expect(patch.status).toBe(409);
    const metadata = await admin('POST', '/providers', {
      ...teamProvider(),
      base_url: 'http://169.254.169.254/latest',
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.error).toMatchObject({ code: 'invalid_request', param: 'base_url' });
    const missing = await admin('GET', '/providers/nobody');
    expect((missing.body.error as { code: string }).code).toBe('provider_not_found');
  });

  it("creates a provider that serves chat at once, shows only the key's last 4", async () => {
    const created = await admin('POST', '/providers', teamProvider());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'team-or',
      api_key_last4: CANARY.slice(-4),
      source: 'api',
      read_only: false,
      status: 'active',
      version: 1,
    });
    expect(JSON.stringify(created.body)).not.toContain(CANARY);
    expect((await admin('POST', '/providers', teamProvider())).status).toBe(409);
    const list = (await admin('GET', '/providers')).body.data as {
      id: string;
      read_only: boolean;
    }[];
    expect(list.map((entry) => [entry.id, entry.read_only])).toEqual([
      ['openrouter', true],
      ['team-or', false],
    ]);
    expect(await chat()).toEqual({ status: 200, provider: 'team-or' });
  });

  it('tests connectivity, authentication, model count and latency', async () => {
    const tested = await admin('POST', '/providers/team-or/test');
    expect(tested.body).toMatchObject({ ok: true, reachable: true, authenticated: true });
    expect(tested.body.model_count).toBeGreaterThan(100);
    expect(typeof tested.body.latency_ms).toBe('number');
  });

  it('takes a disable, a wrong key and a new key without a restart', async () => {
    await admin('PATCH', '/providers/team-or', { enabled: false });
    expect(await chat()).toEqual({ status: 200, provider: 'openrouter' });
    const wrong = await admin('PATCH', '/providers/team-or', { enabled: true, api_key: WRONG_KEY });
    expect(wrong.body).toMatchObject({ version: 3, api_key_last4: WRONG_KEY.slice(-4) });
    const failed = await admin('POST', '/providers/team-or/test');
    expect(failed.body).toMatchObject({ ok: false, reachable: true, authenticated: false });
    // The provider refuses the key: the request falls back to OpenRouter.
    expect(await chat()).toEqual({ status: 200, provider: 'openrouter' });
    await admin('PATCH', '/providers/team-or', { api_key: CANARY });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the circuit's cooldown (100 ms)
    expect(await chat()).toEqual({ status: 200, provider: 'team-or' });
  });

  it('rotates the vault key under traffic without a failed request', async () => {
    const before = (await admin('GET', '/vault')).body;
    expect(before).toMatchObject({ available: true, key_origin: 'data-directory', secrets: 1 });
    let stop = false;
    const results: { status: number; provider: unknown }[] = [];
    const traffic = Array.from({ length: 4 }, async () => {
      while (!stop) results.push(await chat());
    });
    const rotations: Record<string, unknown>[] = [];
    for (let index = 0; index < 3; index += 1)
      rotations.push((await admin('POST', '/vault/rotate')).body);
    // Re-reading the providers (what another instance's notice causes) during traffic, too.
    await admin('PATCH', '/providers/team-or', { models: { [MODEL]: MODEL } });
    stop = true;
    await Promise.all(traffic);
    expect(rotations.map((rotation) => [rotation.generated, rotation.rewrapped])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    expect(new Set(rotations.map((rotation) => rotation.key_id)).size).toBe(3);
    expect(results.length).toBeGreaterThan(0);
    expect(
      results.filter((result) => result.status !== 200 || result.provider !== 'team-or'),
    ).toEqual([]);
    const after = (await admin('GET', '/vault')).body;
    expect(after).toMatchObject({ key_id: rotations[2]?.key_id, secrets_on_previous_key: 0 });
  });

  it('keeps the rotated key across a restart', async () => {
    await app.close();
    await start();
    expect(await chat()).toEqual({ status: 200, provider: 'team-or' });
  });

  it('audits every mutation with the secret masked', async () => {
    const page = await admin('GET', '/audit?target=provider&limit=50');
    const rows = page.body.data as { action: string; after: Record<string, unknown> | null }[];
    expect(rows.map((row) => row.action)).toEqual([
      'providers.update',
      'providers.update',
      'providers.update',
      'providers.update',
      'providers.create',
    ]);
    expect(rows.at(-1)?.after).toMatchObject({ api_key_last4: CANARY.slice(-4) });
    const rotations = await admin('GET', '/audit?action=vault.rotate');
    expect((rotations.body.data as unknown[]).length).toBe(3);
  });

  it('deletes a provider; chat goes back to OpenRouter', async () => {
    expect((await admin('DELETE', '/providers/team-or')).status).toBe(200);
    expect((await admin('GET', '/providers/team-or')).status).toBe(404);
    expect(await chat()).toEqual({ status: 200, provider: 'openrouter' });
  });

  it('applies run-time settings at once: the fallback reply and routing policies on/off', async () => {
    const defaults = await admin('GET', '/settings');
    expect(defaults.body).toMatchObject({
      routing_policies_enabled: true,
      fallback_reply: null,
      queueing_enabled: true,
      stored: {},
    });
    const put = await admin('PUT', '/settings', {
      fallback_reply: 'Busy; try again soon.',
      routing_policies_enabled: false,
    });
    expect(put.body).toMatchObject({
      fallback_reply: 'Busy; try again soon.',
      queueing_enabled: true,
    });
    const emulatorOrigin = app.emulatorOrigin ?? '';
    await addEmulatorFault(emulatorOrigin, { match: { model: MODEL }, status: 502, times: 3 });
    const failed = await chat(MODEL, true);
    expect([failed.status, failed.fallbackReply]).toEqual([200, 'true']);
    expect(failed.text).toContain('Busy; try again soon.');
    // Another model than the failed one: its circuit is closed.
    await admin('POST', '/routing/policies', {
      name: 'mini',
      candidates: [{ model: 'openai/gpt-4o' }],
    });
    expect((await chat('signalbox/mini')).status).toBe(404);
    const bad = await admin('PUT', '/settings', { fallback_reply: '' });
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', param: 'fallback_reply' });
    await admin('PUT', '/settings', {});
    expect((await chat('signalbox/mini')).status).toBe(200);
    const audit = await admin('GET', '/audit?action=settings.update');
    expect((audit.body.data as { after: unknown }[]).map((row) => row.after)).toEqual([
      { routing_policies_enabled: true, fallback_reply: null, queueing_enabled: true },
      {
        routing_policies_enabled: false,
        fallback_reply: 'Busy; try again soon.',
        queueing_enabled: true,
      },
    ]);
  });

  it('never shows the canary in plaintext anywhere', async () => {
    const tables = await app.database.execute(
      "select table_schema, table_name from information_schema.tables where table_schema in ('public', 'drizzle')",
      [],
    );
    expect(tables.length).toBeGreaterThan(5);
    let dump = '';
    for (const table of tables) {
      const rows = await app.database.execute(
        `select row_to_json(t)::text as row from "${String(table.table_schema)}"."${String(table.table_name)}" t`,
        [],
      );
      dump += rows.map((row) => String(row.row)).join('\n');
    }
    expect(dump).toContain('team-or');
    expect(dump).not.toContain(CANARY);
    expect(log.text()).not.toContain(CANARY);
    expect(bodies.join('\n')).not.toContain(CANARY);
    await app.close();
    const files = await readdir(dataDir, { recursive: true, withFileTypes: true });
    let scanned = 0;
    for (const file of files.filter((entry) => entry.isFile())) {
      const bytes = await readFile(path.join(file.parentPath, file.name));
      expect(bytes.includes(CANARY), path.join(file.parentPath, file.name)).toBe(false);
      scanned += 1;
    }
    expect(scanned).toBeGreaterThan(10);
    await start();
  });
});
