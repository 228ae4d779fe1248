/**
 * The wiring the HTTP app (app.ts) and the in-process library (signalbox.ts) share: database
 * (or none), catalogue, OpenRouter adapter (or, in demo mode, the in-process emulator standing in
 * for it), direct providers behind the SSRF guard, ledger writer and the gateway services.
 */
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { createCatalogIndex, type CatalogIndex } from './catalog/catalog-index.ts';
import { loadSnapshotModels, modelsSnapshotDate } from './catalog/snapshot.ts';
import {
  createPriceHistory,
  NO_PRICE_HISTORY,
  type PriceHistory,
} from './catalog/price-history.ts';
import type { Config, DirectProviderConfig } from './config/config.ts';
import { OPENROUTER_PROVIDER_ID } from './config/provider-config.ts';
import type { ModelInfo } from './contracts/model-info.ts';
import {
  directProviderCatalogEntries,
  isDirectProviderEntry,
} from './catalog/direct-provider-models.ts';
import type { ModelEndpoint } from './catalog/parse-endpoints.ts';
import type { GatewayServices } from './gateway/index.ts';
import { createProviderInstances } from './compose-providers.ts';
import { composeChangeBus } from './compose-change-bus.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import { createInProcessChangeBus } from './lib/in-process-change-bus.ts';
import { createResilience } from './compose-resilience.ts';
import { createLimits, type Limits } from './compose-limits.ts';
import { composeRouting, type RoutingWiring } from './compose-routing.ts';
import { createRoutingCatalog, type RoutingCatalog } from './routing/routing-catalog.ts';
import { publishedLatencyListener } from './usage/published-latency-listener.ts';
import type { HealthRegistry } from './limits/health-registry.ts';
import { randomAlphanumeric } from './lib/ids.ts';
import { createProviderRegistry, providerKind, type ProviderInstance } from './providers/index.ts';
import {
  createCatalogRepository,
  createDatabase,
  createLedgerRepository,
  createSpendRepository,
  lockDataDirectory,
  type Database,
  type LedgerRepository,
} from './storage/index.ts';
import {
  createLedgerWriter,
  ledgerSettlementListener,
  type LedgerWriter,
} from './usage/ledger-writer.ts';
import { createSettlementHub, type Settlement } from './usage/settlement.ts';
import { createTracing } from './usage/otel-tracing.ts';
import { createPrometheusMetrics, type PrometheusMetrics } from './usage/prometheus-metrics.ts';
import { createCostReconciler, type GenerationLookup } from './usage/cost-reconciler.ts';

export interface GatewayCore {
  readonly config: Config;
  readonly logger: Logger;
  readonly gateway: GatewayServices;
  /** The ledger writer (a read of the ledger flushes it first: read-your-writes). */
  readonly ledger: LedgerWriter;
  /** Prometheus metrics (fed by the settlement listener and the ledger's commits). */
  readonly metrics: PrometheusMetrics;
  /** Circuit state per provider instance × model (for readiness and routing). */
  readonly health: HealthRegistry;
  /**
   * Run-time configuration changes announced to every instance (providers, policies, settings,
   * keys): Redis, PostgreSQL or in-process (compose-change-bus.ts). Publish after a commit;
   * subscribers re-read what changed.
   */
  readonly bus: ChangeBus;
  /** Rate limits, the queue and budgets (the `admit` stage), their spend and their status. */
  readonly limits: Limits;
  /** Routing policies (request path and admin service) and routing analytics. */
  readonly routing: RoutingWiring;
  /** Every provider instance id, in routing order (OpenRouter first); changes at run time. */
  readonly providerIds: readonly string[];
  /** Provider instances added at run time (the admin API), after the configured ones. */
  readonly runtimeProviders: RuntimeProviders;
  /** null with `persistence: 'none'`. */
  readonly database: Database | null;
  readonly ledgerRepository: LedgerRepository | null;
  /** The current catalogue. */
  catalog: () => CatalogIndex;
  /** Re-reads the catalogue from the database (after a sync or an enable/disable). */
  reloadCatalog: () => Promise<void>;
  /** OpenRouter's own model list (what a catalogue sync reads). */
  upstreamModels: () => Promise<ModelInfo[]>;
  /** OpenRouter's per-provider endpoints of one model; null when OpenRouter does not know it. */
  upstreamEndpoints: (id: string) => Promise<ModelEndpoint[] | null>;
  /** `demo` when the built-in emulator stands in for OpenRouter. */
  readonly mode: 'demo' | 'live';
  /** The emulator's origin in demo mode. */
  readonly emulatorOrigin: string | null;
  /** OpenRouter's API base and the key Signalbox uses there (the emulator's in demo mode). */
  readonly openrouter: { readonly apiKey: string; readonly baseUrl: string };
  /** Flushes the ledger and closes everything opened, in reverse order. */
  close: () => Promise<void>;
}

/**
 * The provider instances that change at run time. Installing a new set swaps the registry the
 * request path reads in one assignment: a request that already holds an adapter finishes on it
 * (old settings), the next lookup sees the new set.
 */
export interface RuntimeProviders {
  /** Instances from the environment and the configuration file, OpenRouter's first. Read-only. */
  readonly configured: readonly ProviderInstance[];
  /** Builds an instance without installing it. @throws ConfigError (SSRF guard, bad instance). */
  build(provider: DirectProviderConfig): ProviderInstance;
  /** The SSRF-guarded pool the built instances use (for a provider's connectivity test). */
  dispatcher(): Dispatcher;
  /** Installs `instances` (ids must not repeat a configured one) after the configured ones. */
  replace(instances: readonly ProviderInstance[]): void;
}

export interface ComposeOptions {
  logger: Logger;
  /** `database`: PGlite or PostgreSQL per the config, ledger journaled; `none`: nothing stored. */
  persistence: 'database' | 'none';
  /** Benchmark only: accept ledger writes without storing them (`'insert'`: journal only). */
  discardLedger?: boolean | 'insert';
}

const discardingLedger: LedgerWriter = {
  recovered: [],
  begin: () => Promise.resolve(),
  noteGeneration: () => undefined,
  write: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

type Closer = () => Promise<void>;

/** The ledger repository reporting each batch commit (size, duration) to the metrics. */
function timedLedger(repository: LedgerRepository, metrics: PrometheusMetrics): LedgerRepository {
  return {
    ...repository,
    async insertRequests(records) {
      const started = performance.now();
      await repository.insertRequests(records);
      metrics.ledgerCommitted(records.length, performance.now() - started);
    },
  };
}

async function closeAll(closers: Closer[]): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
}

interface LoadedCatalog {
  index: CatalogIndex;
  /** The same models as routing reads them (capability bits, prices per token). */
  routing: RoutingCatalog;
  /** Ids the operator disabled: never routed, even to the default provider. */
  disabled: ReadonlySet<string>;
  /** Every model's price versions: costs use the one in force when the attempt started. */
  prices: PriceHistory;
}

/**
 * Catalogue rows for the models provider instances serve under an explicit mapping that
 * OpenRouter does not list (src/catalog/direct-provider-models.ts), described by their kinds.
 */
export function providerCatalogEntries(
  providers: readonly DirectProviderConfig[],
  isCatalogued: (id: string) => boolean,
): ModelInfo[] {
  return directProviderCatalogEntries(providers, isCatalogued, (provider) =>
    providerKind(provider.kind),
  );
}

async function loadCatalog(database: Database): Promise<LoadedCatalog> {
  const repository = createCatalogRepository(database);
  const entries = await repository.listEntries();
  const listed = entries.filter((entry) => entry.enabled && entry.status === 'active');
  const models = listed.map((entry) => entry.model);
  return {
    index: createCatalogIndex(models),
    routing: createRoutingCatalog(models),
    disabled: new Set(entries.filter((entry) => !entry.enabled).map((entry) => entry.model.id)),
    prices: createPriceHistory(await repository.listPriceVersions()),
  };
}

/**
 * Seeds an empty catalogue from the snapshot, then gives every direct provider's explicitly
 * mapped model that OpenRouter does not list its own row (priced from LiteLLM, else unpriced).
 */
async function seededCatalog(database: Database, config: Config): Promise<LoadedCatalog> {
  const repository = createCatalogRepository(database);
  if ((await repository.countModels()) === 0)
    await repository.upsertModels(loadSnapshotModels(), modelsSnapshotDate);
  await addProviderCatalogEntries(database, config.providers);
  return loadCatalog(database);
}

/**
 * Gives every explicitly mapped model of `providers` that OpenRouter does not list its own
 * catalogue row (priced from LiteLLM, else unpriced); idempotent. The caller reloads the catalogue.
 */
export async function addProviderCatalogEntries(
  database: Database,
  providers: readonly DirectProviderConfig[],
): Promise<void> {
  if (providers.length === 0) return;
  const repository = createCatalogRepository(database);
  const listed = new Set(
    (await repository.listEntries())
      .filter((entry) => entry.status === 'active' && !isDirectProviderEntry(entry.model))
      .map((entry) => entry.model.id),
  );
  const direct = providerCatalogEntries(providers, (id) => listed.has(id));
  if (direct.length > 0) await repository.upsertModels(direct, new Date());
}

function snapshotCatalog(config: Config): LoadedCatalog {
  const snapshot = loadSnapshotModels();
  const ids = new Set(snapshot.map((model) => model.id));
  const direct = providerCatalogEntries(config.providers, (id) => ids.has(id));
  const models = [...snapshot, ...direct];
  return {
    index: createCatalogIndex(models),
    routing: createRoutingCatalog(models),
    disabled: new Set(),
    prices: NO_PRICE_HISTORY,
  };
}

async function openRouterTarget(
  config: Config,
  closers: Closer[],
): Promise<{ apiKey: string; baseUrl: string; emulatorOrigin: string | null }> {
  if (config.openrouter.apiKey !== null) {
    return {
      apiKey: config.openrouter.apiKey,
      baseUrl: config.openrouter.baseUrl,
      emulatorOrigin: null,
    };
  }
  const apiKey = `sk-or-demo-${randomAlphanumeric(32)}`;
  // Loaded only in demo mode: a live gateway never pays for the emulator's modules.
  const { createEmulator } = await import('./emulator/index.ts');
  const emulator = createEmulator({ apiKeys: [apiKey] });
  const origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => emulator.close());
  return { apiKey, baseUrl: `${origin}/api/v1`, emulatorOrigin: origin };
}

/** Wires everything a gateway needs from a Config. Closes what it opened if it fails. */
export async function composeGateway(
  config: Config,
  options: ComposeOptions,
): Promise<GatewayCore> {
  const { logger } = options;
  const closers: Closer[] = [];
  try {
    let database: Database | null = null;
    if (options.persistence === 'database') {
      // Before anything opens them: PGlite's files belong to one process, and so does a ledger
      // journal (with PostgreSQL each process, each cluster worker, has its own); a second
      // process on the same directory is refused.
      const lockedDirectory = config.databaseUrl === null ? config.dataDir : config.journalDir;
      const lock = await lockDataDirectory(lockedDirectory, {
        onCompromised: (error) => {
          logger.error({ err: error }, 'the data directory lock was lost');
        },
      });
      closers.push(() => lock.release());
      const opened = await createDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.databaseUrl === null ? `${config.dataDir}/db` : null,
      });
      database = opened;
      closers.push(() => opened.close());
    }
    const { bus } =
      database === null
        ? { bus: createInProcessChangeBus() }
        : await composeChangeBus(config, logger);
    closers.push(() => bus.close());
    let loaded: LoadedCatalog =
      database === null ? snapshotCatalog(config) : await seededCatalog(database, config);
    const openrouter = await openRouterTarget(config, closers);
    const upstreams = createProviderInstances(
      config,
      openrouter,
      (id) => loaded.index.get(id) !== undefined,
      closers,
    );
    let registry = createProviderRegistry(upstreams.instances);
    let directProviders: readonly ProviderInstance[] = upstreams.instances.slice(1);
    const runtimeProviders: RuntimeProviders = {
      configured: upstreams.instances,
      build: (provider) => upstreams.direct.build(provider),
      dispatcher: () => upstreams.direct.dispatcher(),
      replace(instances) {
        const next = createProviderRegistry([...upstreams.instances, ...instances]);
        registry = next;
        directProviders = next.list().slice(1);
      },
    };
    // Lazily: the health registry is created below, and read only at scrape time.
    const metrics = createPrometheusMetrics({
      databasePool: () => database?.poolStats() ?? null,
      circuits: () =>
        Promise.resolve(
          resilience.health
            .providers()
            .map((entry) => ({ provider: entry.provider, state: entry.state })),
        ),
    });
    const ledgerRepository =
      database === null ? null : timedLedger(createLedgerRepository(database), metrics);
    // Replays any journal a crash left behind before the gateway takes requests (ADR 0003).
    const ledger =
      ledgerRepository === null || options.discardLedger === true
        ? discardingLedger
        : await createLedgerWriter(
            options.discardLedger === 'insert'
              ? { ...ledgerRepository, insertRequests: () => Promise.resolve() }
              : ledgerRepository,
            {
              journalDir: config.ledgerMode === 'journal' ? config.journalDir : null,
              logger,
            },
          );
    closers.push(() => ledger.close());
    const resilience = createResilience(config, logger);
    closers.push(() => resilience.close());
    // crash-accounting (ADR 0009): what attempts that ended without a cost were billed, asked of
    // the upstream in the background — for settled requests and for those a crash interrupted.
    const reconciler =
      ledgerRepository === null || options.discardLedger === true
        ? null
        : createCostReconciler({
            lookup: (id): GenerationLookup | undefined => {
              const adapter = registry.get(id)?.adapter;
              if (adapter?.fetchGeneration === undefined) return undefined;
              return (generationId, callOptions) =>
                adapter.fetchGeneration?.(generationId, callOptions) ?? Promise.resolve(null);
            },
            repository: ledgerRepository,
            logger,
          });
    if (reconciler !== null) {
      closers.push(() => reconciler.close());
      for (const record of ledger.recovered) reconciler.onSettled(record);
    }
    const spend = database === null ? null : createSpendRepository(database);
    const limits = createLimits(config, {
      logger,
      metrics,
      lookupModel: (id) => loaded.index.get(id),
      settledSpend:
        spend === null
          ? null
          : async (scope, since) => {
              // Read-your-writes: rows still in this instance's journal are committed first.
              await ledger.flush();
              return spend.settledSpendNanoUsd(scope, since);
            },
    });
    closers.push(() => limits.close());
    await limits.ready();
    const routing = await composeRouting({
      database,
      bus,
      reconcileIntervalMs: config.reconcileIntervalMs,
      health: resilience.health,
      fetchEndpoints: upstreams.endpoints,
      logger,
    });
    closers.push(() => routing.close());
    // Tracing only when an OTLP endpoint is configured: otherwise the SDK is never imported.
    const tracing = config.tracing === null ? null : await createTracing(config.tracing);
    if (tracing !== null) closers.push(() => tracing.close());
    const gateway: GatewayServices = {
      ...(tracing === null ? {} : { tracing: true }),
      provider: (id) => registry.get(id)?.adapter,
      routing: {
        defaultProvider: OPENROUTER_PROVIDER_ID,
        // Every instance but OpenRouter's own, which serves whatever no other instance claims.
        get directProviders() {
          return directProviders;
        },
        catalog: () => loaded.routing,
        isModelDisabled: (id) => loaded.disabled.has(id),
        policy: (name) => routing.policies.get(name),
        signals: routing.signals,
      },
      lookupModel: (id) => loaded.index.get(id),
      priceAt: (id, at) => loaded.prices.at(id, at),
      health: resilience.health,
      retryBudget: resilience.retryBudget,
      admission: limits.admission,
      journal: ledger,
      settlement: createSettlementHub(
        [
          ledgerSettlementListener(ledger),
          metrics.listener,
          ...(tracing === null ? [] : [tracing.listener]),
          resilience.healthListener,
          ...(reconciler === null
            ? []
            : [
                {
                  name: 'cost-reconciler',
                  onSettled: (settlement: Settlement) => {
                    reconciler.onSettled(settlement.record);
                  },
                },
              ]),
          publishedLatencyListener(routing.published),
        ],
        logger,
      ),
      resilience: {
        maxRetries: config.maxRetries,
        maxRetryDelayMs: config.maxRetryDelayMs,
        firstByteTimeoutMs: config.timeouts.firstByteMs,
        fallbackTtftMs: config.fallbackTtftMs,
        requestTimeoutMs: config.requestTimeoutMs,
        fallbackReply: config.fallbackReply,
      },
      logger,
      now: Date.now,
    };
    return {
      config,
      logger,
      gateway,
      ledger,
      metrics,
      health: resilience.health,
      limits,
      routing,
      get providerIds() {
        return registry.list().map((instance) => instance.id);
      },
      runtimeProviders,
      bus,
      database,
      ledgerRepository,
      catalog: () => loaded.index,
      reloadCatalog: async () => {
        if (database !== null) loaded = await loadCatalog(database);
      },
      upstreamModels: () => upstreams.instances[0]?.adapter.listModels() ?? Promise.resolve([]),
      upstreamEndpoints: upstreams.endpoints,
      mode: openrouter.emulatorOrigin === null ? 'live' : 'demo',
      emulatorOrigin: openrouter.emulatorOrigin,
      openrouter: { apiKey: openrouter.apiKey, baseUrl: openrouter.baseUrl },
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
