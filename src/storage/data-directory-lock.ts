/**
 * One process per data directory. PGlite is one connection inside one process, and the ledger
 * journal (`<dataDir>/journal`) treats every segment it finds as left by a crash
 * (docs/decisions/0003), so a second process on the same directory loses ledger rows. The
 * lock is `proper-lockfile`'s: the directory `<dataDir>/signalbox.lock`, created atomically
 * (mkdir) and touched every `UPDATE_MS`; a lock not touched for `STALE_MS` is stale and taken
 * over. Next to it, `<dataDir>/signalbox.pid` names the owner (`{"pid","hostname","startedAt"}`)
 * so a refusal can say who holds it, and so a lock whose owner died on this machine (kill -9,
 * power loss) is taken over at once instead of after `STALE_MS`. Released on close, and by
 * proper-lockfile's exit hook if the process exits without closing.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * Lock held with no update for this long is stale, ms (proper-lockfile's mtime rule). Long,
 * because an event loop blocked past it (PGlite's first start on a busy machine) would count
 * as losing the lock; a dead owner on this machine is recognised by its pid instead.
 */
const STALE_MS = 60_000;
const UPDATE_MS = 10_000;
const LOCK_NAME = 'signalbox.lock';
const OWNER_NAME = 'signalbox.pid';

export interface DataDirectoryOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Start-up refused: another live process holds the data directory. */
export class DataDirectoryInUseError extends Error {
  readonly directory: string;
  /** null when the owner could not be read (it is still starting, or wrote no pid file). */
  readonly owner: DataDirectoryOwner | null;

  constructor(directory: string, owner: DataDirectoryOwner | null) {
    const who =
      owner === null
        ? 'another process (its pid file is missing)'
        : `another Signalbox process (pid ${owner.pid} on ${owner.hostname}, since ${owner.startedAt})`;
    super(
      `The data directory ${directory} is in use by ${who}. Stop that process, or give this one ` +
        'its own SIGNALBOX_DATA_DIR: two processes on one directory lose ledger rows.',
    );
    this.name = 'DataDirectoryInUseError';
    this.directory = directory;
    this.owner = owner;
  }
}

export interface DataDirectoryLock {
  readonly directory: string;
  /** Removes the pid file and the lock. Idempotent. */
  release(): Promise<void>;
}

export interface DataDirectoryLockOptions {
  /** Told when the lock was lost while held (its mtime changed under us, or updates failed). */
  onCompromised?: (error: Error) => void;
}

async function readOwner(file: string): Promise<DataDirectoryOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DataDirectoryOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt) };
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it does, owned by another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLocked(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ELOCKED';
}

/**
 * Takes the lock on `directory` (created if missing).
 * @throws DataDirectoryInUseError when another live process holds it; the file system's error
 *   when the directory cannot be created or written.
 */
export async function lockDataDirectory(
  directory: string,
  options: DataDirectoryLockOptions = {},
): Promise<DataDirectoryLock> {
  // Imported here, not at load: proper-lockfile installs its exit hook when it is imported.
  const { lock } = await import('proper-lockfile');
  await mkdir(directory, { recursive: true });
  const ownerFile = path.join(directory, OWNER_NAME);
  const lockOptions = {
    lockfilePath: path.join(directory, LOCK_NAME),
    realpath: false,
    stale: STALE_MS,
    update: UPDATE_MS,
    onCompromised: (error: Error) => options.onCompromised?.(error),
  };
  let unlock: () => Promise<void>;
  try {
    unlock = await lock(directory, lockOptions);
  } catch (error) {
    if (!isLocked(error)) throw error;
    const owner = await readOwner(ownerFile);
    if (owner === null || owner.hostname !== hostname() || isAlive(owner.pid))
      throw new DataDirectoryInUseError(directory, owner);
    // Its owner died on this machine: the lock is stale although its mtime is recent.
    await rm(lockOptions.lockfilePath, { recursive: true, force: true });
    try {
      unlock = await lock(directory, lockOptions);
    } catch (retryError) {
      if (!isLocked(retryError)) throw retryError;
      throw new DataDirectoryInUseError(directory, await readOwner(ownerFile));
    }
  }
  const owner: DataDirectoryOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  try {
    await writeFile(ownerFile, `${JSON.stringify(owner)}\n`);
  } catch (error) {
    await unlock().catch(() => undefined);
    throw error;
  }
  let released: Promise<void> | null = null;
  return {
    directory,
    release() {
      released ??= (async () => {
        await rm(ownerFile, { force: true });
        await unlock().catch(() => undefined);
      })();
      return released;
    },
  };
}
