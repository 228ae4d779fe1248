/**
 * `npm run bench`: the gateway against a bare Fastify + undici pass-through, both in front of
 * the same zero-delay emulator, driven by wrk (bench/wrk.ts: an external load generator, so the
 * generator's own CPU never counts against the Node processes) on loopback. For each target, mode
 * (JSON, SSE stream) and connection count (16, 64) it prints requests/s, latency p50/p99 and
 * the proxy process's CPU time per request (from /proc/<pid>/stat; and of its main thread, the
 * event loop's, from /proc/<pid>/task/<pid>/stat), then the ratios
 * gateway/baseline (medians of interleaved rounds), and saves everything to bench/results/<date>.json.
 * Targets: gateway/baseline CPU per request <= 2, throughput >= 0.5, with the ledger on.
 * Options: --duration=<s> (5), --rounds=<n> (3), --gateway-only (skip the other benchmarks),
 * --compare=<checkout dir> (also run that checkout's gateway, e.g. an earlier commit's worktree),
 * --ledger-parts (also the gateway journaling its ledger without the database insert).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startProcess, type StartedProcess } from './start-process.ts';
import { ensureWrk, runWrk } from './wrk.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION_S = Number(
  process.argv.find((arg) => arg.startsWith('--duration='))?.slice(11) ?? 5,
);
const ROUNDS = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 3);
const CLOCK_TICKS = 100;

/** utime + stime of a process (all its threads), in µs. */
function cpuMicros(pid: number): number {
  return statMicros(`/proc/${pid}/stat`);
}

/**
 * utime + stime of a process's main thread (its thread id is its pid), in µs: the event loop's
 * thread, which limits a Node process's throughput once it is saturated (the others are V8's
 * garbage collector and libuv's pool).
 */
function mainThreadCpuMicros(pid: number): number {
  return statMicros(`/proc/${pid}/task/${pid}/stat`);
}

function statMicros(file: string): number {
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
}

interface Measurement {
  target: string;
  mode: 'json' | 'stream';
  connections: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuMicrosPerRequest: number;
  /** Of which the main (event-loop) thread's. */
  mainThreadCpuMicrosPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function load(
  server: StartedProcess,
  mode: 'json' | 'stream',
  connections: number,
  duration: number,
) {
  return runWrk({
    url: `${server.url}/v1/chat/completions`,
    connections,
    durationSeconds: duration,
    headers: {
      authorization: `Bearer ${server.key ?? 'sb-bench-master-key-0000000000'}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Say hello.' }],
      stream: mode === 'stream',
    }),
  });
}

async function measure(
  target: string,
  server: StartedProcess,
  mode: 'json' | 'stream',
  connections: number,
): Promise<Measurement> {
  const pid = server.child.pid ?? 0;
  await load(server, mode, connections, 1);
  await settle();
  const before = cpuMicros(pid);
  const mainBefore = mainThreadCpuMicros(pid);
  const result = await load(server, mode, connections, DURATION_S);
  // Background work a request causes (the ledger's bulk insert, ≤ 200 ms later) is its cost too.
  await settle();
  const cpu = cpuMicros(pid) - before;
  const mainThread = mainThreadCpuMicros(pid) - mainBefore;
  const requests = result.requests;
  return {
    target,
    mode,
    connections,
    requestsPerSecond: result.requestsPerSecond,
    latencyP50Ms: result.latencyP50Ms,
    latencyP99Ms: result.latencyP99Ms,
    cpuMicrosPerRequest: Math.round(cpu / Math.max(1, requests)),
    mainThreadCpuMicrosPerRequest: Math.round(mainThread / Math.max(1, requests)),
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 500));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The median of each figure over the rounds (docs/performance.md: medians of 3 interleaved runs). */
function summarise(runs: Measurement[]): Measurement {
  const first = runs[0];
  if (first === undefined) throw new Error('no runs');
  return {
    ...first,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    latencyP50Ms: median(runs.map((run) => run.latencyP50Ms)),
    latencyP99Ms: median(runs.map((run) => run.latencyP99Ms)),
    cpuMicrosPerRequest: median(runs.map((run) => run.cpuMicrosPerRequest)),
    mainThreadCpuMicrosPerRequest: median(runs.map((run) => run.mainThreadCpuMicrosPerRequest)),
    requests: runs.reduce((total, run) => total + run.requests, 0),
    non2xx: runs.reduce((total, run) => total + run.non2xx, 0),
    errors: runs.reduce((total, run) => total + run.errors, 0),
  };
}

ensureWrk();
const emulator = await startProcess(['src/cli/main.ts', 'emulator', '--port', '0']);
const upstream = `${emulator.url}/api/v1`;
const targets: [string, string[]][] = [
  ['baseline', ['bench/baseline-proxy.ts', upstream]],
  ['gateway', ['bench/gateway-server.ts', upstream]],
  ['gateway-no-ledger', ['bench/gateway-server.ts', upstream, '--no-ledger']],
];
// `--ledger-parts`: also the gateway with the ledger journaled but never inserted, which splits
// the PGlite ledger's cost into the journal's and the database insert's.
if (process.argv.includes('--ledger-parts'))
  targets.push(['gateway-no-insert', ['bench/gateway-server.ts', upstream, '--no-ledger-insert']]);
// `--compare=<dir>`: also measure the gateway of another checkout (e.g. a worktree of an earlier
// commit, with node_modules), in the same interleaved rounds: `compare` and `compare-no-ledger`.
const compareTree = process.argv.find((arg) => arg.startsWith('--compare='))?.slice(10);
if (compareTree !== undefined) {
  const server = path.resolve(compareTree, 'bench', 'gateway-server.ts');
  targets.push(
    ['compare', [server, upstream]],
    ['compare-no-ledger', [server, upstream, '--no-ledger']],
  );
}
// With BENCH_DATABASE_URL (e.g. the local PostgreSQL), also measure the ledger on PostgreSQL.
const benchDatabaseUrl = process.env.BENCH_DATABASE_URL;
if (benchDatabaseUrl !== undefined && benchDatabaseUrl !== '') {
  targets.push(
    [
      'gateway-postgres',
      ['bench/gateway-server.ts', upstream, `--database-url=${benchDatabaseUrl}`],
    ],
    // The whole pipeline issue 13's targets name: a virtual key with rate limits, a concurrency
    // cap and a budget (reserved and settled per request) on PostgreSQL, limits state in Redis
    // when BENCH_REDIS_URL is set.
    [
      'gateway-full',
      [
        'bench/gateway-server.ts',
        upstream,
        `--database-url=${benchDatabaseUrl}`,
        '--virtual-key',
        ...(process.env.BENCH_REDIS_URL ? [`--redis-url=${process.env.BENCH_REDIS_URL}`] : []),
      ],
    ],
    // SIGNALBOX_LEDGER_MODE=commit: each request waits for its row's commit (ADR 0017).
    [
      'gateway-pg-commit',
      [
        'bench/gateway-server.ts',
        upstream,
        `--database-url=${benchDatabaseUrl}`,
        '--ledger-mode=commit',
      ],
    ],
  );
}
const measurements: Measurement[] = [];
const servers = new Map<string, StartedProcess>();
try {
  for (const [name, args] of targets) servers.set(name, await startProcess(args));
  for (const mode of ['json', 'stream'] as const) {
    for (const connections of [16, 64]) {
      const runs = new Map<string, Measurement[]>();
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const [name, server] of servers) {
          const list = runs.get(name) ?? [];
          list.push(await measure(name, server, mode, connections));
          runs.set(name, list);
        }
      }
      for (const [name, list] of runs) {
        const measurement = summarise(list);
        measurements.push(measurement);
        console.log(
          `${name.padEnd(18)} ${mode.padEnd(6)} c=${String(connections).padEnd(3)} ${String(measurement.requestsPerSecond).padStart(6)} req/s  ` +
            `p50 ${measurement.latencyP50Ms} ms  p99 ${measurement.latencyP99Ms} ms  CPU ${measurement.cpuMicrosPerRequest} µs/req ` +
            `(main thread ${measurement.mainThreadCpuMicrosPerRequest})  ` +
            `(runs: ${list.map((run) => run.cpuMicrosPerRequest).join('/')} µs; non-2xx ${measurement.non2xx}, errors ${measurement.errors})`,
        );
      }
    }
  }
} finally {
  for (const server of servers.values()) server.child.kill('SIGTERM');
  emulator.child.kill('SIGTERM');
}

const ratios = measurements
  .filter((entry) => entry.target !== 'baseline')
  .map((entry) => {
    const base = measurements.find(
      (b) =>
        b.target === 'baseline' && b.mode === entry.mode && b.connections === entry.connections,
    );
    return {
      target: entry.target,
      mode: entry.mode,
      connections: entry.connections,
      cpuPerRequestRatio: base
        ? Number((entry.cpuMicrosPerRequest / base.cpuMicrosPerRequest).toFixed(2))
        : null,
      throughputRatio: base
        ? Number((entry.requestsPerSecond / base.requestsPerSecond).toFixed(2))
        : null,
    };
  });
console.log('\nratios vs the bare pass-through (targets: CPU <= 2.00, throughput >= 0.50):');
for (const ratio of ratios) {
  console.log(
    `${ratio.target.padEnd(18)} ${ratio.mode.padEnd(6)} c=${String(ratio.connections).padEnd(3)} CPU x${String(ratio.cpuPerRequestRatio)}  throughput x${String(ratio.throughputRatio)}`,
  );
}
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
const file = path.join(
  root,
  'bench',
  'results',
  `gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
await writeFile(
  file,
  `${JSON.stringify({ node: process.version, durationSeconds: DURATION_S, rounds: ROUNDS, measurements, ratios }, null, 2)}\n`,
);
console.log(`\nsaved ${path.relative(root, file)}`);

// `--gateway-only`: the proxy comparison above, without the catalogue, import, dashboard and
// routing benchmarks below.
if (process.argv.includes('--gateway-only')) process.exit(0);

console.log('\ncatalogue:');
await (await import('./catalog.ts')).runCatalogBenchmark();

console.log('\nimport cost of the published entry points:');
(await import('./import-cost.ts')).runImportCostBenchmark();
console.log('\ndashboard:');
await (await import('./ui.ts')).runUiBenchmark();
console.log('\nrouting:');
await (await import('./routing.ts')).runRoutingBenchmark();
