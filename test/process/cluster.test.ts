/**
 * `signalbox serve` with cluster workers (SIGNALBOX_WORKERS, the `--workers` flag's variable):
 * refused on PGlite with a clear message; on PostgreSQL every worker serves on one port with its
 * own ledger journal, a killed worker is restarted (its successor takes its journal over), and
 * SIGTERM drains every worker and exits 0. The PostgreSQL part needs SIGNALBOX_TEST_DATABASE_URL.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { killSpawnedServers, spawnServe, waitForBanner } from '../helpers/spawn-server.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL;
const KEY = 'sb-cluster-test-key-0123456789';

afterAll(() => {
  killSpawnedServers();
});

async function ownerPid(journalDir: string): Promise<number | null> {
  try {
    const owner = JSON.parse(await readFile(path.join(journalDir, 'signalbox.pid'), 'utf8')) as {
      pid: number;
    };
    return owner.pid;
  } catch {
    return null;
  }
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('signalbox serve with workers', () => {
  it('refuses workers on the embedded database, naming what to set', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-cluster-'));
    try {
      const server = spawnServe({ SIGNALBOX_DATA_DIR: dataDir, SIGNALBOX_WORKERS: '2' });
      const exit = await server.exited;
      expect(exit.code).not.toBe(0);
      expect(server.stderr()).toMatch(/needs SIGNALBOX_DATABASE_URL/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  if (postgresUrl === undefined)
    console.log('cluster on PostgreSQL: NOT RUN (set SIGNALBOX_TEST_DATABASE_URL to run it)');

  it.runIf(postgresUrl !== undefined)(
    'serves from two workers with a journal each, restarts a killed worker, drains on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      const name = `signalbox_cluster_${randomBytes(4).toString('hex')}`;
      await admin.query(`create database ${name}`);
      const databaseUrl = new URL(postgresUrl ?? '');
      databaseUrl.pathname = `/${name}`;
      const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-cluster-'));
      try {
        const server = spawnServe({
          SIGNALBOX_DATA_DIR: dataDir,
          SIGNALBOX_DATABASE_URL: databaseUrl.toString(),
          SIGNALBOX_MASTER_KEY: KEY,
          SIGNALBOX_WORKERS: '2',
          PORT: '0',
        });
        const { url } = await waitForBanner(server, 60_000);
        const journals = [0, 1].map((index) => path.join(dataDir, 'journal', `worker-${index}`));
        const pids = await until(
          () => Promise.all(journals.map(ownerPid)),
          (found) => found.every((pid) => pid !== null),
        );
        expect(new Set(pids).size).toBe(2);
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                model: 'openai/gpt-4o',
                messages: [{ role: 'user', content: 'hello' }],
              }),
            }).then((response) => response.status),
          ),
        );
        expect(answers.filter((status) => status !== 200)).toEqual([]);

        const [killed] = pids;
        process.kill(killed ?? 0, 'SIGKILL');
        const restarted = await until(
          () => ownerPid(journals[0] ?? ''),
          (pid) => pid !== null && pid !== killed,
        );
        expect(restarted).not.toBe(killed);
        const ready = await until(
          () =>
            fetch(`${url}/health/ready`).then(
              (response) => response.status,
              () => 0,
            ),
          (status) => status === 200,
        );
        expect(ready).toBe(200);

        server.child.kill('SIGTERM');
        const exit = await server.exited;
        expect(exit.code).toBe(0);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );
});
