/**
 * The wiring the HTTP app (app.ts) and the in-process library (signalbox.ts) share: database
 * (or none), catalogue, OpenRouter adapter (or, in demo mode, the in-process emulator standing in
 * for it), direct providers behind the SSRF guard, ledger writer and the gateway services.
 */
import type { Logger } from 'pino';
import { Agent } from 'undici';
import { createCatalogIndex, type CatalogIndex } from './catalog/catalog-index.ts';
import { loadSnapshotModels, modelsSnapshotDate } from './catalog/snapshot.ts';
import { ConfigError, type Config } from './config/config.ts';
import { OPENROUTER_PROVIDER_ID } from './config/provider-config.ts';
import { createEmulator } from './emulator/index.ts';
import type { ModelInfo } from './contracts/model-info.ts';
import {
  directProviderCatalogEntries,
  isDirectProviderEntry,
} from './catalog/direct-provider-models.ts';
import type { ModelEndpoint } from './catalog/parse-endpoints.ts';
import type { GatewayServices } from './gateway/index.ts';
import { randomAlphanumeric } from './lib/ids.ts';
import {
  createDirectProviderAdapter,
  createOpenRouterAdapter,
  createProviderRegistry,
  createUpstreamDispatcher,
  directProviderModelResolver,
  fetchOpenRouterEndpoints,
  type ProviderAdapter,
} from './providers/index.ts';
import type { ProviderRoute } from './routing/plan-route.ts';
import { checkOutboundUrl, createGuardedConnector } from './security/ssrf-guard.ts';
import {
  createCatalogRepository,
  createDatabase,
  createLedgerRepository,
  type Database,
  type LedgerRepository,
} from './storage/index.ts';
import { createLedgerWriter, type LedgerWriter } from './usage/ledger-writer.ts';

export interface GatewayCore {
  readonly config: Config;
  readonly logger: Logger;
  readonly gateway: GatewayServices;
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

export interface ComposeOptions {
  logger: Logger;
  /** `database`: PGlite or PostgreSQL per the config, ledger journaled; `none`: nothing stored. */
  persistence: 'database' | 'none';
  /** Benchmark only: accept ledger writes without storing them. */
  discardLedger?: boolean;
}

const discardingLedger: LedgerWriter = {
  write: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

type Closer = () => Promise<void>;

async function closeAll(closers: Closer[]): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
}

interface LoadedCatalog {
  index: CatalogIndex;
  /** Ids the operator disabled: never routed, even to the default provider. */
  disabled: ReadonlySet<string>;
}

async function loadCatalog(database: Database): Promise<LoadedCatalog> {
  const entries = await createCatalogRepository(database).listEntries();
  const listed = entries.filter((entry) => entry.enabled && entry.status === 'active');
  return {
    index: createCatalogIndex(listed.map((entry) => entry.model)),
    disabled: new Set(entries.filter((entry) => !entry.enabled).map((entry) => entry.model.id)),
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
  if (config.providers.length === 0) return loadCatalog(database);
  const listed = new Set(
    (await repository.listEntries())
      .filter((entry) => entry.status === 'active' && !isDirectProviderEntry(entry.model))
      .map((entry) => entry.model.id),
  );
  const direct = directProviderCatalogEntries(config.providers, (id) => listed.has(id));
  if (direct.length > 0) await repository.upsertModels(direct, new Date());
  return loadCatalog(database);
}

function snapshotCatalog(config: Config): LoadedCatalog {
  const snapshot = loadSnapshotModels();
  const ids = new Set(snapshot.map((model) => model.id));
  const direct = directProviderCatalogEntries(config.providers, (id) => ids.has(id));
  return { index: createCatalogIndex([...snapshot, ...direct]), disabled: new Set() };
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
  const emulator = createEmulator({ apiKeys: [apiKey] });
  const origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => emulator.close());
  return { apiKey, baseUrl: `${origin}/api/v1`, emulatorOrigin: origin };
}

/**
 * OpenRouter's adapter and one per configured direct provider. Direct providers' base URLs are
 * operator input: checked here (save time) and, decisively, on every connection's resolved
 * address by the guarded connector (SSRF; `SIGNALBOX_ALLOWED_PRIVATE_HOSTS` lists exceptions).
 * @throws ConfigError for a base URL that points at a forbidden address.
 */
function createUpstreams(
  config: Config,
  openrouter: { apiKey: string; baseUrl: string },
  isCatalogued: (id: string) => boolean,
  closers: Closer[],
): {
  adapters: ProviderAdapter[];
  directRoutes: ProviderRoute[];
  endpoints: (id: string) => Promise<ModelEndpoint[] | null>;
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
  const adapters: ProviderAdapter[] = [
    createOpenRouterAdapter({
      ...openrouter,
      dispatcher,
      appUrl: config.openrouter.appUrl,
      appTitle: config.openrouter.appTitle,
      timeouts: config.timeouts,
    }),
  ];
  const directRoutes: ProviderRoute[] = [];
  if (config.providers.length === 0) return { adapters, directRoutes, endpoints };
  const guarded = new Agent({
    connect: createGuardedConnector(config.allowedPrivateHosts, {
      timeout: config.timeouts.connectMs,
    }),
    keepAliveTimeout: 4_000,
  });
  closers.push(() => guarded.close());
  for (const provider of config.providers) {
    const check = checkOutboundUrl(provider.baseUrl, config.allowedPrivateHosts);
    if (!check.ok)
      throw new ConfigError(
        `The base URL of provider "${provider.id}" is refused: ${check.reason}`,
      );
    adapters.push(
      createDirectProviderAdapter(provider, { timeouts: config.timeouts, dispatcher: guarded }),
    );
    directRoutes.push({
      id: provider.id,
      nativeModel: directProviderModelResolver(provider, isCatalogued),
    });
  }
  return { adapters, directRoutes, endpoints };
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
      const opened = await createDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.databaseUrl === null ? `${config.dataDir}/db` : null,
      });
      database = opened;
      closers.push(() => opened.close());
    }
    let loaded: LoadedCatalog =
      database === null ? snapshotCatalog(config) : await seededCatalog(database, config);
    const openrouter = await openRouterTarget(config, closers);
    const upstreams = createUpstreams(
      config,
      openrouter,
      (id) => loaded.index.get(id) !== undefined,
      closers,
    );
    const registry = createProviderRegistry(upstreams.adapters);
    const ledgerRepository = database === null ? null : createLedgerRepository(database);
    // Replays any journal a crash left behind before the gateway takes requests (ADR 0003).
    const ledger =
      ledgerRepository === null || options.discardLedger === true
        ? discardingLedger
        : await createLedgerWriter(ledgerRepository, {
            journalDir: `${config.dataDir}/journal`,
            logger,
          });
    closers.push(() => ledger.close());
    const gateway: GatewayServices = {
      provider: (id) => registry.get(id),
      defaultProvider: OPENROUTER_PROVIDER_ID,
      directProviders: upstreams.directRoutes,
      lookupModel: (id) => loaded.index.get(id),
      isModelDisabled: (id) => loaded.disabled.has(id),
      ledger,
      maxRetries: config.maxRetries,
      maxRetryDelayMs: config.maxRetryDelayMs,
      firstTokenTimeoutMs: config.timeouts.firstByteMs,
      logger,
      now: Date.now,
    };
    return {
      config,
      logger,
      gateway,
      database,
      ledgerRepository,
      catalog: () => loaded.index,
      reloadCatalog: async () => {
        if (database !== null) loaded = await loadCatalog(database);
      },
      upstreamModels: () => upstreams.adapters[0]?.listModels() ?? Promise.resolve([]),
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
