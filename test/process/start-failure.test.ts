/**
 * A start that fails after the app was built (port in use, an address that cannot be bound)
 * prints the error and exits non-zero promptly, although the built-in emulator, the database and
 * the ledger timers were already running — without the exit path it would never exit.
 * "Promptly" is bounded at 3 s, not 1: after the error, V8 cannot tear the process down before
 * its background threads finish optimising PGlite's WebAssembly, which started with the
 * database; on a 2-core machine that takes 1.5–2 s (seen with strace: the main thread waits on
 * the compiler threads between the error and exit_group).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialisedDataDir, killSpawnedServers, spawnServe } from '../helpers/spawn-server.ts';

/** See above: V8's background WebAssembly compilation, not our shutdown, is most of it. */
const EXIT_BOUND_MS = 3_000;

let busy: Server;
let busyPort: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-start-'));
  await initialisedDataDir(path.join(dataDir, 'template'), 'sb-start-failure-test-key-0001');
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const address = busy.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  busyPort = address.port;
});

afterAll(async () => {
  killSpawnedServers();
  await new Promise((resolve) => busy.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

async function failedStart(env: Record<string, string>, name: string) {
  await cp(path.join(dataDir, 'template'), path.join(dataDir, name), { recursive: true });
  const server = spawnServe({ SIGNALBOX_DATA_DIR: path.join(dataDir, name), ...env });
  const seen: { failedAt: number | null } = { failedAt: null };
  server.child.stderr?.on('data', () => {
    if (seen.failedAt === null && server.stderr().includes('failed to start'))
      seen.failedAt = Date.now();
  });
  const exit = await server.exited;
  return { exit, failedAt: seen.failedAt, stderr: server.stderr() };
}

describe('signalbox serve, when it cannot listen', () => {
  it('exits 1 promptly after the error when the port is in use', async () => {
    const { exit, failedAt, stderr } = await failedStart({ PORT: String(busyPort) }, 'busy');
    expect(stderr).toMatch(/failed to start: .*EADDRINUSE/);
    expect(exit.code).toBe(1);
    expect(failedAt).not.toBeNull();
    expect(exit.at - (failedAt ?? 0)).toBeLessThan(EXIT_BOUND_MS);
  });

  it('exits 1 promptly after the error when HOST cannot be bound', async () => {
    const { exit, failedAt, stderr } = await failedStart(
      { PORT: '0', HOST: '203.0.113.7' },
      'bad-host',
    );
    expect(stderr).toMatch(/failed to start: .*EADDRNOTAVAIL/);
    expect(exit.code).toBe(1);
    expect(exit.at - (failedAt ?? 0)).toBeLessThan(EXIT_BOUND_MS);
  });
});
