/**
 * Starts a benchmark's child process (the emulator, a gateway under test, the bare pass-through)
 * with the running Node from the repository root, and resolves once it prints where it listens:
 * `READY <url>` (bench/gateway-server.ts, bench/baseline-proxy.ts) or the emulator's banner.
 * `readyMs` is the time from spawn to that line; `readyCpuMs` the CPU time (user + system, all
 * threads) the process had used by then, steadier than the wall time on a busy machine (Linux
 * /proc; null elsewhere). `nodeArgs` go to Node before the script (e.g. V8 flags).
 * Rejects if the process exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface StartedProcess {
  child: ChildProcess;
  url: string;
  readyMs: number;
  readyCpuMs: number | null;
  /** The bearer key to send, when the process printed one (`READY <url> KEY <key>`). */
  key?: string;
}

/** CPU time used so far by a process, ms (Linux /proc/<pid>/stat; null elsewhere). */
export function processCpuMs(pid: number | undefined): number | null {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command name.
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ');
    const ticks = Number(fields?.[11]) + Number(fields?.[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function startProcess(args: string[], nodeArgs: string[] = []): Promise<StartedProcess> {
  const begun = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /READY (\S+)(?: KEY (\S+))?\n|OpenRouter emulator on (\S+)\/api\/v1/.exec(
        output,
      );
      if (match) {
        const url = match[1] ?? match[3] ?? '';
        const readyMs = performance.now() - begun;
        const readyCpuMs = processCpuMs(child.pid);
        resolve(
          match[2] === undefined
            ? { child, url, readyMs, readyCpuMs }
            : { child, url, readyMs, readyCpuMs, key: match[2] },
        );
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited with ${String(code)}`));
    });
  });
}
