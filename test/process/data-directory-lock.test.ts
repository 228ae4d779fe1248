/**
 * One process per data directory: a second `signalbox serve` on the same directory refuses to
 * start, naming the directory and the first process's pid; the lock is released on shutdown;
 * a lock left by a killed process (kill -9) is taken over at once. PostgreSQL mode locks the
 * directory too (it holds the ledger journal).
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initialisedDataDir,
  killSpawnedServers,
  spawnServe,
  waitForBanner,
} from '../helpers/spawn-server.ts';

const KEY = 'sb-lock-test-master-key-00001';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'signalbox-lock-'));
  await initialisedDataDir(path.join(root, 'template'), KEY);
});

afterAll(async () => {
  killSpawnedServers();
  await rm(root, { recursive: true, force: true });
});

async function dataDir(name: string): Promise<string> {
  const directory = path.join(root, name);
  await cp(path.join(root, 'template'), directory, { recursive: true });
  return directory;
}

describe('the data directory lock', () => {
  it('refuses a second process with the directory and the first pid, and is released on shutdown', async () => {
    const directory = await dataDir('pglite');
    const env = { PORT: '0', SIGNALBOX_DATA_DIR: directory, SIGNALBOX_MASTER_KEY: KEY };
    const first = spawnServe(env);
    await waitForBanner(first);
    const owner = JSON.parse(await readFile(path.join(directory, 'signalbox.pid'), 'utf8')) as {
      pid: number;
    };
    expect(owner.pid).toBe(first.child.pid);

    const second = spawnServe(env);
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(second.stderr()).toContain(`The data directory ${directory} is in use`);
    expect(second.stderr()).toContain(`pid ${String(first.child.pid)}`);

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const third = spawnServe(env);
    await waitForBanner(third);
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
  });

  it('takes over the lock of a process that was killed', async () => {
    const directory = await dataDir('killed');
    const env = { PORT: '0', SIGNALBOX_DATA_DIR: directory, SIGNALBOX_MASTER_KEY: KEY };
    const first = spawnServe(env);
    await waitForBanner(first);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = spawnServe(env);
    await waitForBanner(second);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL;
  it.skipIf(postgresUrl === undefined)(
    'also locks the directory with PostgreSQL (the ledger journal lives there)',
    async () => {
      const directory = path.join(root, 'postgres');
      const env = {
        PORT: '0',
        SIGNALBOX_DATA_DIR: directory,
        SIGNALBOX_MASTER_KEY: KEY,
        SIGNALBOX_DATABASE_URL: postgresUrl ?? '',
      };
      const first = spawnServe(env);
      await waitForBanner(first);
      const second = spawnServe(env);
      expect((await second.exited).code).toBe(1);
      expect(second.stderr()).toContain(`pid ${String(first.child.pid)}`);
      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);
    },
  );
});
