/**
 * The `signalbox` command.
 *   signalbox [serve]                    run the gateway (demo mode without OPENROUTER_API_KEY)
 *   signalbox emulator [--port N] [--host H]   run the OpenRouter emulator on its own
 *   signalbox help
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigWith } from '../config/config.ts';
import { isClusterWorker, runServeCluster } from './serve-cluster.ts';
import { runServe } from './serve-command.ts';

const usage = `Usage: signalbox <command>

Commands:
  serve [--workers N]           Run the gateway (default); N cluster workers need PostgreSQL.
                                Configuration: environment variables (README).
  emulator [--port N] [--host H] Run the offline OpenRouter emulator (default 127.0.0.1:8788).
  models sync                   Sync the catalogue from OpenRouter (progress, then a summary).
  models list [--search q] [--supports tools] [--max-price N] [--sort price|context|newest|name]
  models show <id>              One model: prices, price history, status.
  models compare <a> <b> [...]  Side by side, with the cost of a workload.
  help                          Show this help.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: [...rest],
        options: { workers: { type: 'string' } },
      });
      const config = loadConfigWith(
        values.workers === undefined ? {} : { SIGNALBOX_WORKERS: values.workers },
      );
      if (config.workers > 1 && !isClusterWorker()) return runServeCluster(config.workers);
      return runServe(config);
    }
    case 'models': {
      // The other commands' modules load only when they run: `serve` starts without them.
      const { runModelsCommand } = await import('./models-command.ts');
      return runModelsCommand(rest);
    }
    case 'emulator': {
      const { values } = parseArgs({
        args: [...rest],
        options: {
          port: { type: 'string', default: '8788' },
          host: { type: 'string', default: '127.0.0.1' },
        },
      });
      const { runEmulator } = await import('./emulator-command.ts');
      return runEmulator({ port: Number(values.port), host: values.host });
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

/**
 * Once a command is over, exit even if a handle something forgot to close still holds the
 * event loop (a failed start must not hang): an unref'd timer fires only if the process would
 * otherwise stay alive.
 */
function exitSoon(): void {
  setTimeout(() => {
    process.exit();
  }, 500).unref();
}

main(process.argv.slice(2))
  .then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      const message =
        error instanceof ConfigError
          ? `Configuration error: ${error.message}`
          : `signalbox failed to start: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`${message}\n`);
      process.exitCode = 1;
    },
  )
  .finally(exitSoon);
