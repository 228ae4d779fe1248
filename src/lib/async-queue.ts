/**
 * A single-consumer async queue with backpressure: the producer pushes and learns when the
 * queue holds `highWaterMark` items or more; the consumer iterates, and a failure ends the
 * iteration by throwing once the items before it were consumed.
 */
export interface AsyncQueue<T> {
  /** Adds an item; false when the queue is at or above its high-water mark (wait for `drained`). */
  push(item: T): boolean;
  /** Resolves once the queue is below its high-water mark, or ended. */
  drained(): Promise<void>;
  /** No more items: iteration ends after the queued ones. */
  end(): void;
  /** Iteration throws `error` after the queued items. */
  fail(error: unknown): void;
  /** True once `end` or `fail` was called, or the consumer stopped. */
  readonly ended: boolean;
  /** The consumer's side; call once. */
  items(): AsyncGenerator<T>;
}

export function createAsyncQueue<T>(highWaterMark = 64): AsyncQueue<T> {
  const items: T[] = [];
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducers: (() => void)[] = [];
  const notifyConsumer = (): void => {
    wakeConsumer?.();
    wakeConsumer = null;
  };
  const notifyProducers = (): void => {
    const waiting = wakeProducers;
    wakeProducers = [];
    for (const wake of waiting) wake();
  };
  return {
    push(item) {
      if (ended) return true;
      items.push(item);
      notifyConsumer();
      return items.length < highWaterMark;
    },
    drained() {
      if (ended || items.length < highWaterMark) return Promise.resolve();
      return new Promise((resolve) => wakeProducers.push(resolve));
    },
    end() {
      ended = true;
      notifyConsumer();
      notifyProducers();
    },
    fail(error) {
      failure ??= { error };
      ended = true;
      notifyConsumer();
      notifyProducers();
    },
    get ended() {
      return ended;
    },
    async *items() {
      try {
        for (;;) {
          if (items.length > 0) {
            const item = items.shift() as T;
            if (items.length < highWaterMark) notifyProducers();
            yield item;
            continue;
          }
          if (failure !== null) throw failure.error;
          if (ended) return;
          await new Promise<void>((resolve) => {
            wakeConsumer = resolve;
          });
        }
      } finally {
        ended = true;
        notifyProducers();
      }
    },
  };
}
