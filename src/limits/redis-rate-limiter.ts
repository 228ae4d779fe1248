/**
 * GCRA limits (rate-limiter.ts) shared by every instance: one Redis key per limit holding its
 * TAT, changed by a Lua script that checks and takes every limit of a request atomically,
 * against Redis's clock (instances need not agree on the time). Two gateways on one Redis
 * therefore admit exactly the limit between them.
 */
import type { Redis } from 'ioredis';
import { RATE_PERIOD_MS, type RateLimiter, type RateState } from './rate-limiter.ts';

/**
 * KEYS: one per limit. ARGV: period ms, then limit and cost per key. Returns
 * {allowed 0/1, retryAfterMs ×1000 (−1 = never), then remaining and resetMs per key}.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local period = tonumber(ARGV[1])
local n = #KEYS
local tats, news, intervals = {}, {}, {}
local allowed = 1
local retry = 0
for i = 1, n do
  local limit = tonumber(ARGV[2 * i])
  local cost = tonumber(ARGV[2 * i + 1])
  local interval = period / limit
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local candidate = tat + cost * interval
  tats[i] = tat
  news[i] = candidate
  intervals[i] = interval
  if cost > limit then
    allowed = 0
    retry = -1
  elseif candidate - now > period then
    allowed = 0
    if retry >= 0 and candidate - now - period > retry then retry = candidate - now - period end
  end
end
local reply = {allowed, math.floor(retry * 1000)}
for i = 1, n do
  local tat = tats[i]
  if allowed == 1 then
    tat = news[i]
    redis.call('SET', KEYS[i], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1)
  end
  local used = tat - now
  if used < 0 then used = 0 end
  reply[#reply + 1] = math.floor((period - used) / intervals[i] + 1e-9)
  reply[#reply + 1] = math.ceil(used)
end
return reply`;

/** KEYS: the limit. ARGV: period ms, limit, delta units. Moves the TAT, never below now. */
const ADJUST_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
tat = tat + tonumber(ARGV[3]) * tonumber(ARGV[1]) / tonumber(ARGV[2])
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1)
end
return 1`;

type ScriptClient = Redis & {
  rateTake(...args: (string | number)[]): Promise<number[]>;
  rateAdjust(...args: (string | number)[]): Promise<number>;
};

export interface RedisRateLimiterOptions {
  /** The caller's ioredis client (it keeps it and closes it). */
  client: Redis;
  /** Default `signalbox:rate`. */
  keyPrefix?: string;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const client = options.client as ScriptClient;
  if (typeof client.rateTake !== 'function') {
    client.defineCommand('rateTake', { lua: TAKE_SCRIPT });
    client.defineCommand('rateAdjust', { numberOfKeys: 1, lua: ADJUST_SCRIPT });
  }
  const prefix = options.keyPrefix ?? 'signalbox:rate';
  return {
    async take(takes) {
      const args: (string | number)[] = [takes.length];
      for (const take of takes) args.push(`${prefix}:${take.key}`);
      args.push(RATE_PERIOD_MS);
      for (const take of takes) args.push(take.limit, take.cost);
      const reply = await client.rateTake(...args);
      const states: RateState[] = takes.map((take, index) => ({
        limit: take.limit,
        remaining: Math.max(0, reply[2 + 2 * index] ?? 0),
        resetMs: reply[3 + 2 * index] ?? 0,
      }));
      const retry = reply[1] ?? 0;
      return {
        allowed: reply[0] === 1,
        states,
        retryAfterMs: retry < 0 ? Infinity : retry / 1000,
      };
    },
    async adjust(key, limit, delta) {
      if (delta === 0) return;
      await client.rateAdjust(`${prefix}:${key}`, RATE_PERIOD_MS, limit, delta);
    },
    close: () => Promise.resolve(),
  };
}
