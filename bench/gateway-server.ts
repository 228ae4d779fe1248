/**
 * The gateway under benchmark: a real createApp() (PGlite in a temp dir, ledger on) whose
 * OpenRouter upstream is the emulator.
 * Usage: node bench/gateway-server.ts <upstream base url> [--no-ledger] [--database-url=postgres://…]
 *   [--ledger-mode=journal|commit]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';

const upstream = process.argv[2] ?? 'http://127.0.0.1:8788/api/v1';
const databaseUrl = process.argv.find((arg) => arg.startsWith('--database-url='))?.slice(15);
const ledgerMode = process.argv.find((arg) => arg.startsWith('--ledger-mode='))?.slice(14);
const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-bench-'));
const config = loadConfig({
  PORT: '0',
  SIGNALBOX_DATA_DIR: dataDir,
  OPENROUTER_API_KEY: 'sk-or-bench-gateway-key-000000',
  OPENROUTER_BASE_URL: upstream,
  SIGNALBOX_MASTER_KEY: 'sb-bench-master-key-0000000000',
  ...(databaseUrl === undefined ? {} : { SIGNALBOX_DATABASE_URL: databaseUrl }),
  ...(ledgerMode === undefined ? {} : { SIGNALBOX_LEDGER_MODE: ledgerMode }),
});
const app = await createApp(config, {
  logger: pino({ level: 'warn' }),
  ...(process.argv.includes('--no-ledger') ? { discardLedger: true } : {}),
});
const address = await app.listen();
process.stdout.write(`READY ${address}\n`);

// Close cleanly (and let --cpu-prof write its profile) when the benchmark stops us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().finally(() => process.exit(0));
  });
}
