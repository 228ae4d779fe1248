// `signalbox models …` against a real gateway (demo mode: its emulator serves the real
// 2026-05 snapshot) and, with no server, against a PGlite directory opened directly.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.ts';
import { startGateway, type TestGateway } from '../../test/helpers/start-gateway.ts';
import { runModelsCommand } from './models-command.ts';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string>, isTTY = false): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runModelsCommand(argv, {
    env,
    stdout: {
      write: (text: string) => (stdout += text),
      isTTY,
    },
    stderr: { write: (text: string) => (stderr += text) },
    pollIntervalMs: 10,
  });
  return { code, stdout, stderr };
}

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('signalbox models, through a running server', () => {
  let gateway: TestGateway | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const started = await startGateway();
    gateway = started;
    env = { SIGNALBOX_URL: started.url, SIGNALBOX_MASTER_KEY: started.key };
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('sync shows progress lines, then the summary', async () => {
    const result = await run(['sync'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[#+-*\] fetching the model list/);
    expect(result.stdout).toMatch(/\[#{24}\] done/);
    expect(result.stdout).toMatch(/Catalogue sync succeeded/);
    expect(result.stdout).toMatch(/new \d+, changed \d+, unchanged \d+, retired 0/);
    expect(result.stderr).toBe('');
  });

  it('list --supports tools --max-price 1 --sort price prints a table, cheapest first', async () => {
    const result = await run(
      ['list', '--supports', 'tools', '--max-price', '1', '--sort', 'price', '--limit', '5'],
      env,
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+CONTEXT\s+PROMPT \$\/1M\s+COMPLETION \$\/1M\s+STATUS$/);
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toMatch(/^5 of \d+ models$/);
    const prices = lines.slice(1, 6).map((line) => Number(/\$(\S+)/.exec(line)?.[1]));
    expect(prices.every((price) => price <= 1)).toBe(true);
    expect(prices).toEqual([...prices].sort((left, right) => left - right));
  });

  it('show prints one model with its prices per 1M tokens and price history', async () => {
    const result = await run(['show', 'openai/gpt-4o'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^openai\/gpt-4o\n/);
    expect(result.stdout).toContain('prompt      $2.50 / 1M tokens');
    expect(result.stdout).toContain('completion  $10.00 / 1M tokens');
    expect(result.stdout).toMatch(/price history\n\s+\d{4}-\d\d-\d\dT.*prompt \$2\.50/);
    const missing = await run(['show', 'no/such-model'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not in the catalogue');
  });

  it('compare prints the workload cost computed by the server', async () => {
    const result = await run(
      [
        'compare',
        'openai/gpt-4o',
        'google/gemini-2.5-flash',
        '--prompt-tokens',
        '1000',
        '--completion-tokens',
        '100',
        '--requests-per-day',
        '100',
      ],
      env,
    );
    expect(result.code).toBe(0);
    // gpt-4o: 1000 × $2.5/1M + 100 × $10/1M = $0.0035 per request, $0.35 per day.
    expect(result.stdout).toMatch(/cost \/ request\s+\$0\.003500/);
    expect(result.stdout).toMatch(/cost \/ day\s+\$0\.350000/);
    expect(result.stdout).toMatch(/^Cheapest: google\/gemini-2\.5-flash$/m);
  });

  it('says what to set when the master key is missing, and refuses bad usage', async () => {
    const unauthorised = await run(['list'], { SIGNALBOX_URL: env.SIGNALBOX_URL ?? '' });
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr).toContain('SIGNALBOX_MASTER_KEY');
    expect((await run(['list', '--colour'], env)).code).toBe(2);
    expect((await run(['frobnicate'], env)).code).toBe(2);
  });
});

describe('signalbox models, with no server: the database directly', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-cli-'));
    env = { SIGNALBOX_URL: `http://127.0.0.1:${await closedPort()}`, SIGNALBOX_DATA_DIR: dataDir };
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists and shows the seeded snapshot, saying it opened the database', async () => {
    const listed = await run(['list', '--search', 'gpt-4o mini', '--limit', '3'], env);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('opening the database directly');
    expect(listed.stdout).toContain('openai/gpt-4o-mini');
    const shown = await run(['show', 'openai/gpt-4o'], env);
    expect(shown.stdout).toContain('prompt      $2.50 / 1M tokens');
  });

  it('syncs from the shipped snapshot with a note when there is no OpenRouter key (TTY bar)', async () => {
    const result = await run(['sync'], env, true);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('No OPENROUTER_API_KEY: syncing from the snapshot');
    expect(result.stdout).toContain('\r\u001b[K[');
    expect(result.stdout).toContain('unchanged 356, retired 0');
  });

  it('syncs from OpenRouter (here the emulator) with OPENROUTER_API_KEY', async () => {
    const apiKey = 'sk-or-cli-test-0123456789abcdef';
    const emulator = createEmulator({ apiKeys: [apiKey] });
    const origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
    try {
      const result = await run(['sync'], {
        ...env,
        OPENROUTER_API_KEY: apiKey,
        OPENROUTER_BASE_URL: `${origin}/api/v1`,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('snapshot');
      expect(result.stdout).toMatch(/Catalogue sync succeeded/);
    } finally {
      await emulator.close();
    }
  });
});
