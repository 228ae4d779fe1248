/**
 * `npm run bench:memory` (issue 13): start-up time and memory of the gateway process, measured
 * from outside (/proc/<pid>/status VmRSS) on the same zero-delay emulator as `npm run bench`.
 * For each ledger backend (PGlite always; PostgreSQL when BENCH_DATABASE_URL is set):
 * 1. start-up to ready on an existing data directory (the second start; the first creates and
 *    migrates it, and fills Node's compile cache), median of 3 starts, wall time and the CPU time
 *    the process had used by then (steadier on a busy machine);
 * 2. RSS idle 5 s after ready;
 * 3. RSS after `--load-seconds` (default 60) of wrk at 64 connections (JSON), and again after
 *    `--soak-seconds` more (default 0; e.g. 600 for the 10-minute soak): the slope in MB/min says
 *    whether memory grows.
 * The gateway runs with the Node flags `npm start` and the Docker image give it
 * (`--max-semi-space-size=16`; `--node-args="…"` replaces them, `--node-args=` drops them), from
 * the TypeScript sources, or with `--dist` from the compiled package (`npm run build` first).
 * Targets: start-up <= 1 s; RSS <= 150 MB idle and <= 250 MB after load on PostgreSQL;
 * <= 350 MB with PGlite; no growth over the soak.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProcess, type StartedProcess } from './start-process.ts';
import { ensureWrk, runWrk } from './wrk.ts';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const LOAD_SECONDS = Number(argument('load-seconds') ?? 60);
const SOAK_SECONDS = Number(argument('soak-seconds') ?? 0);
const NODE_ARGS = (argument('node-args') ?? '--max-semi-space-size=16').split(' ').filter(Boolean);
const DIST = process.argv.includes('--dist') ? ['--dist'] : [];

function stop(started: StartedProcess): Promise<void> {
  return new Promise((resolve) => {
    started.child.once('exit', () => {
      resolve();
    });
    started.child.kill('SIGTERM');
  });
}

/** Resident set size of a process, MB. */
function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

/** The process's peak resident set size so far (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function measure(label: string, upstream: string, extra: string[]): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-bench-memory-'));
  const args = ['bench/gateway-server.ts', upstream, `--data-dir=${dataDir}`, ...DIST, ...extra];
  try {
    // The first start creates and migrates the data directory.
    await stop(await startProcess(args, NODE_ARGS));
    const startups: number[] = [];
    const startupCpu: number[] = [];
    for (let run = 0; run < 3; run += 1) {
      const server = await startProcess(args, NODE_ARGS);
      startups.push(server.readyMs);
      if (server.readyCpuMs !== null) startupCpu.push(server.readyCpuMs);
      if (run < 2) await stop(server);
      else {
        await sleep(5_000);
        const idle = rssMb(server.child.pid ?? 0);
        console.log(
          `${label}: start-up to ready ${median(startups).toFixed(0)} ms (runs ${startups.map((ms) => ms.toFixed(0)).join('/')}; CPU ${median(startupCpu).toFixed(0)} ms), RSS idle ${String(idle)} MB`,
        );
        const body = JSON.stringify({
          model: 'openai/gpt-4o',
          messages: [{ role: 'user', content: 'Say hello.' }],
        });
        const load = (seconds: number) =>
          runWrk({
            url: `${server.url}/v1/chat/completions`,
            connections: 64,
            durationSeconds: seconds,
            headers: {
              authorization: 'Bearer sb-bench-master-key-0000000000',
              'content-type': 'application/json',
            },
            body,
          });
        const loaded = await load(LOAD_SECONDS);
        const afterLoad = rssMb(server.child.pid ?? 0);
        console.log(
          `${label}: RSS after ${String(LOAD_SECONDS)} s at 64 connections ${String(afterLoad)} MB, peak ${String(peakRssMb(server.child.pid ?? 0))} MB (${String(loaded.requests)} requests)`,
        );
        if (SOAK_SECONDS > 0) {
          const soaked = await load(SOAK_SECONDS);
          const afterSoak = rssMb(server.child.pid ?? 0);
          const slope = ((afterSoak - afterLoad) / SOAK_SECONDS) * 60;
          console.log(
            `${label}: RSS after ${String(SOAK_SECONDS)} s more ${String(afterSoak)} MB (${String(soaked.requests)} requests): ${slope.toFixed(2)} MB/min`,
          );
        }
        await stop(server);
      }
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

ensureWrk();
const emulator = await startProcess(['src/cli/main.ts', 'emulator', '--port', '0']);
const upstream = `${emulator.url}/api/v1`;
try {
  console.log(`gateway: ${DIST.length > 0 ? 'dist/' : 'sources'}, node ${NODE_ARGS.join(' ')}`);
  await measure('PGlite', upstream, []);
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (databaseUrl !== undefined && databaseUrl !== '')
    await measure('PostgreSQL', upstream, [`--database-url=${databaseUrl}`]);
} finally {
  emulator.child.kill('SIGTERM');
}
