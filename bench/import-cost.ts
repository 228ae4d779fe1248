/**
 * Import cost of the published entry points (`node bench/import-cost.ts`, and the end of
 * `npm run bench`): builds dist/ as `npm pack` would, then in fresh Node processes imports each
 * entry by its package name (this repository's own `exports`, default condition, so dist/) and
 * reports the import's wall time, the main thread's CPU time during it (user + system; on an idle
 * machine about the wall time, and much steadier than it on a busy one) and the process's resident
 * set size afterwards, with a bare process for reference.
 * Medians of interleaved runs. Target for `signalbox/providers`: ≤ 150 ms and ≤ 80 MB RSS.
 * Prints the figures; it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = 7;
const entries = ['signalbox/providers', 'signalbox/emulator', 'signalbox', 'signalbox/server'];
const targets = { specifier: 'signalbox/providers', milliseconds: 150, megabytes: 80 };

interface Sample {
  milliseconds: number;
  cpuMilliseconds: number;
  megabytes: number;
  modules: number;
}

/** One fresh process; `specifier` null = import nothing (the bare process). */
function sample(specifier: string | null): Sample {
  const script = `
    import { registerHooks } from 'node:module';
    let modules = 0;
    registerHooks({ load(url, context, next) { modules += 1; return next(url, context); } });
    const cpu = process.threadCpuUsage();
    const started = performance.now();
    ${specifier === null ? '' : `await import(${JSON.stringify(specifier)});`}
    const milliseconds = performance.now() - started;
    const { user, system } = process.threadCpuUsage(cpu);
    const cpuMilliseconds = (user + system) / 1000;
    const megabytes = process.memoryUsage.rss() / 2 ** 20;
    console.log(JSON.stringify({ milliseconds, cpuMilliseconds, megabytes, modules }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(output) as Sample;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function runImportCostBenchmark(): void {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-dist.ts')], {
    stdio: 'inherit',
  });
  const names: (string | null)[] = [null, ...entries];
  const samples = new Map<string | null, Sample[]>(names.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const name of names) samples.get(name)?.push(sample(name));
  }
  for (const name of names) {
    const list = samples.get(name) ?? [];
    const milliseconds = median(list.map((entry) => entry.milliseconds));
    const cpuMilliseconds = median(list.map((entry) => entry.cpuMilliseconds));
    const megabytes = median(list.map((entry) => entry.megabytes));
    const modules = median(list.map((entry) => entry.modules));
    const verdict =
      name === targets.specifier
        ? `  (targets ≤ ${targets.milliseconds} ms, ≤ ${targets.megabytes} MB: ${
            milliseconds <= targets.milliseconds && megabytes <= targets.megabytes
              ? 'met'
              : 'NOT met'
          })`
        : '';
    console.log(
      `${(name ?? '(bare node)').padEnd(20)} import ${milliseconds.toFixed(0).padStart(5)} ms ` +
        `(main-thread CPU ${cpuMilliseconds.toFixed(0).padStart(5)} ms)  ` +
        `RSS ${megabytes.toFixed(1).padStart(6)} MB  ${String(modules).padStart(4)} modules` +
        `  (runs: ${list.map((entry) => entry.milliseconds.toFixed(0)).join('/')} ms)${verdict}`,
    );
  }
}

if (import.meta.main) runImportCostBenchmark();
