/**
 * The governance limits the `admit` stage enforces, built from the Config: rate limits (GCRA),
 * the concurrency queue and budgets (reserve, then settle) — in memory, or shared by every
 * instance through Redis when `SIGNALBOX_REDIS_URL` is set — each following its store-failure
 * mode. Budgets load a period's settled spend from the ledger. docs/decisions/0014-rate-limits-and-budgets.md.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { BudgetUsageReader } from './contracts/budget-usage.ts';
import type { ModelInfo } from './contracts/model-info.ts';
import { NO_METRICS, type Metrics } from './contracts/metrics.ts';
import { createLimitsAdmission, type LimitsAdmission } from './gateway/limits-admission.ts';
import { createAdmissionQueue } from './limits/admission-queue.ts';
import type { SettledSpendSource } from './limits/budget-store.ts';
import {
  createMemoryConcurrencyLimiter,
  createRedisConcurrencyLimiter,
} from './limits/concurrency-limiter.ts';
import { createMemoryBudgetStore } from './limits/memory-budget-store.ts';
import { createMemoryRateLimiter } from './limits/rate-limiter.ts';
import { createRedisBudgetStore } from './limits/redis-budget-store.ts';
import { createFailFastRedis, REDIS_COMMAND_TIMEOUT_MS } from './limits/redis-client.ts';
import { createRedisRateLimiter } from './limits/redis-rate-limiter.ts';
import { ControlHealth } from './limits/store-failure.ts';

export interface Limits {
  admission: LimitsAdmission;
  /** Spend and open reservations of a key's or project's budget (the admin API). */
  budgets: BudgetUsageReader;
  /** For `/health/ready`: shared through Redis, reachable, and the controls degraded now. */
  status(): { shared: boolean; reachable: boolean; degraded: string[] };
  /** Resolves once Redis answers, or after 2 s (requests then follow the store-failure modes). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface LimitsOptions {
  logger: Logger;
  lookupModel: (id: string) => ModelInfo | undefined;
  /** The ledger's settled spend (none without a database: every period starts at 0). */
  settledSpend: SettledSpendSource | null;
  /** An ioredis client to use instead of opening one from the config (the caller closes it). */
  redis?: Redis;
  /** Rate-limit rejections, queue depth and wait, budget use (default: none). */
  metrics?: Metrics;
}

export function createLimits(config: Config, options: LimitsOptions): Limits {
  const { logger } = options;
  const settledSpend: SettledSpendSource = options.settledSpend ?? (() => Promise.resolve(0n));
  const ownsClient = options.redis === undefined && config.redisUrl !== null;
  const client =
    options.redis ?? (config.redisUrl === null ? null : createFailFastRedis(config.redisUrl));
  // ioredis emits 'error' on every failed reconnection; the controls log once per transition.
  client?.on('error', () => undefined);
  const modes = config.limits.onStoreFailure;
  const health = {
    rates: new ControlHealth('rate_limits', modes.rateLimits, logger),
    concurrency: new ControlHealth('concurrency', modes.rateLimits, logger),
    budgets: new ControlHealth('budgets', modes.budgets, logger),
  };
  const timeZone = config.limits.budgetTimeZone;
  const budgets =
    client === null
      ? createMemoryBudgetStore({ settledSpend, timeZone })
      : createRedisBudgetStore({ client, settledSpend, timeZone });
  const rates = client === null ? createMemoryRateLimiter() : createRedisRateLimiter({ client });
  const queue = createAdmissionQueue({
    limiter:
      client === null
        ? createMemoryConcurrencyLimiter()
        : createRedisConcurrencyLimiter({ client }),
    maxWaitMs: config.limits.queueMaxWaitMs,
    maxDepth: config.limits.queueMaxDepth,
  });
  const admission = createLimitsAdmission({
    budgets,
    rates,
    queue,
    lookupModel: options.lookupModel,
    timeZone,
    health,
    logger,
    metrics: options.metrics ?? NO_METRICS,
  });
  return {
    admission,
    budgets,
    status: () => {
      const reachable = client === null || client.status === 'ready';
      return { shared: client !== null, reachable, degraded: admission.degraded() };
    },
    ready: async () => {
      if (client === null || client.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, REDIS_COMMAND_TIMEOUT_MS);
        function done(): void {
          clearTimeout(timer);
          client?.off('ready', done);
          resolve();
        }
        client.once('ready', done);
      });
    },
    close: async () => {
      queue.close();
      if (ownsClient && client !== null)
        await client.quit().catch(() => {
          client.disconnect();
        });
    },
  };
}
