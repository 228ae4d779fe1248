/**
 * The pipeline issue's acceptance numbers, measured through the whole gateway against the
 * emulator's faults with the product's default resilience settings (one gateway, each scenario
 * on its own model so their circuits do not meet):
 * - the direct provider (Anthropic) answers 503 to everything while OpenRouter is healthy:
 *   ≥ 99.9 % client success over 1,000 requests at concurrency 20, and upstream attempts per
 *   client request ≤ 1.25 (the circuit opens after three failures instead of every request
 *   paying a failed attempt first);
 * - a hung primary (no first token): the first token comes from the fallback within 5.5 s
 *   (SIGNALBOX_FALLBACK_TTFT_MS, default 5000);
 * - no request outlives its deadline (`x-signalbox-timeout-ms`) by more than 100 ms.
 * Each result is printed (`[fault suite] …`) so it can be quoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayLedger } from '../helpers/start-gateway.ts';
import {
  chat,
  MASTER_KEY,
  report,
  runConcurrently,
  startFaultBench,
  upstreamAttempts,
  warmUp,
  type FaultBench,
} from '../helpers/fault-bench.ts';
import { summariseSse } from '../helpers/sse.ts';

let bench: FaultBench;

beforeAll(async () => {
  bench = await startFaultBench();
  await warmUp(bench);
});

afterAll(async () => {
  await bench.close();
});

describe('primary down (100 % 503), healthy fallback', () => {
  it('≥ 99.9 % success and ≤ 1.25 upstream attempts per request over 1,000 requests', async () => {
    bench.emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 503, times: 0 });
    const requests = 1_000;
    const before = new Set(
      (await gatewayLedger({ url: bench.url, key: MASTER_KEY })).map((row) => row.id),
    );
    bench.emulator.clearLedger();
    const started = performance.now();
    const answers = await runConcurrently(requests, 20, () =>
      chat(bench.url, { model: 'anthropic/claude-sonnet-4.5' }),
    );
    const seconds = (performance.now() - started) / 1000;
    const succeeded = answers.filter(
      (answer) =>
        answer.status === 200 &&
        answer.headers['x-signalbox-fallback-reply'] === undefined &&
        answer.headers['x-signalbox-provider'] === 'openrouter',
    ).length;
    const byDialect = upstreamAttempts(bench.emulator);
    const attempts = bench.emulator.ledger.length;
    const rows = (await gatewayLedger({ url: bench.url, key: MASTER_KEY })).filter(
      (row) => !before.has(row.id),
    );
    const recordedAttempts = rows.reduce((sum, row) => sum + row.attempts.length, 0);
    report('primary 503, healthy fallback (= only the direct provider down)', {
      requests,
      concurrency: 20,
      successRate: succeeded / requests,
      upstreamAttempts: attempts,
      attemptsPerRequest: attempts / requests,
      beforeRedesign: 2.0,
      primaryAttempts: byDialect.anthropic ?? 0,
      fallbackAttempts: byDialect.openrouter ?? 0,
      seconds,
    });
    expect(succeeded / requests).toBeGreaterThanOrEqual(0.999);
    expect(attempts / requests).toBeLessThanOrEqual(1.25);
    // The gateway's ledger accounts for every upstream attempt the emulator saw.
    expect(rows).toHaveLength(requests);
    expect(recordedAttempts).toBe(attempts);
  });
});

describe('hung primary', () => {
  it('the first token comes from the fallback within 5.5 s (default SIGNALBOX_FALLBACK_TTFT_MS)', async () => {
    // One hangs after its headers, one before them; each request takes one of the two faults.
    for (const fault of [{ delayBeforeFirstTokenMs: 60_000 }, { delayBeforeHeadersMs: 60_000 }])
      bench.emulator.addFault({ match: { model: 'claude-haiku-4-5', stream: true }, ...fault });
    const answers = await Promise.all(
      [0, 1].map(() => chat(bench.url, { model: 'anthropic/claude-haiku-4.5', stream: true })),
    );
    report('hung primary, first token from the fallback', {
      firstTokenMs: answers.map((answer) => Math.round(answer.firstTokenMs ?? -1)).join('/'),
      limitMs: 5_500,
    });
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers['x-signalbox-provider']).toBe('openrouter');
      const summary = summariseSse(answer.text);
      expect(summary.errors).toEqual([]);
      expect(summary.done).toBe(true);
      expect(answer.firstTokenMs ?? Infinity).toBeGreaterThanOrEqual(4_990);
      expect(answer.firstTokenMs ?? Infinity).toBeLessThanOrEqual(5_500);
    }
  });
});

describe('whole-request deadline', () => {
  interface DeadlineCase {
    name: string;
    /** Canonical model requested, and the model name the faulted upstream sees. */
    model: string;
    faulted: string;
    stream: boolean;
    timeoutMs: number;
    fault: Record<string, unknown>;
    /** What the client sees when the deadline ends the request. */
    expect: 'error' | 'in-band';
  }

  const cases: DeadlineCase[] = [
    {
      name: 'hung upstream (no headers)',
      model: 'openai/gpt-4o',
      faulted: 'openai/gpt-4o',
      stream: false,
      timeoutMs: 800,
      fault: { delayBeforeHeadersMs: 30_000 },
      expect: 'error',
    },
    {
      name: 'retries with backoff',
      model: 'openai/gpt-4o-mini',
      faulted: 'openai/gpt-4o-mini',
      stream: false,
      timeoutMs: 1_000,
      fault: { delayBeforeHeadersMs: 400, status: 503, headers: { 'retry-after-ms': '200' } },
      expect: 'error',
    },
    {
      name: 'stream with no first token (last candidate)',
      model: 'openai/gpt-4o',
      faulted: 'openai/gpt-4o',
      stream: true,
      timeoutMs: 700,
      fault: { delayBeforeFirstTokenMs: 30_000 },
      expect: 'error',
    },
    {
      name: 'hung primary with a fallback, deadline before the TTFT switch',
      model: 'anthropic/claude-opus-4.5',
      faulted: 'claude-opus-4-5',
      stream: true,
      timeoutMs: 1_200,
      fault: { delayBeforeFirstTokenMs: 30_000 },
      expect: 'error',
    },
    {
      name: 'slow stream after the commit point',
      model: 'openai/gpt-4o-2024-08-06',
      faulted: 'openai/gpt-4o-2024-08-06',
      stream: true,
      timeoutMs: 900,
      fault: { delayBetweenChunksMs: 150 },
      expect: 'in-band',
    },
  ];

  it('no request outlives its deadline by more than 100 ms', async () => {
    const repetitions = 3;
    for (const entry of cases) {
      bench.emulator.addFault({
        match: { model: entry.faulted, stream: entry.stream },
        times: 0,
        ...entry.fault,
      });
    }
    const results = await Promise.all(
      cases.flatMap((entry) =>
        Array.from({ length: repetitions }, async () => {
          const answer = await chat(
            bench.url,
            { model: entry.model, stream: entry.stream },
            { 'x-signalbox-timeout-ms': String(entry.timeoutMs) },
          );
          return { entry, answer, overrunMs: answer.elapsedMs - entry.timeoutMs };
        }),
      ),
    );
    for (const entry of cases) {
      const mine = results.filter((result) => result.entry === entry);
      report(`deadline: ${entry.name}`, {
        timeoutMs: entry.timeoutMs,
        requests: mine.length,
        maxOverrunMs: Math.max(...mine.map((result) => result.overrunMs)),
      });
    }
    for (const { entry, answer, overrunMs } of results) {
      expect(overrunMs, entry.name).toBeLessThanOrEqual(100);
      // The deadline is what ended it: not much earlier either.
      expect(overrunMs, entry.name).toBeGreaterThanOrEqual(-20);
      if (entry.expect === 'error') {
        expect(answer.status, entry.name).toBe(504);
        expect(JSON.parse(answer.text), entry.name).toMatchObject({
          error: { code: 'deadline_exceeded' },
        });
      } else {
        expect(answer.status, entry.name).toBe(200);
        const summary = summariseSse(answer.text);
        expect(summary.content).toMatch(/\S/);
        expect(summary.errors).toEqual([expect.objectContaining({ code: 'deadline_exceeded' })]);
        expect(summary.done).toBe(true);
      }
    }
  });
});
