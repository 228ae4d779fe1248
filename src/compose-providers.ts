/**
 * The provider instances of a Config, as ONE list that feeds both the registry (adapters by id)
 * and routing (which instance serves which model): OpenRouter's own instance first (it serves
 * every model no other instance claims), then each configured instance in configuration order.
 */
import { Agent, type Dispatcher } from 'undici';
import type { ModelEndpoint } from './catalog/parse-endpoints.ts';
import { ConfigError, type Config, type DirectProviderConfig } from './config/config.ts';
import {
  createDirectProviderAdapter,
  createOpenRouterAdapter,
  createUpstreamDispatcher,
  directProviderModelResolver,
  fetchOpenRouterEndpoints,
  type ProviderInstance,
} from './providers/index.ts';
import { checkOutboundUrl, createGuardedConnector } from './security/ssrf-guard.ts';

type Closer = () => Promise<void>;

/**
 * Builds the instances. Configured base URLs are operator input: checked here (save time) and,
 * decisively, on every connection's resolved address by the guarded connector (SSRF;
 * `SIGNALBOX_ALLOWED_PRIVATE_HOSTS` lists exceptions).
 * @throws ConfigError for a base URL that points at a forbidden address, or a bad instance.
 */
export function createProviderInstances(
  config: Config,
  openrouter: { apiKey: string; baseUrl: string },
  isCatalogued: (id: string) => boolean,
  closers: Closer[],
): {
  instances: ProviderInstance[];
  endpoints: (id: string) => Promise<ModelEndpoint[] | null>;
  /** Builds more direct instances (providers added at run time) on the same guarded pool. */
  direct: DirectInstanceBuilder;
} {
  const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: config.timeouts.connectMs });
  closers.push(() => dispatcher.close());
  // An admin page waits on this: short timeouts, and the shared keep-alive pool.
  const endpoints = (id: string): Promise<ModelEndpoint[] | null> =>
    fetchOpenRouterEndpoints(
      {
        ...openrouter,
        dispatcher,
        timeouts: {
          firstByteMs: Math.min(config.timeouts.firstByteMs, 5_000),
          idleMs: 5_000,
          totalMs: 8_000,
        },
      },
      id,
    );
  const instances: ProviderInstance[] = [
    {
      id: 'openrouter',
      kind: 'openrouter',
      adapter: createOpenRouterAdapter({
        ...openrouter,
        dispatcher,
        appUrl: config.openrouter.appUrl,
        appTitle: config.openrouter.appTitle,
        timeouts: config.timeouts,
      }),
      nativeModel: (canonicalId) => canonicalId,
    },
  ];
  const direct = directInstanceBuilder(config, isCatalogued, closers);
  for (const provider of config.providers) instances.push(direct.build(provider));
  return { instances, endpoints, direct };
}

/**
 * Builds direct provider instances (configured at start, or added through the admin API later)
 * over one SSRF-guarded connection pool, opened at first use and closed with `closers`.
 * @throws ConfigError for a base URL that points at a forbidden address, or a bad instance.
 */
export function directInstanceBuilder(
  config: Config,
  isCatalogued: (id: string) => boolean,
  closers: Closer[],
): DirectInstanceBuilder {
  let guarded: Agent | null = null;
  const dispatcher = (): Agent => {
    if (guarded === null) {
      const agent = new Agent({
        connect: createGuardedConnector(config.allowedPrivateHosts, {
          timeout: config.timeouts.connectMs,
        }),
        keepAliveTimeout: 4_000,
      });
      guarded = agent;
      closers.push(() => agent.close());
    }
    return guarded;
  };
  return {
    dispatcher,
    build(provider) {
      const check = checkOutboundUrl(provider.baseUrl, config.allowedPrivateHosts);
      if (!check.ok)
        throw new ConfigError(
          `The base URL of provider "${provider.id}" is refused: ${check.reason}`,
        );
      return {
        id: provider.id,
        kind: provider.kind,
        adapter: createDirectProviderAdapter(provider, {
          timeouts: config.timeouts,
          dispatcher: dispatcher(),
        }),
        nativeModel: directProviderModelResolver(provider, isCatalogued),
      };
    },
  };
}

/** Direct provider instances over one SSRF-guarded pool (operator-given base URLs). */
export interface DirectInstanceBuilder {
  /** @throws ConfigError for a base URL that points at a forbidden address, or a bad instance. */
  build(provider: DirectProviderConfig): ProviderInstance;
  /** The guarded pool, for other calls to operator-given URLs (a provider's connectivity test). */
  dispatcher(): Dispatcher;
}
