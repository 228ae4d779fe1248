/**
 * The dashboard at scale (part of `npm run bench` and `npm run bench:ui`; alone:
 * `node bench/ui-overview.ts [--rows=N] [--runs=N]`): a gateway in demo mode with `--rows` ledger
 * rows (default 1 000 000) spread over the last 30 days, made by generate_series with their usage
 * rollups filled in bulk by the same SQL the ledger insert runs (src/storage/usage-rollup-sql.ts).
 * On PostgreSQL when SIGNALBOX_BENCH_DATABASE_URL (an admin URL; a scratch database is created
 * and dropped) is set, else on PGlite. Measures, in Debian's Chromium over loopback:
 * - the Overview's first load to interactive (navigation → every stat, the charts, the top lists
 *   and the circuits filled), cold (fresh profile) and warm (reload), `--runs` each (target ≤ 1 s);
 * - each page's API calls (the URLs the page requests while loading, recorded in the browser),
 *   replayed 50 times each: p50 / p95 (target ≤ 200 ms p95).
 * Prints the figures and writes them with the bundle size to bench/results/ui-<time>.json.
 * Asserts nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import type { Database } from '../src/storage/index.ts';
import {
  histogramUpsertSql,
  ROLLUP_TIERS,
  rollupUpsertSql,
} from '../src/storage/usage-rollup-sql.ts';
import { hasChromium, startUiHarness, type UiHarness } from '../test/ui/browser.ts';
import { initialBundle } from './ui-bundle.ts';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const DAYS = 30;
const PAGES = [
  'overview',
  'requests',
  'models',
  'routing',
  'providers',
  'keys',
  'alerts',
  'recommendations',
  'audit',
  'playground',
] as const;

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

/** 6 models, 5 keys in 3 projects, 2 % errors, a policy on a quarter, fallbacks on a tenth. */
function ledgerRowsSql(start: number, rows: number): string {
  return `INSERT INTO requests (id, created_at, model, provider, served_model, status,
  http_status, stream, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens,
  latency_ms, ttft_ms, cost_nanousd, cost_source, key_id, project_id, policy, served_candidate)
SELECT 'bench-' || g,
  to_timestamp(${String(start / 1000)} + ((g - 1)::float8 * ${String(DAYS * 86_400)} / ${String(rows)})),
  (ARRAY['openai/gpt-4o-mini','openai/gpt-4o','anthropic/claude-sonnet-4.5','google/gemini-2.5-flash','meta-llama/llama-3.3-70b-instruct','mistralai/mistral-small'])[1 + (g % 6)::int],
  'openrouter', NULL,
  CASE WHEN g % 50 = 0 THEN 'upstream_error' ELSE 'success' END,
  CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END,
  g % 2 = 0, 50 + (g * 7919) % 3000, (g * 104729) % 800, (g * 31) % 40, (g * 17) % 200,
  100 + (g * 2654435761) % 9000, 50 + (g * 40503) % 900,
  1000 + (g * 7001) % 5000000, CASE WHEN g % 10 = 0 THEN 'computed' ELSE 'provider' END,
  'key_' || (g % 5), 'proj_' || (g % 5 % 3), CASE WHEN g % 4 = 0 THEN 'cheap' END,
  CASE WHEN g % 10 = 3 THEN 1 ELSE 0 END
FROM generate_series($1::bigint, $2::bigint) AS g`;
}

/** `rows` ledger rows over the 30 days before now, and their rollups, a day at a time. */
async function populate(database: Database, rows: number): Promise<number> {
  const begun = performance.now();
  const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const start = end - DAYS * 86_400_000;
  const chunk = 100_000;
  for (let first = 1; first <= rows; first += chunk)
    await database.execute(ledgerRowsSql(start, rows), [first, Math.min(rows, first + chunk - 1)]);
  for (let day = 0; day < DAYS; day += 1) {
    const from = new Date(start + day * 86_400_000).toISOString();
    const to = new Date(start + (day + 1) * 86_400_000).toISOString();
    const source =
      `(SELECT r.*, 1 AS attempt_count FROM requests r WHERE r.id LIKE 'bench-%' ` +
      `AND r.created_at >= '${from}' AND r.created_at < '${to}') AS bulk`;
    for (const tier of ROLLUP_TIERS) {
      await database.execute(rollupUpsertSql(tier, source), []);
      const histograms = histogramUpsertSql(tier, source);
      if (histograms !== null) await database.execute(histograms, []);
    }
  }
  await database.execute('ANALYZE', []);
  return (performance.now() - begun) / 1000;
}

/** The page's "interactive": every figure the Overview shows is filled in. */
async function overviewReady(page: Page): Promise<void> {
  const ready = [
    page.getByTestId('stat-Requests').filter({ hasText: /\d/ }),
    page.getByTestId('stat-Latency p95').filter({ hasText: /\d/ }),
    page.locator('.recharts-surface').first(),
    page.getByRole('table', { name: 'Top models by cost' }).locator('tbody tr').first(),
    page.getByRole('table', { name: 'Provider circuits' }).locator('tbody tr').first(),
    page.getByTestId('alerts-firing-count'),
  ];
  for (const locator of ready) await locator.waitFor({ timeout: 60_000 });
}

async function overviewLoad(ui: UiHarness, runs: number) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const { context, page } = await ui.newPage('light');
    await context.request.post(`${ui.gateway.url}/admin/session`, {
      data: { key: ui.gateway.key },
    });
    for (const list of [cold, warm]) {
      if (list === cold) await page.goto('/ui/overview');
      else await page.reload();
      await overviewReady(page);
      list.push(await page.evaluate<number>('performance.now()'));
    }
    await context.close();
  }
  return { cold, warm };
}

/** The API URLs each page requests while it loads (recorded in the browser). */
async function pageApiCalls(ui: UiHarness): Promise<Map<string, string[]>> {
  const { context, page } = await ui.newPage('light');
  await context.request.post(`${ui.gateway.url}/admin/session`, {
    data: { key: ui.gateway.key },
  });
  const calls = new Map<string, string[]>();
  for (const name of PAGES) {
    const urls = new Set<string>();
    const listener = (entry: { url(): string; method(): string }) => {
      const url = new URL(entry.url());
      if (entry.method() === 'GET' && /^\/(admin|health|v1)\//.test(url.pathname))
        urls.add(`${url.pathname}${url.search}`);
    };
    page.on('request', listener);
    await page.goto(`/ui/${name}`);
    // The page's calls start once its code has run: wait for its heading, then for quiet.
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    page.off('request', listener);
    calls.set(name, [...urls]);
  }
  await context.close();
  return calls;
}

async function apiLatency(ui: UiHarness, url: string) {
  const times: number[] = [];
  let status = 0;
  for (let run = 0; run < 53; run += 1) {
    const begun = performance.now();
    const response = await request(`${ui.gateway.url}${url}`, {
      headers: { authorization: `Bearer ${ui.gateway.key}` },
    });
    await response.body.dump();
    if (run >= 3) times.push(performance.now() - begun);
    status = response.statusCode;
  }
  return { status, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

export async function runOverviewBenchmark(bundle: { jsGzipBytes: number; cssGzipBytes: number }) {
  const rows = Number(argument('rows') ?? 1_000_000);
  const runs = Number(argument('runs') ?? 10);
  if (!hasChromium) {
    console.log('overview at scale NOT MEASURED: /usr/bin/chromium is missing');
    return;
  }
  const adminUrl = process.env.SIGNALBOX_BENCH_DATABASE_URL ?? null;
  const scratch = `signalbox_bench_ui_${String(process.pid)}`;
  let env: Record<string, string> = {};
  if (adminUrl !== null) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${scratch}`);
    await client.end();
    const url = new URL(adminUrl);
    url.pathname = `/${scratch}`;
    env = { SIGNALBOX_DATABASE_URL: url.toString() };
  }
  const backend = adminUrl === null ? 'pglite' : 'postgres';
  const ui = await startUiHarness(env);
  try {
    const seconds = await populate(ui.gateway.app.database, rows);
    console.log(
      `  ${backend}: ${String(rows)} ledger rows over ${String(DAYS)} days and their rollups made in ${seconds.toFixed(1)} s`,
    );
    const load = await overviewLoad(ui, runs);
    const ms = (values: number[], q: number) => `${percentile(values, q).toFixed(0)} ms`;
    console.log(
      `  Overview navigation → interactive, ${String(runs)} runs (target <= 1000 ms): ` +
        `cold p50 ${ms(load.cold, 0.5)} p95 ${ms(load.cold, 0.95)}; ` +
        `warm p50 ${ms(load.warm, 0.5)} p95 ${ms(load.warm, 0.95)}`,
    );
    const calls = await pageApiCalls(ui);
    const api: { page: string; url: string; status: number; p50: number; p95: number }[] = [];
    console.log('  API calls of each page, 50 runs each (target p95 <= 200 ms):');
    for (const [page, urls] of calls)
      for (const url of urls) {
        const measured = await apiLatency(ui, url);
        api.push({ page, url, ...measured });
        console.log(
          `    ${page.padEnd(16)} ${measured.p95.toFixed(1).padStart(7)} ms p95 ${measured.p50.toFixed(1).padStart(7)} ms p50  ${String(measured.status)} ${url}`,
        );
      }
    const worst = api.reduce((max, entry) => Math.max(max, entry.p95), 0);
    console.log(`  slowest API call p95: ${worst.toFixed(1)} ms`);
    const directory = path.resolve(import.meta.dirname, 'results');
    await mkdir(directory, { recursive: true });
    const file = path.join(directory, `ui-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(
      file,
      `${JSON.stringify(
        {
          backend,
          rows,
          runs,
          bundle,
          overview: {
            coldP50Ms: percentile(load.cold, 0.5),
            coldP95Ms: percentile(load.cold, 0.95),
            warmP50Ms: percentile(load.warm, 0.5),
            warmP95Ms: percentile(load.warm, 0.95),
            coldMs: load.cold,
            warmMs: load.warm,
          },
          api,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`  saved ${path.relative(path.resolve(import.meta.dirname, '..'), file)}`);
  } finally {
    await ui.close();
    if (adminUrl !== null) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
      await client.end();
    }
  }
}

if (import.meta.main) {
  const bundle = await initialBundle();
  await runOverviewBenchmark({ jsGzipBytes: bundle.js, cssGzipBytes: bundle.css });
}
