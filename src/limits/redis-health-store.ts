/**
 * The shared state of the Redis health registry, and nothing else: key names, the Lua scripts
 * that change it atomically, and the pub/sub message format. Layout (`prefix` default
 * `signalbox:health`; a target id is `encodeURIComponent(provider):encodeURIComponent(model)`):
 *
 * - `prefix:open:<target>`  JSON `{cooldownMs, trips, code}`, PX = the cooldown left. Exists
 *   while the target cools down; its PTTL is the remaining time, so clocks need not agree.
 * - `prefix:open-index`     ZSET of open target ids scored by expiry (ms), for the reconcile.
 * - `prefix:probe:<target>` the instance id holding the half-open probe, SET NX PX probe timeout.
 * - `prefix:events`         channel: `{"v":1,"type":"open"|"close","instance",…}` per transition.
 */
import type { Redis } from 'ioredis';
import { isRecord } from '../lib/is-record.ts';

/** A transition as published on the channel. */
export type HealthMessage =
  | {
      type: 'open';
      instance: string;
      provider: string;
      model: string;
      /** Cooldown left when published, ms. */
      remainingMs: number;
      cooldownMs: number;
      trips: number;
      code: string | null;
    }
  | { type: 'close'; instance: string; provider: string; model: string };

/** An open target read back from Redis. */
export interface StoredOpen {
  provider: string;
  model: string;
  remainingMs: number;
  cooldownMs: number;
  trips: number;
  code: string | null;
}

/**
 * Sets the cooldown unless a longer one is stored, indexes it, and publishes it. The channel is
 * an argument, not a key: ioredis's `keyPrefix` prefixes keys but never channels.
 */
const OPEN_SCRIPT = `
if redis.call('PTTL', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 1`;

/** Deletes a key only when it still holds our value (a lock's safe release). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Reads and writes the shared state under one key prefix. */
export class RedisHealthStore {
  readonly channel: string;
  readonly #client: Redis;
  readonly #prefix: string;

  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
    this.channel = `${prefix}:events`;
  }

  /**
   * Stores and announces a cooldown of `open.remainingMs` (no-op when ≤ 0 or a longer one is
   * stored). `indexTtlMs` bounds how long the index outlives its last write.
   */
  async writeOpen(instance: string, open: StoredOpen, indexTtlMs: number): Promise<void> {
    const remaining = Math.ceil(open.remainingMs);
    if (remaining <= 0) return;
    const id = targetId(open.provider, open.model);
    const value = JSON.stringify({
      cooldownMs: open.cooldownMs,
      trips: open.trips,
      code: open.code,
    });
    const message: HealthMessage = { type: 'open', instance, ...open, remainingMs: remaining };
    await this.#client.eval(
      OPEN_SCRIPT,
      2,
      this.#openKey(id),
      this.#indexKey(),
      value,
      remaining,
      Date.now() + remaining,
      id,
      Math.ceil(indexTtlMs),
      this.channel,
      JSON.stringify({ v: 1, ...message }),
    );
  }

  /** Deletes the cooldown and any probe claim, and announces the close. */
  async writeClose(instance: string, provider: string, model: string): Promise<void> {
    const id = targetId(provider, model);
    const message: HealthMessage = { type: 'close', instance, provider, model };
    await this.#client
      .multi()
      .del(this.#openKey(id), this.#probeKey(id))
      .zrem(this.#indexKey(), id)
      .publish(this.channel, JSON.stringify({ v: 1, ...message }))
      .exec();
  }

  /** Claims the half-open probe for `instance`; true when this call got it. */
  async claimProbe(instance: string, provider: string, model: string, ttlMs: number) {
    const key = this.#probeKey(targetId(provider, model));
    return (await this.#client.set(key, instance, 'PX', Math.ceil(ttlMs), 'NX')) === 'OK';
  }

  /** Gives the probe claim back, if `instance` still holds it. */
  async releaseProbe(instance: string, provider: string, model: string): Promise<void> {
    await this.#client.eval(RELEASE_SCRIPT, 1, this.#probeKey(targetId(provider, model)), instance);
  }

  /** Every target cooling down now, with the time it has left. */
  async readOpen(): Promise<StoredOpen[]> {
    await this.#client.zremrangebyscore(this.#indexKey(), '-inf', Date.now() - 60_000);
    const ids = await this.#client.zrange(this.#indexKey(), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.#client.pipeline();
    for (const id of ids) pipeline.get(this.#openKey(id)).pttl(this.#openKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const result: StoredOpen[] = [];
    ids.forEach((id, index) => {
      const value = replies[index * 2]?.[1];
      const ttl = replies[index * 2 + 1]?.[1];
      const target = parseTargetId(id);
      const stored = typeof value === 'string' ? parseJson(value) : undefined;
      if (target === undefined || !isRecord(stored) || typeof ttl !== 'number' || ttl <= 0) return;
      result.push({
        ...target,
        remainingMs: ttl,
        cooldownMs: finiteOr(stored.cooldownMs, ttl),
        trips: finiteOr(stored.trips, 1),
        code: typeof stored.code === 'string' ? stored.code : null,
      });
    });
    return result;
  }

  #openKey(id: string): string {
    return `${this.#prefix}:open:${id}`;
  }

  #probeKey(id: string): string {
    return `${this.#prefix}:probe:${id}`;
  }

  #indexKey(): string {
    return `${this.#prefix}:open-index`;
  }
}

/** Parses a channel message; undefined for anything malformed (never throws). */
export function parseHealthMessage(text: string): HealthMessage | undefined {
  const message = parseJson(text);
  if (!isRecord(message) || message.v !== 1) return undefined;
  const { type, instance, provider, model } = message;
  if (typeof instance !== 'string' || typeof provider !== 'string' || typeof model !== 'string')
    return undefined;
  if (type === 'close') return { type, instance, provider, model };
  if (type !== 'open' || typeof message.remainingMs !== 'number') return undefined;
  return {
    type,
    instance,
    provider,
    model,
    remainingMs: message.remainingMs,
    cooldownMs: finiteOr(message.cooldownMs, message.remainingMs),
    trips: finiteOr(message.trips, 1),
    code: typeof message.code === 'string' ? message.code : null,
  };
}

function targetId(provider: string, model: string): string {
  return `${encodeURIComponent(provider)}:${encodeURIComponent(model)}`;
}

function parseTargetId(id: string): { provider: string; model: string } | undefined {
  const [provider, model, extra] = id.split(':');
  if (provider === undefined || model === undefined || extra !== undefined) return undefined;
  try {
    return { provider: decodeURIComponent(provider), model: decodeURIComponent(model) };
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
