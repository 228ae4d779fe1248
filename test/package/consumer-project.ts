/**
 * Helpers of the package test: pack this repository as npm would publish it, and install the
 * tarball into a fresh project the way a user would, but offline.
 *
 * `npm ci` fills npm's cache with the dependencies' tarballs, not with the registry metadata
 * `npm install <tarball>` needs to resolve version ranges, so the consumer gets a lockfile
 * instead: the repository's own, minus its development-only entries, plus the tarball. The
 * installed tree is then exactly the production tree this repository is tested with.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

/** What `npm pack --json` reports about the tarball. */
export interface PackedPackage {
  filename: string;
  /** Bytes of the .tgz. */
  size: number;
  unpackedSize: number;
  integrity: string;
  entryCount: number;
  files: { path: string; size: number }[];
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of every child: this repository's pinned Node first on PATH (so `npm`, `npx`
 * and the `signalbox` bin run on it), and nothing inherited that would change what runs — no
 * provider keys or Signalbox settings, and no `npm_*` variables from the `npm test` around us
 * (`npm_config_local_prefix` would point npm in the consumer back at this repository).
 */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|SIGNALBOX_|OPENROUTER_|OPENAI_|ANTHROPIC_|GEMINI_|NODE_OPTIONS$)/i.test(name))
      continue;
    environment[name] = value;
  }
  environment.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return { ...environment, ...extra };
}

/** Runs a command to completion; never rejects on a non-zero exit (the caller asserts on it). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm pack` (its `prepack` builds dist/) into `destination`. @throws Error when npm fails. */
export async function packRepository(destination: string): Promise<PackedPackage> {
  const result = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: repositoryRoot,
    timeoutMs: 240_000,
  });
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}\n${result.stdout}`);
  const [packed] = JSON.parse(result.stdout) as PackedPackage[];
  if (packed === undefined) throw new Error(`npm pack reported nothing:\n${result.stdout}`);
  return packed;
}

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

/**
 * The entry with its registry tarball URL: the repository's lock file records none, and without
 * one an offline install needs the package's metadata document, which the cache may not hold
 * (only the tarballs are sure to be there after `npm ci`).
 */
function withResolved(location: string, entry: LockEntry): LockEntry {
  if (typeof entry.resolved === 'string' || typeof entry.version !== 'string') return entry;
  const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const base = name.includes('/') ? name.slice(name.indexOf('/') + 1) : name;
  return {
    ...entry,
    resolved: `https://registry.npmjs.org/${name}/-/${base}-${entry.version}.tgz`,
  };
}

/**
 * Writes `package.json` and `package-lock.json` of a consumer project depending only on the
 * tarball, then installs it: `npm install --offline --no-audit --no-fund <tarball>`.
 * @throws Error when the install fails.
 */
export async function installConsumer(directory: string, packed: PackedPackage): Promise<void> {
  const manifest = JSON.parse(
    await readFile(path.join(repositoryRoot, 'package.json'), 'utf8'),
  ) as Record<string, unknown>;
  const lock = JSON.parse(
    await readFile(path.join(repositoryRoot, 'package-lock.json'), 'utf8'),
  ) as { packages: Record<string, LockEntry> };
  const tarball = `file:${packed.filename}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { signalbox: tarball } },
    'node_modules/signalbox': {
      version: manifest.version,
      resolved: tarball,
      integrity: packed.integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.dev === true || entry.devOptional === true) continue;
    // The dashboard is a workspace of the repository, not a dependency of the package.
    if (entry.link === true || location === 'web' || location.startsWith('web/')) continue;
    packages[location] = withResolved(location, entry);
  }
  const project = { name: 'consumer', private: true, type: 'module' };
  await writeFile(
    path.join(directory, 'package.json'),
    JSON.stringify({ ...project, dependencies: { signalbox: tarball } }, null, 2),
  );
  await writeFile(
    path.join(directory, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  const result = await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', `./${packed.filename}`],
    { cwd: directory, timeoutMs: 180_000 },
  );
  if (result.code !== 0) throw new Error(`npm install --offline failed:\n${result.stderr}`);
}

/** A running `npx signalbox serve`. */
export interface ServeProcess {
  /** The base URL from the banner, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * Sends SIGTERM to npx and the server and resolves once every process of the group has exited.
   * @throws Error when one is still running after `deadlineMs` (they are then killed).
   */
  stop(deadlineMs?: number): Promise<void>;
}

function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `npx signalbox serve` in demo mode (no OpenRouter key) on a free port, with PGlite in
 * `dataDirectory`. @throws Error with the output when it exits before its banner.
 */
export function startServe(directory: string, dataDirectory: string): Promise<ServeProcess> {
  const env = childEnvironment({
    PORT: '0',
    HOST: '127.0.0.1',
    SIGNALBOX_DATA_DIR: dataDirectory,
    SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
    SIGNALBOX_LOG_LEVEL: 'warn',
  });
  // Its own process group: npx does not pass SIGTERM on to the server it started.
  const child = spawn('npx', ['--offline', 'signalbox', 'serve'], {
    cwd: directory,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const groupId = child.pid ?? 0;
  const stop = async (deadlineMs = 20_000): Promise<void> => {
    if (groupAlive(groupId)) process.kill(-groupId, 'SIGTERM');
    const deadline = Date.now() + deadlineMs;
    while (groupAlive(groupId) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (!groupAlive(groupId)) return;
    process.kill(-groupId, 'SIGKILL');
    throw new Error(`signalbox serve did not exit within ${deadlineMs} ms of SIGTERM`);
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ url: match[1], stop });
    });
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    void exited.then((code) => {
      reject(new Error(`signalbox serve exited with ${String(code)} before listening:\n${output}`));
    });
  });
}
