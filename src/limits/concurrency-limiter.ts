/**
 * Requests in flight at once under a key (`max_concurrency`): a set of holders per limit, each
 * with an expiry (the request's deadline plus a grace), so a crashed instance's holds vanish.
 * Memory (this file) and Redis (a ZSET scored by expiry, checked and added by one Lua script
 * against Redis's clock) implementations.
 */
import type { Redis } from 'ioredis';

export interface ConcurrencyLimiter {
  /**
   * Adds `holder` under `key` when fewer than `max` hold it; true when added.
   * @throws when the store (Redis) is unreachable
   */
  tryAcquire(key: string, max: number, holder: string, ttlMs: number): Promise<boolean>;
  /** Removes `holder` (no-op when absent). */
  release(key: string, holder: string): Promise<void>;
  /** Holders now. */
  count(key: string): Promise<number>;
}

export function createMemoryConcurrencyLimiter(
  options: { now?: () => number } = {},
): ConcurrencyLimiter {
  const now = options.now ?? Date.now;
  const holders = new Map<string, Map<string, number>>();
  function live(key: string): Map<string, number> {
    let entry = holders.get(key);
    if (entry === undefined) {
      entry = new Map();
      holders.set(key, entry);
    }
    const at = now();
    for (const [holder, expiresAt] of entry) if (expiresAt <= at) entry.delete(holder);
    return entry;
  }
  return {
    tryAcquire(key, max, holder, ttlMs) {
      const entry = live(key);
      if (entry.size >= max && !entry.has(holder)) return Promise.resolve(false);
      entry.set(holder, now() + ttlMs);
      return Promise.resolve(true);
    },
    release(key, holder) {
      const entry = holders.get(key);
      entry?.delete(holder);
      if (entry?.size === 0) holders.delete(key);
      return Promise.resolve();
    },
    count: (key) => Promise.resolve(live(key).size),
  };
}

/** KEYS: the ZSET. ARGV: max, holder, ttlMs. 1 when added. */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false and
   redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
return 1`;

const COUNT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

type ScriptClient = Redis & {
  concurrencyAcquire(key: string, max: number, holder: string, ttlMs: number): Promise<number>;
  concurrencyCount(key: string): Promise<number>;
};

export function createRedisConcurrencyLimiter(options: {
  client: Redis;
  /** Default `signalbox:concurrency`. */
  keyPrefix?: string;
}): ConcurrencyLimiter {
  const client = options.client as ScriptClient;
  if (typeof client.concurrencyAcquire !== 'function') {
    client.defineCommand('concurrencyAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
    client.defineCommand('concurrencyCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
  }
  const prefix = options.keyPrefix ?? 'signalbox:concurrency';
  return {
    async tryAcquire(key, max, holder, ttlMs) {
      const added = await client.concurrencyAcquire(
        `${prefix}:${key}`,
        max,
        holder,
        Math.max(1, Math.ceil(ttlMs)),
      );
      return added === 1;
    },
    async release(key, holder) {
      await client.zrem(`${prefix}:${key}`, holder);
    },
    count: (key) => client.concurrencyCount(`${prefix}:${key}`),
  };
}
