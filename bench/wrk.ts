/**
 * The benchmark's load generator: wrk (Debian's package, installed here when missing), an
 * external C program, so generating the load costs the measured Node processes nothing and
 * little of the machine. One POST body per run; a Lua `done` hook prints the summary as JSON.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses with status ≥ 400. */
  non2xx: number;
  /** Connect, read, write and timeout errors. */
  errors: number;
}

export interface WrkRun {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

const WRK = '/usr/bin/wrk';

/** Installs wrk with apt-get when it is missing. @throws when that fails. */
export function ensureWrk(): void {
  if (existsSync(WRK)) return;
  console.log('installing wrk (apt-get install -y wrk)…');
  execFileSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'inherit' });
}

function luaString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** Runs wrk once (2 threads). @throws when wrk fails or prints no summary. */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const directory = await mkdtemp(path.join(tmpdir(), 'signalbox-wrk-'));
  const script = path.join(directory, 'post.lua');
  const headers = Object.entries(run.headers)
    .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
    .join('\n');
  await writeFile(
    script,
    `wrk.method = "POST"
wrk.body = ${luaString(run.body)}
${headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_SUMMARY {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`,
  );
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(WRK, [
      '-t2',
      `-c${String(run.connections)}`,
      `-d${String(run.durationSeconds)}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      run.url,
    ]);
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(text);
      else reject(new Error(`wrk exited with ${String(code)}: ${text}`));
    });
  });
  const line = /WRK_SUMMARY (\{.*\})/.exec(output)?.[1];
  if (line === undefined) throw new Error(`wrk printed no summary: ${output}`);
  const summary = JSON.parse(line) as {
    requests: number;
    duration_us: number;
    errors: number;
    non2xx: number;
    p50_us: number;
    p99_us: number;
  };
  return {
    requests: summary.requests,
    requestsPerSecond: Math.round(summary.requests / (summary.duration_us / 1e6)),
    latencyP50Ms: summary.p50_us / 1000,
    latencyP99Ms: summary.p99_us / 1000,
    non2xx: summary.non2xx,
    errors: summary.errors,
  };
}
