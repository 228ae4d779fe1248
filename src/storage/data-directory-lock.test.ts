import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory } from './data-directory-lock.ts';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'signalbox-lock-unit-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A lock as a process with `pid` left it: a fresh lock directory and its pid file. */
async function leftBehind(pid: number): Promise<void> {
  await mkdir(path.join(directory, 'signalbox.lock'));
  await writeFile(
    path.join(directory, 'signalbox.pid'),
    JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-05-01T10:00:00.000Z' }),
  );
}

describe('lockDataDirectory', () => {
  it('writes the pid next to the lock, refuses a second holder, and releases', async () => {
    const lock = await lockDataDirectory(directory);
    expect((await readdir(directory)).sort()).toEqual(['signalbox.lock', 'signalbox.pid']);
    const refusal = await lockDataDirectory(directory).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirectoryInUseError);
    expect((refusal as Error).message).toContain(directory);
    expect((refusal as Error).message).toContain(`pid ${String(process.pid)}`);
    await lock.release();
    expect(await readdir(directory)).toEqual([]);
    await (await lockDataDirectory(directory)).release();
  });

  it('takes over a fresh lock whose owner process is dead', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await leftBehind(dead);
    const lock = await lockDataDirectory(directory);
    await lock.release();
  });

  it('refuses a lock whose owner process is alive', async () => {
    await leftBehind(process.ppid);
    await expect(lockDataDirectory(directory)).rejects.toThrow(`pid ${String(process.ppid)}`);
  });
});
