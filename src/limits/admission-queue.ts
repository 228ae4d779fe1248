/**
 * The request queue: a request over a concurrency limit waits here instead of failing at once.
 * Per limit, waiters are served round-robin across the keys they come from (FIFO within a key),
 * so one key's burst cannot starve another key sharing the limit. Bounded: at most `maxDepth`
 * waiters per limit (more are refused at once), each waiting at most `maxWaitMs`; a waiter whose
 * client leaves (its abort signal) leaves the queue. A place is offered when this instance
 * releases one, and polled every `pollMs` (another instance's release, an expired hold).
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { ConcurrencyLimiter } from './concurrency-limiter.ts';

export interface QueueOptions {
  limiter: ConcurrencyLimiter;
  maxWaitMs: number;
  /** Waiters per limit. */
  maxDepth: number;
  /** Default 50 ms. */
  pollMs?: number;
  /** Monotonic clock, ms; default performance.now. */
  clock?: () => number;
}

export interface QueueAcquire {
  /** The limit's key (e.g. `key:<id>`). */
  key: string;
  max: number;
  /** The request id. */
  holder: string;
  ttlMs: number;
  /** Whose turn it is, for fairness (the caller's key id). */
  fairnessKey: string;
  signal: AbortSignal;
}

interface Waiter {
  request: QueueAcquire;
  resolve(waitedMs: number): void;
  reject(error: unknown): void;
  enqueuedAt: number;
  timer: NodeJS.Timeout;
  onAbort: () => void;
}

/** The waiters of one limit: a FIFO per fairness key, served round-robin. */
class LimitQueue {
  readonly lanes = new Map<string, Waiter[]>();
  size = 0;
  pumping = false;
  #again = false;

  /** Asks the running pump for another round (a place may have been freed meanwhile). */
  requestRound(): void {
    this.#again = true;
  }

  /** Whether another round was asked for since the last call. */
  takeRound(): boolean {
    const again = this.#again;
    this.#again = false;
    return again;
  }

  push(waiter: Waiter): void {
    const lane = this.lanes.get(waiter.request.fairnessKey);
    if (lane === undefined) this.lanes.set(waiter.request.fairnessKey, [waiter]);
    else lane.push(waiter);
    this.size += 1;
  }

  /** The waiter whose turn it is (the head of the first lane), left in the queue. */
  peek(): Waiter | undefined {
    for (const lane of this.lanes.values()) if (lane[0] !== undefined) return lane[0];
    return undefined;
  }

  /** Removes the waiter served and moves its lane behind the others (round-robin). */
  served(waiter: Waiter): boolean {
    const fairnessKey = waiter.request.fairnessKey;
    if (!this.remove(waiter)) return false;
    const lane = this.lanes.get(fairnessKey);
    if (lane !== undefined) {
      this.lanes.delete(fairnessKey);
      this.lanes.set(fairnessKey, lane);
    }
    return true;
  }

  remove(waiter: Waiter): boolean {
    const lane = this.lanes.get(waiter.request.fairnessKey);
    const index = lane?.indexOf(waiter) ?? -1;
    if (lane === undefined || index < 0) return false;
    lane.splice(index, 1);
    if (lane.length === 0) this.lanes.delete(waiter.request.fairnessKey);
    this.size -= 1;
    return true;
  }
}

export interface AdmissionQueue {
  /**
   * Holds a place under `request.key`, waiting in the queue when the limit is full.
   * Resolves to the time waited, ms (0 when admitted at once).
   * @throws SignalboxError `rate_limit_exceeded` when the queue is full or the wait exceeded
   *   `maxWaitMs`; the abort signal's reason when the client left; the store's error.
   */
  acquire(request: QueueAcquire): Promise<number>;
  /** Gives the place back and offers it to the next waiter. */
  release(key: string, holder: string): Promise<void>;
  /** Waiters across every limit. */
  depth(): number;
  close(): void;
}

export function createAdmissionQueue(options: QueueOptions): AdmissionQueue {
  const { limiter } = options;
  const clock = options.clock ?? (() => performance.now());
  const queues = new Map<string, LimitQueue>();
  let poller: NodeJS.Timeout | null = null;

  function ensurePoller(): void {
    if (poller !== null) return;
    poller = setInterval(() => {
      if (queues.size === 0 && poller !== null) {
        clearInterval(poller);
        poller = null;
        return;
      }
      for (const key of queues.keys()) void pump(key);
    }, options.pollMs ?? 50);
    poller.unref();
  }

  function settleWaiter(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.request.signal.removeEventListener('abort', waiter.onAbort);
  }

  async function pump(key: string): Promise<void> {
    const queue = queues.get(key);
    if (queue === undefined) return;
    if (queue.pumping) {
      queue.requestRound();
      return;
    }
    queue.pumping = true;
    try {
      do {
        queue.takeRound();
        for (;;) {
          // The waiter stays queued (and counted) while its place is asked for.
          const waiter = queue.peek();
          if (waiter === undefined) break;
          const { request } = waiter;
          let acquired: boolean;
          try {
            acquired = await limiter.tryAcquire(key, request.max, request.holder, request.ttlMs);
          } catch (error) {
            if (queue.remove(waiter)) {
              settleWaiter(waiter);
              waiter.reject(error);
            }
            continue;
          }
          if (!acquired) break;
          if (!queue.served(waiter)) {
            // It timed out or its client left meanwhile: the place goes to the next.
            await limiter.release(key, request.holder).catch(() => undefined);
            continue;
          }
          settleWaiter(waiter);
          waiter.resolve(clock() - waiter.enqueuedAt);
        }
      } while (queue.takeRound());
    } finally {
      queue.pumping = false;
      if (queue.size === 0) queues.delete(key);
    }
  }

  return {
    async acquire(request) {
      if (request.signal.aborted) throw abortReason(request.signal);
      const queued = queues.get(request.key);
      // Behind others already waiting: take no place they are owed.
      if (
        (queued === undefined || queued.size === 0) &&
        (await limiter.tryAcquire(request.key, request.max, request.holder, request.ttlMs))
      )
        return 0;
      // The client may have left while the place was asked for (TS cannot see that).
      if ((request.signal as { aborted: boolean }).aborted) throw abortReason(request.signal);
      let queue = queues.get(request.key);
      if (queue === undefined) {
        queue = new LimitQueue();
        queues.set(request.key, queue);
      }
      if (queue.size >= options.maxDepth)
        throw new SignalboxError(
          'rate_limit_exceeded',
          `Too many requests waiting for this key's concurrency limit (${request.max}); retry later.`,
          { retryAfterSeconds: 1 },
        );
      const limitQueue = queue;
      return new Promise<number>((resolve, reject) => {
        const waiter: Waiter = {
          request,
          resolve,
          reject,
          enqueuedAt: clock(),
          timer: setTimeout(() => {
            if (!limitQueue.remove(waiter)) return;
            settleWaiter(waiter);
            reject(
              new SignalboxError(
                'rate_limit_exceeded',
                `The request waited ${options.maxWaitMs} ms for this key's concurrency limit (${request.max}); retry later.`,
                { retryAfterSeconds: 1 },
              ),
            );
          }, options.maxWaitMs),
          onAbort: () => {
            if (!limitQueue.remove(waiter)) return;
            settleWaiter(waiter);
            reject(abortReason(request.signal));
          },
        };
        request.signal.addEventListener('abort', waiter.onAbort, { once: true });
        limitQueue.push(waiter);
        ensurePoller();
        void pump(request.key);
      });
    },

    async release(key, holder) {
      await limiter.release(key, holder);
      await pump(key);
    },

    depth: () => [...queues.values()].reduce((total, queue) => total + queue.size, 0),

    close() {
      if (poller !== null) clearInterval(poller);
      poller = null;
    },
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new SignalboxError('client_closed_request', 'The client went away while queued.');
}
