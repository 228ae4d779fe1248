/**
 * The fault suite's bench: a gateway in live mode whose upstreams — OpenRouter and a direct
 * Anthropic provider (and optionally OpenAI) — are one external emulator, so faults can fail one
 * provider and not the other (the Anthropic dialect sees native names such as
 * `claude-sonnet-4-5`, OpenRouter sees `anthropic/claude-sonnet-4.5`). The gateway's log is
 * captured so tests can count warnings, and the emulator's ledger counts upstream attempts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { request } from 'undici';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';

export const MASTER_KEY = 'sb-fault-suite-master-key-0001';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface FaultBench {
  app: SignalboxApp;
  url: string;
  emulator: Emulator;
  /** Every line the gateway logged at info level or above, parsed. */
  logs: LogLine[];
  close(): Promise<void>;
}

export interface RunningEmulator {
  emulator: Emulator;
  origin: string;
}

export async function startEmulator(): Promise<RunningEmulator> {
  const emulator = createEmulator();
  return { emulator, origin: await emulator.listen({ port: 0 }) };
}

export interface FaultBenchOptions {
  /** Share an emulator between gateways (the caller closes it); default: a new one. */
  upstream?: RunningEmulator;
  /** Also configure OpenAI as a direct provider. */
  openai?: boolean;
}

/**
 * Starts an emulator (unless given) and a gateway on it. `env` overrides the defaults (every
 * resilience setting keeps the product's default unless a test sets it).
 */
export async function startFaultBench(
  env: Record<string, string> = {},
  options: FaultBenchOptions = {},
): Promise<FaultBench> {
  const { emulator, origin } = options.upstream ?? (await startEmulator());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-faults-'));
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') logs.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  const app = await createApp(
    loadConfig({
      PORT: '0',
      SIGNALBOX_DATA_DIR: dataDir,
      SIGNALBOX_MASTER_KEY: MASTER_KEY,
      OPENROUTER_API_KEY: 'sk-or-v1-fault-suite-0000000000',
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-fault-suite',
      ANTHROPIC_BASE_URL: origin,
      ...(options.openai === true
        ? { OPENAI_API_KEY: 'sk-fault-suite-openai', OPENAI_BASE_URL: `${origin}/v1` }
        : {}),
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
      SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS: '0',
      ...env,
    }),
    { logger: pino({ level: 'info' }, sink) },
  );
  const url = await app.listen();
  return {
    app,
    url,
    emulator,
    logs,
    close: async () => {
      await app.close();
      if (options.upstream === undefined) await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChatAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** From sending the request to the end of the body, ms. */
  elapsedMs: number;
  /** Streams: from sending the request to the first content delta, ms; null when none came. */
  firstTokenMs: number | null;
}

/** One chat request through the gateway. */
export async function chat(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<ChatAnswer> {
  const started = performance.now();
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${MASTER_KEY}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({
      messages: [{ role: 'user', content: 'Tell me about signal boxes on railways.' }],
      ...body,
    }),
  });
  let text = '';
  let firstTokenMs: number | null = null;
  for await (const chunk of response.body) {
    text += (chunk as Buffer).toString('utf8');
    if (firstTokenMs === null && /"content":"[^"]/.test(text))
      firstTokenMs = performance.now() - started;
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    elapsedMs: performance.now() - started,
    firstTokenMs,
  };
}

/** Served by OpenRouter only and never faulted: warm-up traffic. */
export const WARM_UP_MODEL = 'deepseek/deepseek-r1';

/**
 * A few JSON and stream requests so timings measure a running gateway, not the first request's
 * module loading and JIT compilation (hundreds of ms on a loaded machine); then the emulator's
 * ledger is emptied so attempt counts start at zero.
 */
export async function warmUp(bench: FaultBench): Promise<void> {
  for (let index = 0; index < 3; index += 1) {
    await chat(bench.url, { model: WARM_UP_MODEL });
    await chat(bench.url, { model: WARM_UP_MODEL, stream: true });
  }
  bench.emulator.clearLedger();
}

/** Runs `count` calls of `task` with at most `concurrency` in flight; results in call order. */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Upstream attempts the emulator received, by dialect (`openrouter` for OpenRouter's own API). */
export function upstreamAttempts(emulator: Emulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of emulator.ledger) {
    const dialect = entry.dialect ?? 'openrouter';
    counts[dialect] = (counts[dialect] ?? 0) + 1;
  }
  return counts;
}

/** `GET /health/ready`. */
export async function readiness(url: string): Promise<{ status: number; body: ReadyBody }> {
  const response = await request(`${url}/health/ready`);
  return { status: response.statusCode, body: (await response.body.json()) as ReadyBody };
}

export interface ReadyBody {
  status: 'ready' | 'degraded' | 'not_ready';
  providers: {
    id: string;
    circuit: string;
    provider_circuit: string;
    open_targets: number;
    open_until: string | null;
  }[];
  health_registry: { shared: boolean; reachable: boolean };
}

/** Prints one result line the lead can quote (vitest shows console output). */
export function report(label: string, values: Record<string, unknown>): void {
  const fields = Object.entries(values)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? round(value) : String(value)}`)
    .join(' ');
  console.log(`[fault suite] ${label}: ${fields}`);
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
