/**
 * Routing's wiring: the policies the request path reads (stored ones reloaded after a local
 * change and polled for other instances' changes), the health registry and OpenRouter's
 * published latency as routing signals, and the admin-side policy service and analytics.
 */
import type { Logger } from 'pino';
import {
  createPublishedLatencyStore,
  type PublishedLatencyStore,
} from './catalog/published-latency.ts';
import type { ModelEndpoint } from './catalog/parse-endpoints.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import { PROVIDER_WIDE, type HealthRegistry } from './limits/health-registry.ts';
import { createPolicyCache, type PolicyCache } from './routing/policy-cache.ts';
import { createPolicyService, type PolicyService } from './routing/policy-service.ts';
import type { RoutingAnalytics } from './routing/routing-analytics.ts';
import type { RoutingSignals } from './routing/route-signals.ts';
import {
  createRoutingAnalyticsRepository,
  createRoutingPolicyRepository,
  type Database,
} from './storage/index.ts';

/** The change-bus topic of routing policies. */
export const POLICIES_TOPIC = 'policies';

export interface RoutingWiring {
  policies: PolicyCache;
  signals: RoutingSignals;
  published: PublishedLatencyStore;
  /** null without a database. */
  service: PolicyService | null;
  analytics: RoutingAnalytics | null;
  close(): Promise<void>;
}

/** The health registry and the published-latency cache as routing reads them. */
export function routingSignals(
  health: HealthRegistry,
  published: Pick<PublishedLatencyStore, 'get'>,
): RoutingSignals {
  return {
    circuit(provider, model, now) {
      const whole = health.peek(provider, PROVIDER_WIDE, now);
      if (whole.open) return { open: true, retryAtMs: whole.retryAtMs, scope: 'provider' };
      const one = health.peek(provider, model, now);
      return one.open ? { open: true, retryAtMs: one.retryAtMs, scope: 'model' } : { open: false };
    },
    observed(provider, model) {
      const target = health.get(provider, model);
      if (target === undefined) return undefined;
      return {
        latencyMs: target.latencyEwmaMs,
        ttftMs: target.ttftEwmaMs,
        requests: target.requests,
        errorRate: target.errorRate,
      };
    },
    published: (model) => published.get(model),
  };
}

export async function composeRouting(options: {
  database: Database | null;
  /** Policy changes from other instances arrive here; this instance's are published on it. */
  bus: ChangeBus;
  /** How often the policies are re-checked in case a notice was lost, ms. */
  reconcileIntervalMs: number;
  health: HealthRegistry;
  fetchEndpoints: (id: string) => Promise<ModelEndpoint[] | null>;
  logger: Logger;
}): Promise<RoutingWiring> {
  const { database, logger } = options;
  const repository = database === null ? null : createRoutingPolicyRepository(database);
  const policies = createPolicyCache(repository);
  await policies.reload();
  const published = createPublishedLatencyStore({
    fetchEndpoints: options.fetchEndpoints,
    onError: (error, modelId) => {
      logger.debug({ err: error, model: modelId }, 'published latency fetch failed');
    },
  });
  const refresh = (): void => {
    policies.refresh().catch((error: unknown) => {
      logger.warn({ err: error }, 'routing policies could not be refreshed');
    });
  };
  // Another instance changed a policy: re-read now; the timer catches a lost notice.
  const unsubscribe = repository === null ? null : options.bus.subscribe(POLICIES_TOPIC, refresh);
  const timer = repository === null ? null : setInterval(refresh, options.reconcileIntervalMs);
  timer?.unref();
  return {
    policies,
    signals: routingSignals(options.health, published),
    published,
    service:
      repository === null
        ? null
        : createPolicyService({
            repository,
            // The change is committed: a failed reload must not fail the call (the poll retries).
            onChange: async (name) => {
              await policies.reload().catch((error: unknown) => {
                logger.warn({ err: error }, 'routing policies could not be reloaded');
              });
              await options.bus.publish({ topic: POLICIES_TOPIC, id: name });
            },
          }),
    analytics: database === null ? null : createRoutingAnalyticsRepository(database),
    close() {
      if (timer !== null) clearInterval(timer);
      unsubscribe?.();
      published.close();
      return Promise.resolve();
    },
  };
}
