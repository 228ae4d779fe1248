/**
 * `signalbox serve`: start the gateway, print the banner, shut down gracefully on SIGINT/SIGTERM
 * (app.close(): in-flight requests get SIGNALBOX_SHUTDOWN_TIMEOUT_MS, then the ledger is
 * flushed). A start that fails after the app was built (port in use, bad HOST) closes it again,
 * so nothing it opened keeps the process alive.
 */
import { createApp, type SignalboxApp } from '../app.ts';
import { loadConfig, type Config } from '../config/config.ts';

/** The start-up banner; the Try line carries the key when this start generated it. */
export function banner(
  app: Pick<
    SignalboxApp,
    | 'mode'
    | 'emulatorOrigin'
    | 'config'
    | 'database'
    | 'catalog'
    | 'generatedMasterKey'
    | 'dashboardBuilt'
  >,
  url: string,
): string {
  const lines = [
    '',
    `  Signalbox gateway listening on ${url}`,
    `  OpenAI-compatible API: ${url}/v1  (also ${url}/api/v1 for OpenRouter clients)`,
    app.dashboardBuilt
      ? `  Dashboard: ${url}/ui/  (log in with the master key)`
      : '  Dashboard: not built — run "npm run build:web" (npm install does it), then restart',
    app.mode === 'demo'
      ? `  Mode: DEMO MODE — no OPENROUTER_API_KEY is set, so the built-in OpenRouter emulator (${app.emulatorOrigin ?? ''}) answers every request with recorded or synthesized responses. Set OPENROUTER_API_KEY for real models.`
      : `  Mode: live — upstream ${app.config.openrouter.baseUrl}`,
    `  Database: ${app.database.kind === 'pglite' ? `PGlite in ${app.config.dataDir}/db` : 'PostgreSQL'}`,
    `  Catalogue: ${app.catalog().size} models`,
    app.generatedMasterKey !== null
      ? `  Master key (generated now, shown ONCE — store it; only its hash is kept):\n\n      ${app.generatedMasterKey}\n`
      : app.config.masterKey !== null
        ? '  Master key: from SIGNALBOX_MASTER_KEY'
        : '  Master key: the one generated at first start (only its hash is stored; set SIGNALBOX_MASTER_KEY to choose one)',
    `  Try: curl ${url}/v1/chat/completions -H "Authorization: Bearer ${app.generatedMasterKey ?? '<master key>'}" -H "Content-Type: application/json" -d '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hello"}]}'`,
    '',
  ];
  return lines.join('\n');
}

export async function runServe(config: Config = loadConfig()): Promise<number> {
  const app = await createApp(config);
  let url: string;
  try {
    url = await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  if (config.quietBanner && app.generatedMasterKey === null)
    process.stdout.write(`  Signalbox worker listening on ${url}\n`);
  else process.stdout.write(`${banner(app, url)}\n`);
  await new Promise<void>((resolve) => {
    let closing = false;
    const stop = (signal: string): void => {
      if (closing) return;
      closing = true;
      app.logger.info({ signal }, 'shutting down');
      app.close().then(resolve, (error: unknown) => {
        app.logger.error({ err: error }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
  });
  return 0;
}
