/**
 * The change bus of this instance (src/lib/change-bus.ts): Redis pub/sub when
 * SIGNALBOX_REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY when SIGNALBOX_DATABASE_URL is set,
 * else in-process (PGlite belongs to one process). docs/decisions/0015-vault-and-change-bus.md.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { ChangeBus, ConfigChange } from './lib/change-bus.ts';
import { createInProcessChangeBus } from './lib/in-process-change-bus.ts';
import { createRedisChangeBus } from './limits/redis-change-bus.ts';
import { createPostgresChangeBus } from './storage/index.ts';

/** Which transport carries run-time configuration changes between instances. */
export type ChangeBusKind = 'redis' | 'postgres' | 'in-process';

/** @throws the driver's error when PostgreSQL cannot be reached at start (Redis may be down: its bus subscribes once it is back). */
export async function composeChangeBus(
  config: Config,
  logger: Logger,
): Promise<{ bus: ChangeBus; kind: ChangeBusKind }> {
  const onListenerError = (error: unknown, change: ConfigChange): void => {
    logger.error({ err: error, topic: change.topic }, 'a change-bus listener failed');
  };
  // One warning per outage, not one per failed notice.
  let failing = false;
  const onConnectionError = (error: unknown): void => {
    if (failing) return;
    failing = true;
    logger.warn({ err: error }, 'change bus: connection lost; instances reconcile on a timer');
    setTimeout(() => {
      failing = false;
    }, 60_000).unref();
  };
  if (config.redisUrl !== null)
    return {
      kind: 'redis',
      bus: await createRedisChangeBus({
        redisUrl: config.redisUrl,
        onListenerError,
        onConnectionError,
      }),
    };
  if (config.databaseUrl !== null)
    return {
      kind: 'postgres',
      bus: await createPostgresChangeBus({
        databaseUrl: config.databaseUrl,
        onListenerError,
        onConnectionError,
      }),
    };
  return { kind: 'in-process', bus: createInProcessChangeBus(onListenerError) };
}
