/**
 * SIGTERM with a slow request in flight and an idle keep-alive connection: readiness answers
 * 503 at once, the idle connection is closed at once, the in-flight request finishes, its
 * ledger row is stored, and the process exits 0 — seconds, not the 72 s keep-alive timeout.
 * A request longer than SIGNALBOX_SHUTDOWN_TIMEOUT_MS is cut at that time and still recorded.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import {
  initialisedDataDir,
  killSpawnedServers,
  spawnServe,
  waitForBanner,
  type Banner,
} from '../helpers/spawn-server.ts';
import { addEmulatorFault } from '../helpers/start-gateway.ts';

const KEY = 'sb-shutdown-test-master-key-001';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'signalbox-shutdown-'));
  await initialisedDataDir(path.join(root, 'template'), KEY);
});

afterAll(async () => {
  killSpawnedServers();
  await rm(root, { recursive: true, force: true });
});

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Reads from `socket` until `done(text)` or the socket closes; resolves with what was read. */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (): void => {
      socket.removeAllListeners('data');
      resolve(text);
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (done(text)) finish();
    });
    socket.once('close', finish);
  });
}

function slowChat(banner: Banner) {
  return request(`${banner.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function ledgerOf(directory: string) {
  const app = await createApp(
    loadConfig({ PORT: '0', SIGNALBOX_DATA_DIR: directory, SIGNALBOX_MASTER_KEY: KEY }),
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const response = await app.server.inject({
      url: '/admin/requests',
      headers: { authorization: `Bearer ${KEY}` },
    });
    return response.json<{ data: { id: string; status: string }[] }>();
  } finally {
    await app.close();
  }
}

describe('graceful shutdown on SIGTERM', () => {
  it('drains an in-flight request, closes idle connections at once and exits 0', async () => {
    const directory = path.join(root, 'drain');
    await cp(path.join(root, 'template'), directory, { recursive: true });
    const server = spawnServe({
      PORT: '0',
      SIGNALBOX_DATA_DIR: directory,
      SIGNALBOX_MASTER_KEY: KEY,
    });
    const banner = await waitForBanner(server);
    await addEmulatorFault(banner.emulatorOrigin, { delayBeforeHeadersMs: 1_500 });

    // An idle keep-alive connection, and one with a readiness request half sent.
    const idle = await openSocket(banner.url);
    idle.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await readUntil(idle, (text) => text.includes('"ok"'));
    const idleClosed = new Promise<number>((resolve) =>
      idle.once('close', () => {
        resolve(Date.now());
      }),
    );
    const probe = await openSocket(banner.url);
    probe.write('GET /health/ready HTTP/1.1\r\nHost: x\r\n');

    const inFlight = slowChat(banner);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    probe.write('\r\n');
    const readiness = await readUntil(probe, (text) => text.includes('}'));

    const response = await inFlight;
    const body = (await response.body.json()) as { choices: unknown[] };
    const exit = await server.exited;

    expect(readiness).toMatch(/^HTTP\/1\.1 503/);
    expect(readiness).toContain('"status":"shutting_down"');
    expect((await idleClosed) - signalledAt).toBeLessThan(1_000);
    expect(response.statusCode).toBe(200);
    expect(body.choices).toHaveLength(1);
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    const requestId = response.headers['x-request-id'];
    const { data } = await ledgerOf(directory);
    expect(data.find((row) => row.id === requestId)?.status).toBe('success');
  });

  it('cuts a request that outlives SIGNALBOX_SHUTDOWN_TIMEOUT_MS, records it and exits 0', async () => {
    const directory = path.join(root, 'cut');
    await cp(path.join(root, 'template'), directory, { recursive: true });
    const server = spawnServe({
      PORT: '0',
      SIGNALBOX_DATA_DIR: directory,
      SIGNALBOX_MASTER_KEY: KEY,
      SIGNALBOX_SHUTDOWN_TIMEOUT_MS: '500',
    });
    const banner = await waitForBanner(server);
    await addEmulatorFault(banner.emulatorOrigin, { delayBeforeHeadersMs: 20_000 });
    const inFlight = slowChat(banner).then(
      (response) => response.statusCode,
      (error: unknown) => (error as Error).name,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const outcome = await inFlight;
    const exit = await server.exited;
    expect(outcome).not.toBe(200);
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(6_000);
    const { data } = await ledgerOf(directory);
    expect(data.map((row) => row.status)).toContain('client_closed_request');
  });
});
