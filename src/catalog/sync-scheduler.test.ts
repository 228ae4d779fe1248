// The start-up and scheduled catalogue sync, with fake timers and an in-memory sync.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelSyncRun, StartedCatalogSync } from './sync-catalog.ts';
import { createSyncScheduler, type SyncSchedulerOptions } from './sync-scheduler.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-05-20T12:00:00Z');

function finishedRun(status: ModelSyncRun['status']): ModelSyncRun {
  return {
    id: `run-${status}`,
    startedAt: new Date(NOW),
    finishedAt: new Date(NOW),
    status,
    phase: 'done',
    error: status === 'failed' ? 'OpenRouter answered 503' : null,
    instance: 'test',
    newModels: 0,
    changedModels: 2,
    unchangedModels: 354,
    retiredModels: 0,
    pricesChanged: 1,
    errors: 0,
  };
}

function harness(overrides: Partial<SyncSchedulerOptions> & { lastSyncAgoMs?: number | null }) {
  const logged: { level: string; message: string; object: object }[] = [];
  const startSync = vi.fn((): Promise<StartedCatalogSync> => {
    const run = finishedRun('succeeded');
    return Promise.resolve({
      run: { ...run, status: 'running' },
      completion: Promise.resolve(run),
    });
  });
  const last = overrides.lastSyncAgoMs ?? null;
  const scheduler = createSyncScheduler({
    startSync,
    latestSucceeded: () =>
      Promise.resolve(
        last === null
          ? null
          : { startedAt: new Date(NOW - last), finishedAt: new Date(NOW - last) },
      ),
    maxAgeMs: 24 * HOUR,
    intervalMs: 6 * HOUR,
    logger: {
      info: (object, message) => logged.push({ level: 'info', message, object }),
      warn: (object, message) => logged.push({ level: 'warn', message, object }),
    },
    now: () => NOW,
    ...overrides,
  });
  return { scheduler, startSync, logged };
}

describe('createSyncScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('syncs at start when the catalogue was never synced (only the seeded snapshot)', async () => {
    const { scheduler, startSync, logged } = harness({ lastSyncAgoMs: null });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(startSync).toHaveBeenCalledTimes(1);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'catalogue sync finished',
        object: expect.objectContaining({ reason: 'start-up', changedModels: 2 }) as object,
      }),
    );
    scheduler.stop();
  });

  it('syncs at start when the last success is older than the maximum age, not when fresh', async () => {
    const stale = harness({ lastSyncAgoMs: 25 * HOUR });
    await stale.scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(stale.startSync).toHaveBeenCalledTimes(1);
    stale.scheduler.stop();
    const fresh = harness({ lastSyncAgoMs: 2 * HOUR });
    await fresh.scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(fresh.startSync).not.toHaveBeenCalled();
    fresh.scheduler.stop();
  });

  it('syncs every interval until stopped', async () => {
    const { scheduler, startSync } = harness({ lastSyncAgoMs: HOUR });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(startSync).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(12 * HOUR);
    expect(startSync).toHaveBeenCalledTimes(3);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(startSync).toHaveBeenCalledTimes(3);
  });

  it('does nothing with both settings at 0', async () => {
    const { scheduler, startSync } = harness({ lastSyncAgoMs: null, maxAgeMs: 0, intervalMs: 0 });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(100 * HOUR);
    expect(startSync).not.toHaveBeenCalled();
    scheduler.stop();
  });

  it('never overlaps its own runs, and logs failures instead of throwing', async () => {
    let finish: (run: ModelSyncRun) => void = () => undefined;
    const startSync = vi.fn(() =>
      Promise.resolve({
        run: finishedRun('running'),
        completion: new Promise<ModelSyncRun>((resolve) => {
          finish = resolve;
        }),
      }),
    );
    const { scheduler, logged } = harness({ lastSyncAgoMs: null, startSync, intervalMs: HOUR });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(startSync).toHaveBeenCalledTimes(1);
    finish(finishedRun('failed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'catalogue sync failed' }),
    );
    startSync.mockImplementation(() => Promise.reject(new Error('database down')));
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(logged.at(-1)).toMatchObject({
      level: 'warn',
      message: 'catalogue sync could not start',
    });
    scheduler.stop();
  });
});
