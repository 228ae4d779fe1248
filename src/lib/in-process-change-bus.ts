/**
 * The ChangeBus of one process (src/lib/change-bus.ts): delivers each change to this
 * process's subscribers, synchronously. Used alone with PGlite and as the local half of the
 * PostgreSQL and Redis buses.
 */
import type { ChangeBus, ConfigChange } from './change-bus.ts';

/** @param onListenerError called with a listener's exception (it never reaches the publisher). */
export function createInProcessChangeBus(
  onListenerError: (error: unknown, change: ConfigChange) => void = () => undefined,
): ChangeBus {
  const listeners = new Map<string, Set<(change: ConfigChange) => void>>();
  return {
    publish(change) {
      for (const listener of listeners.get(change.topic) ?? []) {
        try {
          listener(change);
        } catch (error) {
          onListenerError(error, change);
        }
      }
      return Promise.resolve();
    },
    subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) {
        set = new Set();
        listeners.set(topic, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}
