/**
 * Test support: a real gateway process (`node src/cli/main.ts serve`, the Node that runs vitest)
 * in live mode against an emulator the test runs in-process, with PGlite in a data directory the
 * test owns — so a test can `kill -9` it and start another on the same directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';

export interface GatewayProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The master key clients send. */
  key: string;
  /** Everything the process wrote to stdout and stderr so far (pino JSON lines, the banner). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown, no flush — a crash. */
  crash(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  dataDir: string;
  /** The emulator's origin, e.g. http://127.0.0.1:41235 (its API is under /api/v1). */
  emulatorOrigin: string;
  /** Extra environment (SIGNALBOX_* settings). */
  env?: Record<string, string>;
  /** How long to wait for the banner, ms; default 30 000. */
  startTimeoutMs?: number;
}

export const PROCESS_MASTER_KEY = 'sb-test-process-master-key-0123456789';
export const PROCESS_OPENROUTER_KEY = 'sk-or-v1-gateway-process-test-0123456789';

/** Starts the gateway and resolves once it listens. @throws when it exits or stays silent first. */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
    cwd: new URL('../..', import.meta.url),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      SIGNALBOX_DATA_DIR: options.dataDir,
      SIGNALBOX_MASTER_KEY: PROCESS_MASTER_KEY,
      OPENROUTER_API_KEY: PROCESS_OPENROUTER_KEY,
      OPENROUTER_BASE_URL: `${options.emulatorOrigin}/api/v1`,
      SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
      SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS: '0',
      SIGNALBOX_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the gateway did not start in time:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const look = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`the gateway exited (${String(code ?? signal)}) before listening:\n${output}`),
      );
    });
  });
  return {
    child,
    url,
    key: PROCESS_MASTER_KEY,
    output: () => output,
    exited,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** GET `path` with the master key; the parsed JSON body and the status. */
export async function getJson(
  gateway: Pick<GatewayProcess, 'url' | 'key'>,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const response = await request(`${gateway.url}${path}`, {
    headers: { authorization: `Bearer ${gateway.key}` },
  });
  return { status: response.statusCode, body: await response.body.json() };
}
