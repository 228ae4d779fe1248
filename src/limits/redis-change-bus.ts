/**
 * The change bus over Redis pub/sub (src/lib/change-bus.ts): one subscriber connection and one
 * publishing connection (a subscribed connection cannot publish). ioredis reconnects by itself;
 * after every reconnection the subscriber subscribes again and every subscribed topic gets an
 * `id: null` notice (messages published meanwhile are lost; subscribers also reconcile on a
 * timer). Pub/sub channels are server-wide, not per database, so the channel carries the
 * database number. docs/decisions/0015-vault-and-change-bus.md.
 */
import { Redis } from 'ioredis';
import type { ChangeBus, ConfigChange } from '../lib/change-bus.ts';
import { createRemoteChangeHub } from '../lib/remote-change-bus.ts';

export interface RedisChangeBusOptions {
  redisUrl: string;
  /** Channel prefix (default `signalbox:changes`); `:<db>` is appended. */
  channel?: string;
  onListenerError?: (error: unknown, change: ConfigChange) => void;
  /** A connection error or a failed publish (logged by the caller). */
  onConnectionError?: (error: unknown) => void;
}

/**
 * Subscribes before resolving when Redis answers; when it does not, resolves anyway (the failure
 * goes to `onConnectionError`) and subscribes once Redis is back.
 */
export async function createRedisChangeBus(options: RedisChangeBusOptions): Promise<ChangeBus> {
  const publisher = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  const channel = `${options.channel ?? 'signalbox:changes'}:${String(publisher.options.db ?? 0)}`;
  // Named after its channel, so an operator (or a test) can tell it in CLIENT LIST.
  const subscriber = publisher.duplicate({
    autoResubscribe: false,
    enableOfflineQueue: true,
    connectionName: channel,
  });
  const onError = options.onConnectionError ?? (() => undefined);
  publisher.on('error', onError);
  subscriber.on('error', onError);
  const hub = createRemoteChangeHub({
    send: async (message) => {
      await publisher.publish(channel, message);
    },
    onSendError: onError,
    onListenerError: options.onListenerError ?? (() => undefined),
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) hub.receive(message);
  });
  let first = true;
  subscriber.on('ready', () => {
    if (first) return;
    subscriber.subscribe(channel).then(
      () => {
        hub.reconnected();
      },
      (error: unknown) => {
        onError(error);
      },
    );
  });
  try {
    await subscriber.subscribe(channel);
  } catch (error) {
    // Redis is down at start: the instance starts anyway (rate limits and budgets follow their
    // store-failure modes, configuration reconciles on its timer); the subscription is made on
    // the first `ready`, which also tells every subscriber to re-read.
    onError(error);
  }
  first = false;
  return {
    ...hub.bus,
    async close() {
      await hub.close();
      subscriber.disconnect();
      publisher.disconnect();
      await Promise.resolve();
    },
  };
}
