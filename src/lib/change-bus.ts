/**
 * Run-time configuration changes (keys, projects, providers, policies, settings) announced to
 * every instance, so caches drop stale entries within seconds and no restart is needed.
 *
 * Implementations: in-process (`./in-process-change-bus.ts`, one instance and tests),
 * PostgreSQL LISTEN/NOTIFY and Redis pub/sub (several instances). Delivery is at most once; a
 * subscriber that must not miss a change also reconciles periodically.
 */

/** What changed: a topic (`keys`, `projects`, `providers`, `policies`, `settings`) and an id. */
export interface ConfigChange {
  readonly topic: string;
  /** The changed object's id; null = anything under the topic may have changed. */
  readonly id: string | null;
}

export interface ChangeBus {
  /** Announces a change to every instance, this one included. Never throws. */
  publish(change: ConfigChange): Promise<void>;
  /**
   * Calls `listener` for every change on `topic` (from any instance). A throwing listener is
   * logged by the implementation and never affects the others. Returns the unsubscribe function.
   */
  subscribe(topic: string, listener: (change: ConfigChange) => void): () => void;
  close(): Promise<void>;
}
