/**
 * The budget store shared by every instance through Redis (ioredis). Per budget and period, a
 * hash `prefix:<kind>:<id>:<period>:<start>` holds `spent`, `reserved` and one `r:<request id>`
 * field per open reservation, and a ZSET `…:x` their expiry (Redis TIME, ms). Reserve and
 * settle are Lua scripts, so check-and-reserve over the key's and the project's budget is one
 * atomic step on the server, whichever instance asks. A missing hash means the period's spend is
 * not loaded: the script answers so, the caller reads the ledger and sets it (HSETNX: the first
 * loader wins) and asks again. See budget-store.ts.
 */
import type { Redis } from 'ioredis';
import type { BudgetScope, BudgetUsage } from '../contracts/budget-usage.ts';
import type { BudgetSpec } from '../contracts/principal.ts';
import { budgetPeriodMaxMs, budgetPeriodStart } from './budget-period.ts';
import {
  holdKey,
  type BudgetHold,
  type BudgetStore,
  type ReserveRequest,
  type ReserveResult,
  type SettledSpendSource,
} from './budget-store.ts';

/** Shared by the scripts: integers as exact strings (Lua's tostring would use exponents). */
const LUA_HELPERS = `
local function int(x) return string.format('%d', x) end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function expire(h, z, now)
  local gone = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, member in ipairs(gone) do
    local held = redis.call('HGET', h, 'r:' .. member)
    if held then
      redis.call('HINCRBY', h, 'reserved', int(-tonumber(held)))
      redis.call('HDEL', h, 'r:' .. member)
    end
  end
  if #gone > 0 then redis.call('ZREMRANGEBYSCORE', z, '-inf', now) end
end
`;

/**
 * KEYS: hash, zset per hold. ARGV: amount, minimum, id, ttlMs, then per hold: limit, key TTL
 * seconds (0 = none). Returns {-1, hold index} when a hold's spend is not loaded, {0, free} when
 * refused, {1, reserved} when reserved.
 */
const RESERVE_SCRIPT = `${LUA_HELPERS}
local amount = tonumber(ARGV[1])
local minimum = tonumber(ARGV[2])
local id = ARGV[3]
local ttl = tonumber(ARGV[4])
local now = clock()
local n = #KEYS / 2
local available = amount
for i = 1, n do
  local h = KEYS[2 * i - 1]
  local spent = redis.call('HGET', h, 'spent')
  if not spent then return {-1, i} end
  expire(h, KEYS[2 * i], now)
  local reserved = tonumber(redis.call('HGET', h, 'reserved') or '0')
  local free = tonumber(ARGV[3 + 2 * i]) - tonumber(spent) - reserved
  if free < available then available = free end
end
if available < minimum or available < 0 then
  if available < 0 then available = 0 end
  return {0, int(available)}
end
for i = 1, n do
  local h = KEYS[2 * i - 1]
  local z = KEYS[2 * i]
  redis.call('HINCRBY', h, 'reserved', int(available))
  redis.call('HSET', h, 'r:' .. id, int(available))
  redis.call('ZADD', z, now + ttl, id)
  local keyTtl = tonumber(ARGV[4 + 2 * i])
  if keyTtl > 0 then
    redis.call('EXPIRE', h, keyTtl)
    redis.call('EXPIRE', z, keyTtl)
  end
end
return {1, int(available)}`;

/** KEYS: hash, zset per hold. ARGV: id, actual. Releases the reservation, adds the spend. */
const SETTLE_SCRIPT = `${LUA_HELPERS}
local id = ARGV[1]
for i = 1, #KEYS / 2 do
  local h = KEYS[2 * i - 1]
  local held = redis.call('HGET', h, 'r:' .. id)
  if held then
    redis.call('HINCRBY', h, 'reserved', int(-tonumber(held)))
    redis.call('HDEL', h, 'r:' .. id)
    redis.call('ZREM', KEYS[2 * i], id)
  end
  if redis.call('HEXISTS', h, 'spent') == 1 then redis.call('HINCRBY', h, 'spent', ARGV[2]) end
end
return 1`;

/** KEYS: hash, zset. Returns {spent, reserved} after expiry, or {} when not loaded. */
const USAGE_SCRIPT = `${LUA_HELPERS}
local spent = redis.call('HGET', KEYS[1], 'spent')
if not spent then return {} end
expire(KEYS[1], KEYS[2], clock())
return {spent, redis.call('HGET', KEYS[1], 'reserved') or '0'}`;

/** KEYS: hash. ARGV: spent, key TTL seconds. Sets the loaded spend unless another loader did. */
const LOAD_SCRIPT = `
if redis.call('HSETNX', KEYS[1], 'spent', ARGV[1]) == 1 then
  redis.call('HSETNX', KEYS[1], 'reserved', '0')
  if tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
end
return 1`;

export interface RedisBudgetStoreOptions {
  /** The caller's ioredis client (it keeps it and closes it). */
  client: Redis;
  settledSpend: SettledSpendSource;
  timeZone: string;
  /** Default `signalbox:budget`. */
  keyPrefix?: string;
  now?: () => number;
}

type ScriptClient = Redis & {
  budgetReserve(...args: (string | number)[]): Promise<[number, number | string]>;
  budgetSettle(...args: (string | number)[]): Promise<number>;
  budgetUsage(...args: (string | number)[]): Promise<string[]>;
  budgetLoad(...args: (string | number)[]): Promise<number>;
};

function defineScripts(client: Redis): ScriptClient {
  const scripted = client as ScriptClient;
  if (typeof scripted.budgetReserve !== 'function') {
    client.defineCommand('budgetReserve', { lua: RESERVE_SCRIPT });
    client.defineCommand('budgetSettle', { lua: SETTLE_SCRIPT });
    client.defineCommand('budgetUsage', { numberOfKeys: 2, lua: USAGE_SCRIPT });
    client.defineCommand('budgetLoad', { numberOfKeys: 1, lua: LOAD_SCRIPT });
  }
  return scripted;
}

/** Seconds the counters of a period live: its longest length plus a day. 0 = forever. */
function keyTtlSeconds(period: BudgetSpec['period']): number {
  const maxMs = budgetPeriodMaxMs(period);
  return maxMs === null ? 0 : Math.ceil((maxMs + 86_400_000) / 1000);
}

/** Creates the store on `options.client`; defines its scripts on that client. */
export function createRedisBudgetStore(options: RedisBudgetStoreOptions): BudgetStore {
  const client = defineScripts(options.client);
  const prefix = options.keyPrefix ?? 'signalbox:budget';
  const now = options.now ?? Date.now;
  const hashKey = (hold: BudgetHold): string => `${prefix}:${holdKey(hold)}`;

  async function load(hold: BudgetHold): Promise<void> {
    const spent = await options.settledSpend(hold.scope, new Date(hold.periodStart));
    await client.budgetLoad(hashKey(hold), spent.toString(), keyTtlSeconds(hold.budget.period));
  }

  function keysOf(holds: readonly BudgetHold[]): string[] {
    return holds.flatMap((hold) => [hashKey(hold), `${hashKey(hold)}:x`]);
  }

  return {
    async reserve(request: ReserveRequest): Promise<ReserveResult> {
      const keys = keysOf(request.holds);
      const args: (string | number)[] = [
        keys.length,
        ...keys,
        request.amountNanoUsd.toString(),
        request.minimumNanoUsd.toString(),
        request.id,
        Math.max(1, Math.ceil(request.ttlMs)),
      ];
      for (const hold of request.holds)
        args.push(hold.budget.limitNanoUsd.toString(), keyTtlSeconds(hold.budget.period));
      // Each round loads at most one missing period; a hold cannot go missing twice in a row
      // unless Redis is flushed meanwhile, so a few rounds always suffice.
      for (let round = 0; round <= request.holds.length + 1; round += 1) {
        const [status, value] = await client.budgetReserve(...args);
        if (status === 1) return { ok: true, reservedNanoUsd: BigInt(value) };
        if (status === 0) return { ok: false, availableNanoUsd: BigInt(value) };
        const missing = request.holds[Number(value) - 1];
        if (missing === undefined) break;
        await load(missing);
      }
      throw new Error('budget counters could not be loaded');
    },

    async settle(id, holds, actualNanoUsd) {
      const keys = keysOf(holds);
      await client.budgetSettle(keys.length, ...keys, id, actualNanoUsd.toString());
    },

    async usage(scope: BudgetScope, budget: BudgetSpec): Promise<BudgetUsage> {
      const periodStart = budgetPeriodStart(budget.period, now(), options.timeZone);
      const hold: BudgetHold = { scope, budget, periodStart };
      let reply = await client.budgetUsage(hashKey(hold), `${hashKey(hold)}:x`);
      if (reply.length === 0) {
        await load(hold);
        reply = await client.budgetUsage(hashKey(hold), `${hashKey(hold)}:x`);
      }
      return {
        spentNanoUsd: BigInt(reply[0] ?? '0'),
        reservedNanoUsd: BigInt(reply[1] ?? '0'),
        periodStart,
      };
    },

    close: () => Promise.resolve(),
  };
}
