/**
 * Starts a benchmark's child process (the emulator, a gateway under test, the bare pass-through)
 * with the running Node from the repository root, and resolves once it prints where it listens:
 * `READY <url>` (bench/gateway-server.ts, bench/baseline-proxy.ts) or the emulator's banner.
 * `readyMs` is the time from spawn to that line. Rejects if the process exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface StartedProcess {
  child: ChildProcess;
  url: string;
  readyMs: number;
  /** The bearer key to send, when the process printed one (`READY <url> KEY <key>`). */
  key?: string;
}

export function startProcess(args: string[]): Promise<StartedProcess> {
  const begun = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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
        resolve(
          match[2] === undefined ? { child, url, readyMs } : { child, url, readyMs, key: match[2] },
        );
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited with ${String(code)}`));
    });
  });
}
