/**
 * `signalbox serve --workers N`: one gateway process per core with node:cluster, on one port
 * (the primary hands connections out round-robin). PostgreSQL only (PGlite belongs to one
 * process); each worker keeps its own ledger journal (`<dataDir>/journal/worker-<n>`, the index
 * stable across restarts so a restarted worker replays what its predecessor left). A worker
 * that dies is restarted after a second; SIGTERM/SIGINT is passed to every worker, which drains
 * and exits (graceful shutdown), and the primary exits when they have.
 */
import cluster, { type Worker } from 'node:cluster';

const RESTART_DELAY_MS = 1_000;

/** Runs the primary of a cluster of `workers` serving processes; resolves with the exit code. */
export function runServeCluster(workers: number): Promise<number> {
  let stopping = false;
  const live = new Map<number, Worker>();

  const fork = (index: number): void => {
    const worker = cluster.fork({
      SIGNALBOX_WORKER_INDEX: String(index),
      SIGNALBOX_WORKERS: '1',
      // Only the first worker prints the whole banner.
      SIGNALBOX_QUIET_BANNER: index === 0 ? '' : 'true',
    });
    live.set(index, worker);
    worker.once('exit', (code, signal) => {
      live.delete(index);
      if (stopping) return;
      process.stderr.write(
        `signalbox: worker ${index} exited (code ${code}, signal ${signal}); restarting it\n`,
      );
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS).unref();
    });
  };

  for (let index = 0; index < workers; index += 1) fork(index);
  return new Promise((resolve) => {
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      for (const worker of live.values()) worker.process.kill('SIGTERM');
      const check = (): void => {
        if (live.size === 0) resolve(0);
        else setTimeout(check, 50);
      };
      check();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/** Whether this process is a cluster worker (it serves; it does not fork). */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
