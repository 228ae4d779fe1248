/**
 * The part the PostgreSQL and Redis change buses share: local delivery (synchronous, so this
 * instance sees its own change even when the remote transport is down), a message format that
 * names the sending instance (its own echo is skipped), and, after the transport reconnects, a
 * "something may have changed" notice (`id: null`) on every subscribed topic, since notices sent
 * while it was down are lost.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeBus, ConfigChange } from './change-bus.ts';
import { createInProcessChangeBus } from './in-process-change-bus.ts';

/** The wire form of a change: `{"o": origin, "t": topic, "i": id}`. */
export interface RemoteChangeHub {
  /** The bus to hand out: publish delivers locally, then calls `send` (errors swallowed). */
  readonly bus: Omit<ChangeBus, 'close'>;
  /** Delivers a message received from the transport (ignores this instance's own and garbage). */
  receive(message: string): void;
  /** The transport is (again) connected: every subscribed topic gets an `id: null` notice. */
  reconnected(): void;
  close(): Promise<void>;
}

export function createRemoteChangeHub(options: {
  /** Sends one encoded message to every instance. May reject: the failure is reported, not thrown. */
  send: (message: string) => Promise<void>;
  onSendError: (error: unknown) => void;
  onListenerError: (error: unknown, change: ConfigChange) => void;
}): RemoteChangeHub {
  const origin = randomUUID();
  const local = createInProcessChangeBus(options.onListenerError);
  const topics = new Map<string, number>();
  return {
    bus: {
      async publish(change) {
        await local.publish(change);
        try {
          await options.send(JSON.stringify({ o: origin, t: change.topic, i: change.id }));
        } catch (error) {
          options.onSendError(error);
        }
      },
      subscribe(topic, listener) {
        topics.set(topic, (topics.get(topic) ?? 0) + 1);
        const unsubscribe = local.subscribe(topic, listener);
        return () => {
          unsubscribe();
          topics.set(topic, (topics.get(topic) ?? 1) - 1);
        };
      },
    },
    receive(message) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const { o, t, i } = parsed as { o?: unknown; t?: unknown; i?: unknown };
      if (o === origin || typeof t !== 'string') return;
      void local.publish({ topic: t, id: typeof i === 'string' ? i : null });
    },
    reconnected() {
      for (const [topic, count] of topics) if (count > 0) void local.publish({ topic, id: null });
    },
    close: () => local.close(),
  };
}
