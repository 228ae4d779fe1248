/**
 * When the catalogue syncs by itself: once at start-up when the last successful sync is older
 * than `maxAgeMs` (or there never was one: the shipped snapshot seeded at first start is a
 * catalogue, but not a sync, so a fresh install syncs at its first start), then every
 * `intervalMs`. Runs never overlap here, and across instances the sync's own claim
 * (sync-catalog.ts) lets one run while the others record `skipped`.
 */
import type { ModelSyncRun, StartedCatalogSync } from './sync-catalog.ts';

/** The pino methods the scheduler logs with. */
export interface SyncSchedulerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface SyncSchedulerOptions {
  /** Claims and starts a sync (the app's `startSync`, which also reloads the catalogue). */
  startSync(): Promise<StartedCatalogSync>;
  /** The newest successful run, or null (`ModelSyncRunRepository.latestSucceeded`). */
  latestSucceeded(): Promise<Pick<ModelSyncRun, 'startedAt' | 'finishedAt'> | null>;
  /** Sync at start when the last success is older than this; ms; 0 = never at start. */
  maxAgeMs: number;
  /** Sync this often after start; ms; 0 = no schedule. */
  intervalMs: number;
  logger: SyncSchedulerLogger;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

export interface SyncScheduler {
  /**
   * Decides the start-up sync (starting it without waiting for it to finish) and starts the
   * schedule. Never rejects: failures are logged.
   */
  start(): Promise<void>;
  /** Stops the schedule; a run in progress finishes on its own. */
  stop(): void;
}

/** Creates the scheduler; nothing happens until `start()`. */
export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const now = options.now ?? Date.now;
  const { logger } = options;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running = false;
  let stopped = false;

  async function runOnce(reason: 'start-up' | 'schedule'): Promise<void> {
    if (running || stopped) return;
    running = true;
    try {
      const started = await options.startSync();
      const run = await started.completion;
      const summary = {
        reason,
        runId: run.id,
        status: run.status,
        newModels: run.newModels,
        changedModels: run.changedModels,
        retiredModels: run.retiredModels,
        pricesChanged: run.pricesChanged,
      };
      if (run.status === 'failed')
        logger.warn({ ...summary, error: run.error }, 'catalogue sync failed');
      else logger.info(summary, 'catalogue sync finished');
    } catch (error) {
      logger.warn({ reason, err: error }, 'catalogue sync could not start');
    } finally {
      running = false;
    }
  }

  async function isStale(): Promise<boolean> {
    const latest = await options.latestSucceeded();
    if (latest === null) return true;
    const at = (latest.finishedAt ?? latest.startedAt).getTime();
    return now() - at > options.maxAgeMs;
  }

  return {
    start: async () => {
      stopped = false;
      if (options.intervalMs > 0 && timer === null) {
        timer = setInterval(() => {
          void runOnce('schedule');
        }, options.intervalMs);
        // The schedule alone never keeps the process alive.
        timer.unref();
      }
      if (options.maxAgeMs <= 0) return;
      try {
        if (await isStale()) void runOnce('start-up');
      } catch (error) {
        logger.warn({ err: error }, 'could not read the last catalogue sync');
      }
    },
    stop: () => {
      stopped = true;
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}
