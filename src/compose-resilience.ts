/**
 * The resilience services the pipeline reads between requests, built from the Config: the
 * health registry (circuit breakers per provider instance × model; in memory, or shared through
 * Redis when `SIGNALBOX_REDIS_URL` is set) with its settlement listener, and the instance-wide
 * retry budget. docs/decisions/0006-health-registry.md.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { HealthRegistry, HealthRegistryOptions } from './limits/health-registry.ts';
import { createMemoryHealthRegistry } from './limits/memory-health-registry.ts';
import { createRedisHealthRegistry } from './limits/redis-health-registry.ts';
import { createRetryBudget, type RetryBudget } from './limits/retry-budget.ts';
import type { SettlementListener } from './usage/settlement.ts';

export interface Resilience {
  health: HealthRegistry;
  retryBudget: RetryBudget;
  /** Feeds every upstream attempt into the health registry as soon as it ends. */
  healthListener: SettlementListener;
  close(): Promise<void>;
}

export function createResilience(config: Config, logger: Logger): Resilience {
  const options: HealthRegistryOptions = {
    ...config.circuit,
    // One warning per cooldown, from the instance that saw it happen (not per request).
    onTransition: (transition) => {
      if (transition.reason === 'remote') return;
      const fields = {
        provider: transition.provider,
        model: transition.model,
        reason: transition.reason,
        code: transition.code,
        cooldownMs: transition.cooldownMs,
      };
      if (transition.to === 'open') logger.warn(fields, 'circuit opened: cooling down');
      else if (transition.to === 'closed') logger.info(fields, 'circuit closed');
    },
  };
  const health =
    config.redisUrl === null
      ? createMemoryHealthRegistry(options)
      : createRedisHealthRegistry({ ...options, redis: config.redisUrl, logger });
  const retryBudget = createRetryBudget({
    percent: config.retryBudget.percent,
    minRetriesPerSecond: config.retryBudget.minRetriesPerSecond,
  });
  return {
    health,
    retryBudget,
    healthListener: {
      name: 'health',
      onAttempt: (attempt) => {
        health.record({
          provider: attempt.provider,
          model: attempt.model,
          status: attempt.status,
          upstreamStatus: attempt.upstreamStatus,
          latencyMs: attempt.latencyMs,
          ttftMs: attempt.ttftMs,
          at: attempt.startedAt.getTime() + attempt.latencyMs,
        });
      },
    },
    close: () => health.close(),
  };
}
