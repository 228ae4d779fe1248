/**
 * The gateway under benchmark: a real createApp() (PGlite in a temp dir, ledger on) whose
 * OpenRouter upstream is the emulator.
 * Usage: node bench/gateway-server.ts <upstream base url> [--no-ledger | --no-ledger-insert]
 *   [--database-url=postgres://…]
 *   [--ledger-mode=journal|commit] [--profile=<file.cpuprofile>] [--data-dir=<dir>]
 *   [--redis-url=redis://…] [--virtual-key] [--dist]
 * `--virtual-key`: the whole governance path, as issue-13's targets ask — a project and a client
 * key, each with rpm/tpm limits, a max concurrency and a monthly budget (all far above what the
 * benchmark reaches, so nothing is refused), created through the admin API; the line printed is
 * then `READY <url> KEY <virtual key>` and the load uses that key.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { Session } from 'node:inspector';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

// As bin/signalbox.js does: the compile cache on before the application's modules load (hence
// the dynamic imports), so that start-up here is the command's.
module.enableCompileCache();
const { pino } = await import('pino');
// `--dist`: the compiled package (dist/, what an installed `signalbox` runs; `npm run build` first).
const compiled = process.argv.includes('--dist');
const { createApp } = (await import(
  compiled ? '../dist/app.js' : '../src/app.ts'
)) as typeof import('../src/app.ts');
const { loadConfig } = (await import(
  compiled ? '../dist/config/config.js' : '../src/config/config.ts'
)) as typeof import('../src/config/config.ts');

const upstream = process.argv[2] ?? 'http://127.0.0.1:8788/api/v1';
const databaseUrl = process.argv.find((arg) => arg.startsWith('--database-url='))?.slice(15);
const ledgerMode = process.argv.find((arg) => arg.startsWith('--ledger-mode='))?.slice(14);
const redisUrl = process.argv.find((arg) => arg.startsWith('--redis-url='))?.slice(12);
const dataDir =
  process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice(11) ??
  (await mkdtemp(path.join(tmpdir(), 'signalbox-bench-')));
const config = loadConfig({
  PORT: '0',
  SIGNALBOX_DATA_DIR: dataDir,
  OPENROUTER_API_KEY: 'sk-or-bench-gateway-key-000000',
  OPENROUTER_BASE_URL: upstream,
  SIGNALBOX_MASTER_KEY: 'sb-bench-master-key-0000000000',
  ...(databaseUrl === undefined ? {} : { SIGNALBOX_DATABASE_URL: databaseUrl }),
  ...(ledgerMode === undefined ? {} : { SIGNALBOX_LEDGER_MODE: ledgerMode }),
  ...(redisUrl === undefined ? {} : { SIGNALBOX_REDIS_URL: redisUrl }),
});
const app = await createApp(config, {
  logger: pino({ level: 'warn' }),
  ...(process.argv.includes('--no-ledger') ? { discardLedger: true } : {}),
  ...(process.argv.includes('--no-ledger-insert') ? { discardLedger: 'insert' as const } : {}),
});
const address = await app.listen();
const virtualKey = process.argv.includes('--virtual-key') ? await createVirtualKey(address) : null;
process.stdout.write(`READY ${address}${virtualKey === null ? '' : ` KEY ${virtualKey}`}\n`);

/** A project and a client key with limits and budgets nothing in the benchmark reaches. */
async function createVirtualKey(origin: string): Promise<string> {
  const limits = {
    rpm: 1_000_000_000,
    tpm: 1_000_000_000,
    budget: { limit_usd: 1_000_000_000, period: 'month' },
  };
  const post = async (route: string, body: object): Promise<Record<string, unknown>> => {
    const response = await fetch(`${origin}${route}`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sb-bench-master-key-0000000000',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${route}: ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const project = await post('/admin/projects', { name: 'bench', ...limits });
  const key = await post('/admin/keys', {
    name: 'bench',
    project_id: project.id,
    role: 'client',
    max_concurrency: 100_000,
    ...limits,
  });
  return String(key.key);
}

// `--profile=<file>`: SIGUSR2 starts a CPU profile (after warm-up, so start-up is not in it);
// stopping writes it to <file> (a .cpuprofile for Chrome DevTools or scripts/summarise-profile.ts).
const profileFile = process.argv.find((arg) => arg.startsWith('--profile='))?.slice(10);
const profiler = profileFile === undefined ? undefined : new Session();
if (profiler !== undefined) {
  profiler.connect();
  process.on('SIGUSR2', () => {
    profiler.post('Profiler.enable', () => {
      profiler.post('Profiler.start');
    });
  });
}

function writeProfile(): Promise<void> {
  if (profiler === undefined || profileFile === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    profiler.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(profileFile, JSON.stringify(result.profile));
      resolve();
    });
  });
}

// Close cleanly (and write the profile) when the benchmark stops us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void writeProfile()
      .then(() => app.close())
      .finally(() => process.exit(0));
  });
}
