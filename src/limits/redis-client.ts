/**
 * The Redis connection the limits and the health registry share a recipe for (ioredis): commands
 * fail at once while disconnected instead of queueing (the caller's store-failure mode or local
 * state decides then), one retry, a command timeout for a connection that stopped answering, and
 * auto-pipelining — the commands a burst of requests issues in one tick go out in one write
 * instead of one syscall each (the limits' Redis round trips are most of their CPU).
 */
import { Redis } from 'ioredis';

/** Commands on a connection that stopped answering fail after this, ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** A fail-fast, auto-pipelined client for `url` (`redis://…`); connects in the background. */
export function createFailFastRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableAutoPipelining: true,
  });
}
