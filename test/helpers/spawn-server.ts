/**
 * Spawns `node src/cli/main.ts serve` (the real CLI, on the pinned Node that runs vitest) with
 * its own data directory, in demo mode unless `env` says otherwise, and parses its banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface SpawnedServer {
  child: ChildProcess;
  /** Everything written so far. */
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) and when it happened (ms since epoch). */
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every spawned server still running: call it in afterAll. */
export function killSpawnedServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function spawnServe(env: Record<string, string>): SpawnedServer {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SIGNALBOX_LOG_LEVEL: 'warn',
      SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>(
    (resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal, at: Date.now() });
      });
    },
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export interface Banner {
  url: string;
  emulatorOrigin: string;
}

/** Waits for the banner (or the process's exit) and reads the URL and the emulator's origin. */
export async function waitForBanner(server: SpawnedServer, timeoutMs = 30_000): Promise<Banner> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = server.stdout();
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    const emulatorOrigin = /emulator \((http:\/\/[^)]+)\)/.exec(text)?.[1];
    if (url !== undefined && emulatorOrigin !== undefined) return { url, emulatorOrigin };
    if (server.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no banner; stdout: ${text}\nstderr: ${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A data directory initialised once (database created, migrated, catalogue seeded, master key
 * `masterKey` stored) and copied per server, so each spawned start takes seconds, not the
 * first start's initdb.
 */
export async function initialisedDataDir(directory: string, masterKey: string): Promise<string> {
  const { createApp } = await import('../../src/app.ts');
  const { loadConfig } = await import('../../src/config/config.ts');
  const { pino } = await import('pino');
  const app = await createApp(
    loadConfig({ PORT: '0', SIGNALBOX_DATA_DIR: directory, SIGNALBOX_MASTER_KEY: masterKey }),
    { logger: pino({ level: 'silent' }) },
  );
  await app.close();
  return directory;
}
