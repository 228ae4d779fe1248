/**
 * The composition root of the server: `createApp(config)` composes the gateway core
 * (compose-gateway.ts: database, catalogue, providers, ledger) with the master key and the
 * HTTP server. Nothing else constructs infrastructure.
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { CatalogIndex } from './catalog/catalog-index.ts';
import type { Config } from './config/config.ts';
import {
  addProviderCatalogEntries,
  composeGateway,
  providerCatalogEntries,
  type GatewayCore,
} from './compose-gateway.ts';
import { composeProviderAdmin, type ProviderAdminWiring } from './compose-provider-admin.ts';
import { composeRuntimeSettings, type RuntimeSettingsWiring } from './compose-runtime-settings.ts';
import { composeAlerts, type AlertsWiring } from './compose-alerts.ts';
import type { AlertEvaluator } from './alerts/alert-evaluator.ts';
import { loadVaultKey } from './security/vault-key.ts';
import { createHttpServer } from './http/server.ts';
import { generateMasterKey, hashKey } from './security/master-key.ts';
import { chainPrincipalResolvers, createMasterKeyResolver } from './security/principal-resolver.ts';
import { createVirtualKeyResolver } from './security/virtual-key-resolver.ts';
import type { BudgetUsageReader } from './contracts/budget-usage.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import { createSessionService } from './http/admin/session-service.ts';
import { defaultDashboardDirectory } from './http/ui/dashboard-directory.ts';
import { isDashboardBuilt } from './http/ui/serve-dashboard.ts';
import { redactedLogPaths } from './security/redact.ts';
import { createCatalogEntryIndexCache } from './catalog/catalog-entry-index.ts';
import { startCatalogSync } from './catalog/sync-catalog.ts';
import {
  cacheModelEndpoints,
  createUpstreamDispatcher,
  fetchOpenRouterAccount,
} from './providers/index.ts';
import type { Server } from 'node:http';
import { createSyncScheduler } from './catalog/sync-scheduler.ts';
import { startMetricsServer } from './http/routes/metrics.ts';
import type { CatalogAdminDependencies } from './http/routes/admin-catalog.ts';
import {
  createAdminSessionRepository,
  createApiKeyRepository,
  createAuditRepository,
  createLedgerSpendReader,
  createProjectRepository,
  createCostAccuracyRepository,
  createUsageAnalyticsRepository,
  createTrafficProfileRepository,
  startTrafficProfileRefresher,
  type TrafficProfileRefresher,
  createCatalogRepository,
  createModelSyncRunRepository,
  createProviderRepository,
  createSettingsRepository,
  type Database,
  type ModelStatistics,
  type SettingsRepository,
} from './storage/index.ts';
import { FEATURE_NAMES } from './usage/recommendation-report.ts';

const MASTER_KEY_SETTING = 'master_key_sha256';

export interface SignalboxApp {
  readonly config: Config;
  readonly server: FastifyInstance;
  readonly logger: Logger;
  /** `demo` when the built-in emulator stands in for OpenRouter. */
  readonly mode: 'demo' | 'live';
  /** The master key, only when this start generated it (print it once). */
  readonly generatedMasterKey: string | null;
  readonly catalog: () => CatalogIndex;
  readonly database: Database;
  /** The emulator's origin in demo mode. */
  readonly emulatorOrigin: string | null;
  /** Whether the dashboard's build is there to be served at /ui/. */
  readonly dashboardBuilt: boolean;
  /** Run-time configuration changes, announced to every instance (src/lib/change-bus.ts). */
  readonly bus: ChangeBus;
  /** The port of the unauthenticated metrics listener (SIGNALBOX_METRICS_PORT) once listening. */
  readonly metricsPort: number | null;
  /**
   * Alert rules: `evaluate()` runs one evaluation now (the timer runs one every
   * SIGNALBOX_ALERTS_INTERVAL_MS once listening). docs/alerts.md.
   */
  readonly alerts: AlertEvaluator;
  /**
   * Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:8787`).
   * @throws the listen error (port in use, bad HOST); the app stays open: close() it.
   */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: readiness turns 503, the listener stops accepting, idle keep-alive
   * connections close at once, in-flight requests get up to `SIGNALBOX_SHUTDOWN_TIMEOUT_MS` to
   * finish (then their connections are cut), the ledger is flushed, then the database, the
   * emulator and the data-directory lock are released. Idempotent.
   */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** A logger to use instead of pino on stdout (tests pass a silent one). */
  logger?: Logger;
  /**
   * Benchmark only, to measure the ledger's own cost: `true` accepts ledger writes without
   * storing them; `'insert'` journals them as usual but skips the database insert.
   */
  discardLedger?: boolean | 'insert';
  /** The built dashboard to serve at /ui/ (default `web/dist`); null = no dashboard. */
  dashboardDirectory?: string | null;
  /** Announces key/project changes to every instance; default: the app's own bus (`bus`). */
  changes?: ChangeBus;
  /** Budget spend and reservations for `GET /admin/keys/{id}`; default: the budget store of the limits. */
  budgetUsage?: BudgetUsageReader | null;
}

/** Returns the master key's hash, generating and storing a new key at first start. */
async function initialiseMasterKey(
  settings: SettingsRepository,
  configured: string | null,
): Promise<{ hash: string; generated: string | null }> {
  if (configured !== null) return { hash: hashKey(configured), generated: null };
  const stored = await settings.get(MASTER_KEY_SETTING);
  if (stored !== null) return { hash: stored, generated: null };
  const key = generateMasterKey();
  if (await settings.setIfAbsent(MASTER_KEY_SETTING, hashKey(key)))
    return { hash: hashKey(key), generated: key };
  // Another instance won the race: use its key, which it printed.
  const winner = await settings.get(MASTER_KEY_SETTING);
  if (winner === null) throw new Error('The master key could not be stored.');
  return { hash: winner, generated: null };
}

/** Builds the whole gateway server from a Config (see src/config/config.ts). */
export async function createApp(
  config: Config,
  options: CreateAppOptions = {},
): Promise<SignalboxApp> {
  const logger =
    options.logger ??
    pino({
      level: config.logLevel,
      redact: { paths: [...redactedLogPaths], censor: '[redacted]' },
      base: { service: 'signalbox' },
    });
  // composeGateway locks the data directory before anything opens it (and releases it last).
  const core: GatewayCore = await composeGateway(config, {
    logger,
    persistence: 'database',
    ...(options.discardLedger === undefined ? {} : { discardLedger: options.discardLedger }),
  });
  // OpenRouter's /key and /credits for drop-in apps: short timeouts, a client waits on them.
  const accountDispatcher = createUpstreamDispatcher({
    connectTimeoutMs: config.timeouts.connectMs,
  });
  let providerAdmin: ProviderAdminWiring | null = null;
  let runtimeSettings: RuntimeSettingsWiring | null = null;
  let alerts: AlertsWiring | null = null;
  let trafficProfiles: TrafficProfileRefresher | null = null;
  const closeAll = async (): Promise<void> => {
    await alerts?.close();
    await trafficProfiles?.close();
    providerAdmin?.close();
    runtimeSettings?.close();
    await accountDispatcher.close().catch(() => undefined);
    await core.close();
  };
  try {
    const { database, ledgerRepository } = core;
    if (database === null || ledgerRepository === null)
      throw new Error('The server needs a database.');
    const masterKey = await initialiseMasterKey(
      createSettingsRepository(database),
      config.masterKey,
    );
    const { service: routingService, analytics: routingAnalytics } = core.routing;
    if (routingService === null || routingAnalytics === null)
      throw new Error('The server needs routing storage.');
    const catalogRepository = createCatalogRepository(database);
    const syncRuns = createModelSyncRunRepository(database);
    // Observed behaviour per model over the last 7 days, from the ledger, cached for 30 s.
    let observedCache: { at: number; value: Promise<Map<string, ModelStatistics>> } | null = null;
    const observed = (): Promise<Map<string, ModelStatistics>> => {
      if (observedCache === null || Date.now() - observedCache.at > 30_000) {
        observedCache = {
          at: Date.now(),
          // Read-your-writes, as /admin/requests: rows still in the journal are committed first.
          value: core.ledger
            .flush()
            .then(() => ledgerRepository.modelStatistics(new Date(Date.now() - 7 * 86_400_000))),
        };
      }
      return observedCache.value;
    };
    // Admin search reads an index rebuilt only when the catalogue changes (sync, enable/disable).
    const entryIndex = createCatalogEntryIndexCache(() => catalogRepository.listEntries());
    const reloadCatalog = async (): Promise<void> => {
      entryIndex.invalidate();
      await core.reloadCatalog();
    };
    const changeBus = core.bus;
    const vaultKey = await loadVaultKey({
      encryptionKey: config.encryptionKey,
      encryptionKeyPrevious: config.encryptionKeyPrevious,
      dataDir: config.dataDir,
      demo: core.mode === 'demo',
    });
    if (vaultKey.warning !== null) logger.warn(vaultKey.warning);
    const alertsWiring = composeAlerts({
      config,
      database,
      budgets: options.budgetUsage ?? core.limits.budgets,
      vault: vaultKey.vault,
      flushLedger: () => core.ledger.flush(),
      logger,
    });
    alerts = alertsWiring;
    // The recommendations' traffic profile view (ADR 0023): now, then every 10 minutes.
    const onRefreshError = (error: unknown) => {
      logger.warn({ err: error }, 'traffic profile refresh failed');
    };
    trafficProfiles = startTrafficProfileRefresher(database, { onError: onRefreshError });
    trafficProfiles.refresh().catch(onRefreshError);
    const providers = composeProviderAdmin({
      config,
      runtime: core.runtimeProviders,
      repository: createProviderRepository(database),
      keys: vaultKey,
      bus: changeBus,
      logger,
      openrouter: core.openrouter,
      otherSecrets: [(executor) => alertsWiring.rewrapSecrets(executor)],
      onInstalled: async (installed) => {
        await addProviderCatalogEntries(database, installed);
        await reloadCatalog();
      },
    });
    providerAdmin = providers;
    // A rotation's start: every data key still wrapped by SIGNALBOX_ENCRYPTION_KEY_PREVIOUS is
    // re-wrapped by the new key, online (rows are locked one transaction long; requests never read them).
    const rewrapped = await providers.rewrapAll();
    if (rewrapped > 0)
      logger.info({ rewrapped, keyId: vaultKey.vault.keyId }, 'vault: data keys re-wrapped');
    await providers.reload();
    const settingsWiring = await composeRuntimeSettings({
      config,
      repository: createSettingsRepository(database),
      gateway: core.gateway,
      bus: changeBus,
      logger,
    });
    runtimeSettings = settingsWiring;
    const catalogAdmin: CatalogAdminDependencies = {
      catalogRepository,
      syncRuns,
      startSync: () =>
        startCatalogSync({
          // OpenRouter never lists direct providers' own models: add them, so a sync does not
          // retire them (an empty answer stays empty, so the sync's guard still refuses it).
          fetchModels: async () => {
            const listed = await core.upstreamModels();
            if (listed.length === 0) return listed;
            const ids = new Set(listed.map((model) => model.id));
            return [
              ...listed,
              ...providerCatalogEntries([...config.providers, ...providers.stored()], (id) =>
                ids.has(id),
              ),
            ];
          },
          runs: syncRuns,
          catalog: catalogRepository,
          instance: `${hostname()}:${process.pid}`,
          onProgress: (run) => {
            if (run.status !== 'running') void reloadCatalog();
          },
        }),
      reloadCatalog,
      entryIndex: () => entryIndex.get(),
      modelEndpoints: cacheModelEndpoints(core.upstreamEndpoints, { ttlMs: 5 * 60_000 }),
      observedLatencyMs: async () => {
        const latency = new Map<string, number>();
        for (const [model, stats] of await observed()) {
          if (stats.medianLatencyMs !== null) latency.set(model, stats.medianLatencyMs);
        }
        return latency;
      },
      observedErrors: async () => {
        const errors = new Map<string, { requests: number; errorRate: number }>();
        for (const [model, stats] of await observed()) {
          errors.set(model, { requests: stats.requests, errorRate: stats.errors / stats.requests });
        }
        return errors;
      },
    };
    // Sync at start when the catalogue is older than SIGNALBOX_CATALOG_MAX_AGE_HOURS, then on a
    // schedule — only against the real OpenRouter (in demo mode the snapshot is the catalogue).
    const scheduler = createSyncScheduler({
      startSync: () => catalogAdmin.startSync(),
      latestSucceeded: () => syncRuns.latestSucceeded(),
      maxAgeMs: config.catalogMaxAgeMs,
      intervalMs: config.catalogSyncIntervalMs,
      logger,
    });
    const dashboardDirectory =
      options.dashboardDirectory === undefined
        ? defaultDashboardDirectory()
        : options.dashboardDirectory;
    let closing: Promise<void> | null = null;
    // Key and project changes reach every instance's resolver cache through the bus (Redis,
    // PostgreSQL or in-process: compose-change-bus.ts); the cache's 1 s bound holds even when a
    // message is lost.
    const changes = options.changes ?? changeBus;
    const apiKeys = createApiKeyRepository(database);
    const virtualKeys = createVirtualKeyResolver({
      lookup: (hash) => apiKeys.findBySecretHash(hash),
      changes,
    });
    const sessions = createSessionService({
      repository: createAdminSessionRepository(database),
      idleMs: config.sessionIdleMs,
      maxMs: config.sessionMaxMs,
    });
    let metricsServer: { server: Server; port: number } | null = null;
    const server = createHttpServer({
      config,
      gateway: core.gateway,
      catalog: core.catalog,
      masterKeyHash: masterKey.hash,
      // Stored keys first: the virtual-key resolver refuses a token not shaped `sbk-…` without
      // hashing it, so each token is hashed once.
      principalResolver: chainPrincipalResolvers([
        virtualKeys,
        createMasterKeyResolver(masterKey.hash),
      ]),
      sessions,
      dashboardDirectory,
      ledgerRepository,
      audit: createAuditRepository(database),
      providerAdmin: providers.service,
      settingsAdmin: settingsWiring.admin,
      ledger: core.ledger,
      catalogAdmin,
      routingAdmin: {
        service: routingService,
        analytics: routingAnalytics,
        gateway: core.gateway,
        ledger: core.ledger,
      },
      keysAdmin: {
        keys: apiKeys,
        projects: createProjectRepository(database),
        changes,
        budgetUsage: options.budgetUsage ?? core.limits.budgets,
        spend: createLedgerSpendReader(database),
        ledger: core.ledger,
        sessions,
      },
      analyticsAdmin: {
        repository: createUsageAnalyticsRepository(database),
        reconciliation: createCostAccuracyRepository(database),
        ledger: core.ledger,
        now: () => new Date(),
      },
      alertsAdmin: alertsWiring.admin,
      recommendationsAdmin: {
        sources: {
          profiles: createTrafficProfileRepository(database, FEATURE_NAMES),
          catalog: () => core.gateway.routing.catalog(),
          lookupModel: (id) => core.gateway.lookupModel(id),
        },
        policies: routingService,
        ledger: core.ledger,
        now: () => new Date(),
      },
      logger,
      metrics: core.metrics,
      openRouterAccount: (path) =>
        fetchOpenRouterAccount(path, {
          ...core.openrouter,
          dispatcher: accountDispatcher,
          timeouts: {
            firstByteMs: Math.min(config.timeouts.firstByteMs, 10_000),
            idleMs: 10_000,
            totalMs: 15_000,
          },
        }),
      readiness: async () => {
        const reachable = await database.ping().then(
          () => true,
          () => false,
        );
        const catalog = core.catalog();
        const circuits = new Map(core.health.providers().map((entry) => [entry.provider, entry]));
        const providers = core.providerIds.map((id) => {
          const entry = circuits.get(id);
          return {
            id,
            state: entry?.state ?? 'closed',
            providerState: entry?.providerState ?? 'closed',
            openTargets: entry?.openTargets ?? 0,
            openUntil:
              entry?.openUntil === null || entry?.openUntil === undefined
                ? null
                : new Date(entry.openUntil).toISOString(),
          };
        });
        const anyServes = providers.some((provider) => provider.providerState !== 'open');
        const limits = core.limits.status();
        return {
          ready: reachable && catalog.size > 0 && anyServes,
          degraded:
            core.health.degraded ||
            providers.some((provider) => provider.state !== 'closed') ||
            !limits.reachable ||
            limits.degraded.length > 0,
          providers,
          healthRegistry: { shared: config.redisUrl !== null, reachable: !core.health.degraded },
          limits,
          mode: core.mode,
          database: { kind: database.kind, reachable },
          catalogue: { models: catalog.size, loadedAt: catalog.loadedAt.toISOString() },
        };
      },
    });
    return {
      config,
      server,
      logger,
      mode: core.mode,
      generatedMasterKey: masterKey.generated,
      catalog: core.catalog,
      database,
      emulatorOrigin: core.emulatorOrigin,
      dashboardBuilt: dashboardDirectory !== null && isDashboardBuilt(dashboardDirectory),
      bus: changeBus,
      get metricsPort() {
        return metricsServer?.port ?? null;
      },
      alerts: alertsWiring.evaluator,
      listen: async () => {
        const address = await server.listen({ host: config.host, port: config.port });
        if (config.metricsPort !== null)
          metricsServer = await startMetricsServer(core.metrics, config.host, config.metricsPort);
        if (core.mode === 'live') void scheduler.start();
        alertsWiring.start();
        return address;
      },
      close: () => {
        closing ??= (async () => {
          scheduler.stop();
          await alertsWiring.close();
          const metricsListener = metricsServer?.server;
          if (metricsListener !== undefined)
            await new Promise((resolve) => metricsListener.close(resolve));
          const cut = await server.closeGracefully(config.shutdownTimeoutMs);
          if (cut > 0)
            logger.warn(
              { requests: cut, shutdownTimeoutMs: config.shutdownTimeoutMs },
              'shutdown timeout: in-flight requests were cut',
            );
          virtualKeys.close();
          if (options.changes === undefined) await changes.close();
          await closeAll();
        })();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
