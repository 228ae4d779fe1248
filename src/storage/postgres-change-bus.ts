/**
 * The change bus over PostgreSQL LISTEN/NOTIFY (src/lib/change-bus.ts): one dedicated
 * connection listens on a channel and sends the notices; NOTIFY reaches every instance
 * connected to the same database. The connection is re-opened with backoff when it drops, and
 * every subscribed topic then gets an `id: null` notice (changes announced meanwhile are lost;
 * subscribers also reconcile on a timer). docs/decisions/0015-vault-and-change-bus.md.
 */
import pg from 'pg';
import type { ChangeBus, ConfigChange } from '../lib/change-bus.ts';
import { createRemoteChangeHub } from '../lib/remote-change-bus.ts';

export interface PostgresChangeBusOptions {
  databaseUrl: string;
  /** The NOTIFY channel (default `signalbox_changes`). */
  channel?: string;
  onListenerError?: (error: unknown, change: ConfigChange) => void;
  /** The connection dropped or a notice could not be sent (logged by the caller). */
  onConnectionError?: (error: unknown) => void;
  /** Longest wait between reconnection attempts, ms (default 5000). */
  maxReconnectDelayMs?: number;
}

/**
 * Connects and listens before resolving.
 * @throws the driver's error when the first connection fails.
 */
export async function createPostgresChangeBus(
  options: PostgresChangeBusOptions,
): Promise<ChangeBus> {
  const channel = options.channel ?? 'signalbox_changes';
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  const onError = options.onConnectionError ?? (() => undefined);
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const hub = createRemoteChangeHub({
    send: async (message) => {
      if (client === null) throw new Error('the change bus connection is down');
      await client.query('select pg_notify($1, $2)', [channel, message]);
    },
    onSendError: onError,
    onListenerError: options.onListenerError ?? (() => undefined),
  });

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', (notice) => {
      if (notice.channel === channel && notice.payload !== undefined) hub.receive(notice.payload);
    });
    let dropped = false;
    const drop = (error: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      next.end().catch(() => undefined);
      if (closed) return;
      onError(error);
      schedule(250);
    };
    next.on('error', drop);
    next.on('end', () => {
      drop(new Error('the change bus connection ended'));
    });
    await next.connect();
    await next.query(`listen "${channel.replaceAll('"', '""')}"`);
    client = next;
  }

  function schedule(delay: number): void {
    if (closed || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      connect().then(
        () => {
          hub.reconnected();
        },
        (error: unknown) => {
          onError(error);
          schedule(Math.min(delay * 2, maxDelay));
        },
      );
    }, delay);
    timer.unref();
  }

  await connect();
  return {
    ...hub.bus,
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
      await hub.close();
    },
  };
}
