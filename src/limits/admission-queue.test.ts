import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { createAdmissionQueue, type QueueAcquire } from './admission-queue.ts';
import { createMemoryConcurrencyLimiter } from './concurrency-limiter.ts';

function queueOf(options: { maxWaitMs?: number; maxDepth?: number } = {}) {
  return createAdmissionQueue({
    limiter: createMemoryConcurrencyLimiter(),
    maxWaitMs: options.maxWaitMs ?? 5_000,
    maxDepth: options.maxDepth ?? 100,
    pollMs: 10,
  });
}

function acquire(holder: string, fairnessKey: string, signal = new AbortController().signal) {
  const request: QueueAcquire = {
    key: 'shared',
    max: 1,
    holder,
    ttlMs: 60_000,
    fairnessKey,
    signal,
  };
  return request;
}

describe('admission queue', () => {
  it('serves the keys sharing a limit round-robin, each key in order', async () => {
    const queue = queueOf();
    const order: string[] = [];
    await queue.acquire(acquire('first', 'a'));
    const waiting = [
      ...['a1', 'a2', 'a3', 'a4'].map((holder) => acquire(holder, 'a')),
      acquire('b1', 'b'),
      acquire('c1', 'c'),
    ].map((request) =>
      queue.acquire(request).then(async () => {
        order.push(request.holder);
        await queue.release('shared', request.holder);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queue.depth()).toBe(6);
    await queue.release('shared', 'first');
    await Promise.all(waiting);
    // Key a queued four first, yet b and c each waited behind one of a's, not four.
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
    queue.close();
  });

  it('refuses after the max wait and when the queue is full', async () => {
    const queue = queueOf({ maxWaitMs: 50, maxDepth: 1 });
    await queue.acquire(acquire('first', 'a'));
    const waiting = queue.acquire(acquire('second', 'a'));
    await expect(queue.acquire(acquire('third', 'a'))).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
    });
    await expect(waiting).rejects.toMatchObject({ code: 'rate_limit_exceeded' });
    expect(queue.depth()).toBe(0);
    queue.close();
  });

  it('lets a waiter whose client left go, and gives its turn to the next', async () => {
    const queue = queueOf();
    await queue.acquire(acquire('first', 'a'));
    const leaving = new AbortController();
    const left = queue.acquire(acquire('leaving', 'a', leaving.signal));
    const next = queue.acquire(acquire('next', 'b'));
    leaving.abort(new SignalboxError('client_closed_request', 'gone'));
    await expect(left).rejects.toMatchObject({ code: 'client_closed_request' });
    expect(queue.depth()).toBe(1);
    await queue.release('shared', 'first');
    await expect(next).resolves.toBeGreaterThanOrEqual(0);
    queue.close();
  });
});
