/**
 * The catalogue sync job: fetch OpenRouter's `GET /api/v1/models`, upsert what changed
 * (new price versions effective from the sync), retire models no longer listed, and record
 * the run with its counts in `model_sync_runs`. At most one run is `running` across all
 * instances sharing the database: the loser of the claim records a `skipped` run and
 * returns at once. The catalogue layer does not know storage or providers: both are
 * injected (storage implements the stores; the OpenRouter adapter's `listModels()` is
 * `fetchModels`).
 */
import { randomUUID } from 'node:crypto';
import type { ModelInfo } from '../contracts/model-info.ts';

export type ModelSyncStatus = 'running' | 'succeeded' | 'failed' | 'skipped';
export type ModelSyncPhase = 'fetching' | 'writing' | 'done';

export interface ModelSyncCounts {
  newModels: number;
  changedModels: number;
  unchangedModels: number;
  retiredModels: number;
  /** Known models that got a new price version. */
  pricesChanged: number;
  /** Models in the answer that could not be used (no id, no prompt/completion price). */
  errors: number;
}

/** A row of `model_sync_runs`. */
export interface ModelSyncRun extends ModelSyncCounts {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  status: ModelSyncStatus;
  phase: ModelSyncPhase;
  /** Why the run failed or was skipped; null otherwise. */
  error: string | null;
  instance: string;
}

/** Where runs are recorded (storage's `createModelSyncRunRepository`). */
export interface ModelSyncRunStore {
  /**
   * Inserts `run` as the one `running` run; a `running` run older than `staleBefore` is
   * first marked failed (its instance died). @returns false, inserting nothing, when another
   * run holds the claim.
   */
  claim(run: ModelSyncRun, staleBefore: Date): Promise<boolean>;
  /** Inserts a finished run as is (used for `skipped`). */
  insert(run: ModelSyncRun): Promise<void>;
  /** Overwrites status, phase, counts, error and finished_at of a run. */
  update(run: ModelSyncRun): Promise<void>;
  get(id: string): Promise<ModelSyncRun | null>;
}

/** The catalogue writes a sync makes (storage's `CatalogRepository` fits). */
export interface CatalogSyncTarget {
  upsertModels(
    models: readonly ModelInfo[],
    seenAt: Date,
  ): Promise<{ inserted: number; updated: number; unchanged: number; pricesChanged: number }>;
  retireUnseen(seenAt: Date, retiredAt: Date): Promise<number>;
}

export interface CatalogSyncOptions {
  /** OpenRouter's model list (`ProviderAdapter.listModels()`). */
  fetchModels: () => Promise<ModelInfo[]>;
  runs: ModelSyncRunStore;
  catalog: CatalogSyncTarget;
  /** Recorded in the run, e.g. `host:pid`. */
  instance: string;
  /** Called after each phase change with the run as recorded. */
  onProgress?: (run: ModelSyncRun) => void;
  /** A running claim older than this is taken over; ms, default 15 minutes. */
  staleAfterMs?: number;
  now?: () => Date;
}

export interface StartedCatalogSync {
  /** The run as recorded at start: `running`, or `skipped` when another run holds the claim. */
  run: ModelSyncRun;
  /** Resolves with the finished run (`succeeded`, `failed` or `skipped`); never rejects. */
  completion: Promise<ModelSyncRun>;
}

const DEFAULT_STALE_AFTER_MS = 15 * 60_000;

const zeroCounts: ModelSyncCounts = {
  newModels: 0,
  changedModels: 0,
  unchangedModels: 0,
  retiredModels: 0,
  pricesChanged: 0,
  errors: 0,
};

/**
 * Claims and starts a sync; the work continues in `completion`.
 * @throws the store's error when the claim itself cannot be written.
 */
export async function startCatalogSync(options: CatalogSyncOptions): Promise<StartedCatalogSync> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const run: ModelSyncRun = {
    id: randomUUID(),
    startedAt,
    finishedAt: null,
    status: 'running',
    phase: 'fetching',
    error: null,
    instance: options.instance,
    ...zeroCounts,
  };
  const staleBefore = new Date(
    startedAt.getTime() - (options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS),
  );
  if (!(await options.runs.claim(run, staleBefore))) {
    const skipped: ModelSyncRun = {
      ...run,
      status: 'skipped',
      phase: 'done',
      finishedAt: now(),
      error: 'Another catalogue sync is running.',
    };
    await options.runs.insert(skipped);
    return { run: skipped, completion: Promise.resolve(skipped) };
  }
  options.onProgress?.(run);
  return { run, completion: runSync(options, run, now) };
}

/** Starts a sync and waits for it: the finished (or skipped) run. */
export async function syncCatalog(options: CatalogSyncOptions): Promise<ModelSyncRun> {
  return (await startCatalogSync(options)).completion;
}

async function runSync(
  options: CatalogSyncOptions,
  run: ModelSyncRun,
  now: () => Date,
): Promise<ModelSyncRun> {
  let current = run;
  const record = async (next: ModelSyncRun): Promise<void> => {
    current = next;
    await options.runs.update(next);
    options.onProgress?.(next);
  };
  try {
    const fetched = await options.fetchModels();
    const usable = fetched.filter(isUsableModel);
    // An empty answer is an upstream fault, not 356 retirements.
    if (usable.length === 0)
      throw new Error('OpenRouter listed no usable models; nothing was changed.');
    await record({ ...current, phase: 'writing', errors: fetched.length - usable.length });
    const seenAt = now();
    const upserted = await options.catalog.upsertModels(usable, seenAt);
    const retired = await options.catalog.retireUnseen(seenAt, seenAt);
    await record({
      ...current,
      status: 'succeeded',
      phase: 'done',
      finishedAt: now(),
      newModels: upserted.inserted,
      changedModels: upserted.updated,
      unchangedModels: upserted.unchanged,
      pricesChanged: upserted.pricesChanged,
      retiredModels: retired,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failed: ModelSyncRun = {
      ...current,
      status: 'failed',
      phase: 'done',
      finishedAt: now(),
      error: message,
    };
    // Releasing the claim matters more than reporting; a store outage leaves it to go stale.
    await record(failed).catch(() => undefined);
    current = failed;
  }
  return current;
}

function isUsableModel(model: ModelInfo): boolean {
  return (
    model.id !== '' &&
    typeof model.pricing.prompt === 'string' &&
    typeof model.pricing.completion === 'string'
  );
}
