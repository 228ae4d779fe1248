/**
 * Dashboard benchmark (the end of `npm run bench`, or `npm run bench:ui`): in Debian's Chromium
 * over loopback against a gateway in demo mode with 200 ledger rows, the time from navigation
 * to the first page showing its data ("interactive": the Requests table filled; the Models
 * table filled), cold (fresh profile, empty cache) and warm (reload); the initial JavaScript
 * and CSS as sent gzip-compressed (target <= 300 KB JS); and the p95 of each page's API calls.
 * Then bench/ui-overview.ts: the Overview and every page's API calls with 1 000 000 ledger rows.
 * Prints the figures; it asserts nothing. Needs /usr/bin/chromium and a built dashboard.
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { hasChromium, startUiHarness, type UiHarness } from '../test/ui/browser.ts';
import { runOverviewBenchmark } from './ui-overview.ts';
import { initialBundle } from './ui-bundle.ts';

const RUNS = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function seed(ui: UiHarness, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: index % 2 === 0 ? 'openai/gpt-4o-mini' : 'google/gemini-2.5-flash',
        messages: [{ role: 'user', content: `request ${index}` }],
      }),
    });
    await response.body.dump();
  }
}

async function pageLoad(
  ui: UiHarness,
  path: string,
  ready: string,
): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { context, page } = await ui.newPage('light');
    // Log in through the API (the cookie lands in this fresh profile), not through the page.
    await context.request.post(`${ui.gateway.url}/admin/session`, {
      data: { key: ui.gateway.key },
    });
    for (const list of [cold, warm]) {
      if (list === cold) await page.goto(path);
      else await page.reload();
      await page.locator(ready).first().waitFor();
      list.push(await page.evaluate<number>('performance.now()'));
    }
    await context.close();
  }
  return { cold, warm };
}

async function apiLatency(ui: UiHarness, path: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < 50; run += 1) {
    const start = performance.now();
    const response = await request(`${ui.gateway.url}${path}`, {
      headers: { authorization: `Bearer ${ui.gateway.key}` },
    });
    await response.body.dump();
    times.push(performance.now() - start);
  }
  return percentile(times, 95);
}

export async function runUiBenchmark(): Promise<void> {
  const bundle = await initialBundle();
  console.log(
    `initial load, gzip: JavaScript ${(bundle.js / 1024).toFixed(1)} KB (target <= 300 KB), CSS ${(bundle.css / 1024).toFixed(1)} KB — ${bundle.files.join(', ')}`,
  );
  if (!hasChromium) {
    console.log('page-load figures NOT MEASURED: /usr/bin/chromium is missing');
    return;
  }
  const ui = await startUiHarness();
  try {
    await seed(ui, 200);
    for (const [name, url, ready] of [
      ['Requests (first page)', '/ui/requests', 'table[aria-label="Ledger requests"] tbody tr'],
      ['Models', '/ui/models', 'table[aria-label="Models"] tbody tr'],
    ] as const) {
      const { cold, warm } = await pageLoad(ui, url, ready);
      console.log(
        `${name.padEnd(22)} navigation → data shown, ${RUNS} runs: cold p50 ${ms(percentile(cold, 50))} p95 ${ms(percentile(cold, 95))}; warm p50 ${ms(percentile(warm, 50))} p95 ${ms(percentile(warm, 95))}`,
      );
    }
    for (const path of [
      '/admin/session',
      '/admin/requests?limit=50',
      '/admin/catalog/models?sort=name&limit=50',
      '/admin/catalog/models/openai/gpt-4o',
    ])
      console.log(`API p95 ${path.padEnd(42)} ${(await apiLatency(ui, path)).toFixed(1)} ms`);
  } finally {
    await ui.close();
  }
  console.log(
    `\ndashboard at scale (${process.argv.find((arg) => arg.startsWith('--rows=')) ?? '1 000 000 rows'}):`,
  );
  await runOverviewBenchmark({ jsGzipBytes: bundle.js, cssGzipBytes: bundle.css });
}

if (import.meta.main) await runUiBenchmark();
