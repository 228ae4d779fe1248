/**
 * `signalbox models …`: the catalogue from the command line, through a running server's
 * admin API (`SIGNALBOX_URL`, `SIGNALBOX_MASTER_KEY`), or the database directly when no
 * server answers (models-admin-client.ts).
 *   models sync                                  sync now, with a progress bar, then a summary
 *   models list [--search q] [--supports tools] [--max-price N] [--sort price|context|newest|name] [--limit N]
 *   models show <id>
 *   models compare <a> <b> [c…] [--prompt-tokens N] [--completion-tokens N] [--requests-per-day N]
 * Prices are USD per 1M tokens (`--max-price` bounds the prompt price); costs are computed
 * exactly by the server in nano-USD.
 */
import { parseArgs } from 'node:util';
import { createAdminClient, type AdminAnswer, type AdminClient } from './models-admin-client.ts';
import {
  asArray,
  asText,
  field,
  formatNanoUsd,
  formatPerMillion,
  formatTokens,
  pricingPerMillion,
  progressBar,
  renderTable,
  syncSummary,
  truncate,
} from './models-render.ts';

export interface ModelsCommandIo {
  /** Variables to read (default: the process environment, through src/config). */
  env?: Readonly<Record<string, string | undefined>>;
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  stderr?: { write(text: string): unknown };
  /** How often a sync's progress is polled; ms, default 150. */
  pollIntervalMs?: number;
}

const usage = `Usage: signalbox models <command>

  sync                                  Sync the catalogue from OpenRouter now.
  list [--search q] [--supports tools,vision] [--max-price N] [--sort price|context|newest|name] [--limit N]
                                        Search the catalogue (--max-price: USD per 1M prompt tokens).
  show <id>                             One model with its prices and price history.
  compare <a> <b> [c…] [--prompt-tokens N] [--completion-tokens N] [--requests-per-day N]
                                        Side by side, with the cost of a workload.

Talks to the server at SIGNALBOX_URL (default http://127.0.0.1:8787) with SIGNALBOX_MASTER_KEY;
opens the database directly when no server answers.
`;

class UsageError extends Error {}

/** The admin API (or the database behind it) refused or failed; the message is for people. */
class AdminError extends Error {}

/** node:util parseArgs' own errors (unknown option, missing value) are usage errors. */
function isParseArgsError(error: unknown): error is TypeError {
  return (
    error instanceof TypeError &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS')
  );
}

interface Context {
  client: AdminClient;
  out: (text: string) => void;
  isTTY: boolean;
  pollIntervalMs: number;
}

/**
 * Runs `signalbox models <argv…>`. @returns the exit code: 0 done, 1 the server or database
 * refused or failed, 2 bad usage.
 */
export async function runModelsCommand(
  argv: readonly string[],
  io: ModelsCommandIo = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [command, ...rest] = argv;
  const note = (line: string): void => {
    stderr.write(`${line}\n`);
  };
  if (command === undefined || command === 'help' || command === '--help') {
    stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  const client = createAdminClient(io.env, note);
  const context: Context = {
    client,
    out: (text) => stdout.write(text),
    isTTY: stdout.isTTY === true,
    pollIntervalMs: io.pollIntervalMs ?? 150,
  };
  try {
    switch (command) {
      case 'sync':
        return await sync(context);
      case 'list':
        return await list(context, rest);
      case 'show':
        return await show(context, rest);
      case 'compare':
        return await compare(context, rest);
      default:
        throw new UsageError(`Unknown command "models ${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      stderr.write(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof AdminError) {
      stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await client.close();
  }
}

/** The body of a 2xx answer. @throws AdminError with the API's message otherwise. */
function ok(answer: AdminAnswer): unknown {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const message = asText(field(field(answer.body, 'error'), 'message'), `HTTP ${answer.status}`);
  const hint =
    answer.status === 401 ? " (set SIGNALBOX_MASTER_KEY to the server's master key)" : '';
  throw new AdminError(`Error: ${message}${hint}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sync(context: Context): Promise<number> {
  const started = performance.now();
  let run = ok(await context.client.call('POST', '/catalog/sync', { wait: false }));
  const id = asText(field(run, 'id'));
  let lastPhase = '';
  for (;;) {
    const phase = asText(field(run, 'phase'));
    const running = field(run, 'status') === 'running';
    if (context.isTTY) context.out(`\r\u001b[K${progressBar(phase, performance.now() - started)}`);
    else if (phase !== lastPhase)
      context.out(`${progressBar(phase, performance.now() - started)}\n`);
    lastPhase = phase;
    if (!running) break;
    await delay(context.pollIntervalMs);
    run = ok(await context.client.call('GET', `/catalog/sync/${encodeURIComponent(id)}`));
  }
  if (context.isTTY) context.out('\n');
  context.out(syncSummary(run));
  return field(run, 'status') === 'failed' ? 1 : 0;
}

async function list(context: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      search: { type: 'string' },
      supports: { type: 'string', multiple: true },
      'max-price': { type: 'string' },
      sort: { type: 'string' },
      limit: { type: 'string' },
      provider: { type: 'string', multiple: true },
    },
  });
  const query = new URLSearchParams();
  if (values.search !== undefined) query.set('q', values.search);
  if (values.supports !== undefined) query.set('supports', values.supports.join(','));
  if (values.provider !== undefined) query.set('provider', values.provider.join(','));
  if (values['max-price'] !== undefined) query.set('max_prompt_price', values['max-price']);
  if (values.sort !== undefined) query.set('sort', values.sort);
  query.set('limit', values.limit ?? '50');
  const page = ok(await context.client.call('GET', `/catalog/models?${query.toString()}`));
  const rows = asArray(field(page, 'data')).map((model) => [
    asText(field(model, 'id')),
    truncate(asText(field(model, 'name')), 40),
    formatTokens(field(model, 'context_length')),
    pricingPerMillion(field(model, 'pricing'), 'prompt'),
    pricingPerMillion(field(model, 'pricing'), 'completion'),
    field(model, 'enabled') === false
      ? `${asText(field(model, 'status'))}, disabled`
      : asText(field(model, 'status')),
  ]);
  context.out(
    renderTable(['ID', 'NAME', 'CONTEXT', 'PROMPT $/1M', 'COMPLETION $/1M', 'STATUS'], rows),
  );
  context.out(`${rows.length} of ${asText(field(page, 'total'), '0')} models\n`);
  return 0;
}

async function show(context: Context, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [id] = positionals;
  if (id === undefined || positionals.length > 1) throw new UsageError('Give one model id.');
  const model = ok(await context.client.call('GET', `/catalog/models/${id}`));
  const pricing = field(model, 'pricing');
  const architecture = field(model, 'architecture');
  const parameters = asArray(field(model, 'supported_parameters')).map((value) => asText(value));
  const lines: [string, string][] = [
    ['name', asText(field(model, 'name'))],
    [
      'status',
      `${asText(field(model, 'status'))}${field(model, 'enabled') === false ? ', disabled' : ''}`,
    ],
    ['context', `${formatTokens(field(model, 'context_length'))} tokens`],
    [
      'modalities',
      `${asArray(field(architecture, 'input_modalities')).join('+')} → ${asArray(field(architecture, 'output_modalities')).join('+')}`,
    ],
    ['prompt', `${pricingPerMillion(pricing, 'prompt')} / 1M tokens`],
    ['completion', `${pricingPerMillion(pricing, 'completion')} / 1M tokens`],
    ['pricing', JSON.stringify(pricing)],
    ['parameters', parameters.join(', ')],
    ['latency', formatLatency(field(field(model, 'observed'), 'latency_ms'))],
  ];
  const retiredAt = field(model, 'retired_at');
  if (typeof retiredAt === 'string') lines.push(['retired at', retiredAt]);
  context.out(`${asText(field(model, 'id'))}\n`);
  for (const [label, value] of lines) context.out(`  ${label.padEnd(12)}${value}\n`);
  context.out('  price history\n');
  for (const version of asArray(field(model, 'price_history')))
    context.out(
      `    ${asText(field(version, 'effective_from'))}  prompt ${pricingPerMillion(field(version, 'pricing'), 'prompt')}  completion ${pricingPerMillion(field(version, 'pricing'), 'completion')} per 1M\n`,
    );
  return 0;
}

function formatLatency(value: unknown): string {
  return typeof value === 'number'
    ? `${Math.round(value)} ms (observed median)`
    : 'not observed yet';
}

function wholeNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${option} must be a whole number.`);
  return Number(value);
}

async function compare(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'prompt-tokens': { type: 'string' },
      'completion-tokens': { type: 'string' },
      'requests-per-day': { type: 'string' },
    },
  });
  const workload = {
    prompt_tokens: wholeNumber(values['prompt-tokens'], 'prompt-tokens', 1000),
    completion_tokens: wholeNumber(values['completion-tokens'], 'completion-tokens', 500),
    requests_per_day: wholeNumber(values['requests-per-day'], 'requests-per-day', 1000),
  };
  const result = ok(
    await context.client.call('POST', '/catalog/compare', { models: positionals, workload }),
  );
  const models = asArray(field(result, 'models'));
  const row = (label: string, cell: (model: unknown) => string): string[] => [
    label,
    ...models.map(cell),
  ];
  const capabilities = (model: unknown): string => {
    const flags = field(model, 'capabilities');
    const names = ['tools', 'structured_outputs', 'reasoning', 'vision'].filter(
      (name) => field(flags, name) === true,
    );
    return names.length === 0 ? 'none' : names.join(', ');
  };
  const rows = [
    row('name', (model) => truncate(asText(field(model, 'name')), 32)),
    row('status', (model) => asText(field(model, 'status'))),
    row('context', (model) => formatTokens(field(model, 'context_length'))),
    row('prompt $/1M', (model) => formatPerMillion(field(model, 'prompt_price_per_million_usd'))),
    row('completion $/1M', (model) =>
      formatPerMillion(field(model, 'completion_price_per_million_usd')),
    ),
    row('capabilities', capabilities),
    row('latency', (model) => formatLatency(field(model, 'observed_latency_ms'))),
    row('cost / request', (model) => formatNanoUsd(field(model, 'cost_per_request_nanousd'))),
    row('cost / day', (model) => formatNanoUsd(field(model, 'cost_per_day_nanousd'))),
  ];
  context.out(
    `Workload: ${workload.prompt_tokens} prompt + ${workload.completion_tokens} completion tokens × ${workload.requests_per_day} requests/day\n`,
  );
  context.out(renderTable(['', ...models.map((model) => asText(field(model, 'id')))], rows));
  context.out(`Cheapest: ${asText(field(result, 'cheapest'), 'none priced')}\n`);
  return 0;
}
