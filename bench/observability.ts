/**
 * `npm run bench:observability`: the CPU each request pays for Prometheus metrics and for
 * OpenTelemetry tracing, measured on their own (the gateway's end-to-end figures are too noisy
 * to resolve a few tens of µs). For each, the settlement listener (and the HTTP access metric) is
 * fed the same settled request many times — a streamed success with one attempt, its usage and
 * cost, as the pipeline settled it (bench/ledger-record.ts) — and the process CPU time (`process.cpuUsage()`, user +
 * system) is divided by the number of requests. Tracing exports for real: batched OTLP/HTTP
 * (JSON) to a local receiver (another process) that reads and counts the spans, so serialising
 * and sending count.
 * Options: --requests=<n> (200 000 for metrics, a quarter of that for tracing), --rounds=<n> (3).
 * Tracing off costs nothing by construction (its modules are not even loaded).
 */
import { spawn } from 'node:child_process';
import type { RequestRecord } from '../src/contracts/ledger.ts';
import { MASTER_PRINCIPAL } from '../src/contracts/principal.ts';
import { createTracing } from '../src/usage/otel-tracing.ts';
import { createPrometheusMetrics } from '../src/usage/prometheus-metrics.ts';
import type { Settlement, SettlementTrace } from '../src/usage/settlement.ts';
import { benchRecord } from './ledger-record.ts';

const REQUESTS = Number(
  process.argv.find((arg) => arg.startsWith('--requests='))?.slice(11) ?? 200_000,
);
const ROUNDS = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 3);

const startedAt = new Date();
// A request the gateway settled (bench/ledger-record.ts), streamed, under a key and a project.
const record: RequestRecord = benchRecord('req_bench00000000000000', startedAt, {
  stream: true,
  keyId: 'key_bench',
  projectId: 'proj_bench',
});

const settled: Settlement = { record, principal: MASTER_PRINCIPAL, decision: null, tags: {} };

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function metricsRound(requests: number): Promise<number> {
  const metrics = createPrometheusMetrics({ processMetrics: false });
  const settle = metrics.listener.onSettled?.bind(metrics.listener);
  const attempt = metrics.listener.onAttempt?.bind(metrics.listener);
  const before = cpuMicros();
  for (let index = 0; index < requests; index += 1) {
    for (const each of record.attempts) attempt?.(each, record.id);
    await settle?.(settled);
    metrics.httpRequest('POST', '/v1/chat/completions', 200, record.latencyMs);
  }
  return (cpuMicros() - before) / requests;
}

/**
 * A local OTLP/HTTP receiver in its own process (its CPU is not the gateway's): reads every
 * export and counts its spans; `GET /count` answers the total.
 */
const RECEIVER = `
import { createServer } from 'node:http';
let spans = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET') return response.end(String(spans));
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const resource of body.resourceSpans ?? [])
      for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.listen(0, '127.0.0.1', () => console.log('READY http://127.0.0.1:' + server.address().port));
`;

async function startReceiver(): Promise<{
  url: string;
  spans: () => Promise<number>;
  close(): void;
}> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RECEIVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      const match = /READY (\S+)/.exec(data.toString());
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', () => {
      reject(new Error('the OTLP receiver exited'));
    });
  });
  return {
    url: `${origin}/v1/traces`,
    spans: async () => Number(await (await fetch(`${origin}/count`)).text()),
    close: () => child.kill(),
  };
}

async function tracingRound(requests: number): Promise<{ micros: number; spans: number }> {
  const receiver = await startReceiver();
  const tracing = await createTracing({ url: receiver.url, serviceName: 'signalbox-bench' });
  const settle = tracing.listener.onSettled?.bind(tracing.listener);
  const before = cpuMicros();
  for (let index = 0; index < requests; index += 1) {
    const trace: SettlementTrace = {
      traceId: (index + 1).toString(16).padStart(32, '0'),
      parentSpanId: null,
      spanId: (index + 1).toString(16).padStart(16, '0'),
      attemptSpanIds: [(index + 1).toString(16).padStart(16, 'a')],
    };
    await settle?.({ ...settled, trace });
    // Leave the batch processor time to export (a full batch is 512 spans): a gateway settles
    // far fewer requests per second than this loop, and a full queue would drop spans unmeasured.
    if (index % 128 === 127) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await tracing.close();
  const micros = (cpuMicros() - before) / requests;
  const spans = await receiver.spans();
  receiver.close();
  return { micros, spans };
}

const metricsRuns: number[] = [];
const tracingRuns: number[] = [];
const tracingRequests = Math.max(1, Math.floor(REQUESTS / 4));
await metricsRound(Math.min(REQUESTS, 20_000)); // warm-up
for (let round = 0; round < ROUNDS; round += 1) {
  const metrics = await metricsRound(REQUESTS);
  metricsRuns.push(metrics);
  const tracing = await tracingRound(tracingRequests);
  tracingRuns.push(tracing.micros);
  console.log(
    `round ${String(round + 1)}/${String(ROUNDS)}: metrics ${metrics.toFixed(2)} µs/request, ` +
      `tracing ${tracing.micros.toFixed(2)} µs/request (${String(tracing.spans)} of ` +
      `${String(tracingRequests * 2)} spans received)`,
  );
}
console.log(
  `Per request (median of ${String(ROUNDS)}): Prometheus metrics ${median(metricsRuns).toFixed(2)} µs CPU; ` +
    `OpenTelemetry tracing (OTLP/HTTP export) ${median(tracingRuns).toFixed(2)} µs CPU; tracing off: 0.`,
);
