/**
 * The composition root: `createApp(config)` wires the concrete implementations — database,
 * catalogue, OpenRouter adapter (or, in demo mode, the in-process emulator standing in for
 * OpenRouter), ledger writer, gateway services and HTTP server. Nothing else constructs
 * infrastructure.
 */
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { Agent } from 'undici';
import { createCatalogIndex, type CatalogIndex } from './catalog/catalog-index.ts';
import { loadSnapshotModels, modelsSnapshotDate } from './catalog/snapshot.ts';
import { ConfigError, type Config } from './config/config.ts';
import { OPENROUTER_PROVIDER_ID } from './config/provider-config.ts';
import { createEmulator, type Emulator } from './emulator/index.ts';
import type { GatewayServices } from './gateway/index.ts';
import { createHttpServer } from './http/server.ts';
import { randomAlphanumeric } from './lib/ids.ts';
import {
  createDirectProviderAdapter,
  createOpenRouterAdapter,
  createProviderRegistry,
  createUpstreamDispatcher,
  directProviderModelResolver,
  type ProviderRegistry,
} from './providers/index.ts';
import type { ProviderRoute } from './routing/plan-route.ts';
import { checkOutboundUrl, createGuardedConnector } from './security/ssrf-guard.ts';
import { generateMasterKey, hashKey } from './security/master-key.ts';
import { redactedLogPaths } from './security/redact.ts';
import {
  createCatalogRepository,
  createDatabase,
  createLedgerRepository,
  createSettingsRepository,
  type Database,
  type SettingsRepository,
} from './storage/index.ts';
import { createLedgerWriter, type LedgerWriter } from './usage/ledger-writer.ts';

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
  /** Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:8787`). */
  listen(): Promise<string>;
  /** Stops accepting requests, drains, flushes the ledger and closes the database. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** A logger to use instead of pino on stdout (tests pass a silent one). */
  logger?: Logger;
  /** Benchmark only: accept ledger writes without storing them, to measure the ledger's own cost. */
  discardLedger?: boolean;
}

const discardingLedger: LedgerWriter = {
  write: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

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

async function loadCatalog(database: Database): Promise<CatalogIndex> {
  const repository = createCatalogRepository(database);
  if ((await repository.countModels()) === 0)
    await repository.upsertModels(loadSnapshotModels(), modelsSnapshotDate);
  return createCatalogIndex(await repository.listModels());
}

async function startUpstream(
  config: Config,
): Promise<{ apiKey: string; baseUrl: string; emulator: Emulator | null }> {
  if (config.openrouter.apiKey !== null) {
    return { apiKey: config.openrouter.apiKey, baseUrl: config.openrouter.baseUrl, emulator: null };
  }
  const apiKey = `sk-or-demo-${randomAlphanumeric(32)}`;
  const emulator = createEmulator({ apiKeys: [apiKey] });
  const origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
  return { apiKey, baseUrl: `${origin}/api/v1`, emulator };
}

interface Upstreams {
  registry: ProviderRegistry;
  directRoutes: ProviderRoute[];
  dispatchers: Agent[];
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
): Upstreams {
  const dispatchers: Agent[] = [
    createUpstreamDispatcher({ connectTimeoutMs: config.timeouts.connectMs }),
  ];
  const [openrouterDispatcher] = dispatchers;
  const adapters = [
    createOpenRouterAdapter({
      ...openrouter,
      dispatcher:
        openrouterDispatcher ??
        createUpstreamDispatcher({ connectTimeoutMs: config.timeouts.connectMs }),
      appUrl: config.openrouter.appUrl,
      appTitle: config.openrouter.appTitle,
      timeouts: config.timeouts,
    }),
  ];
  const directRoutes: ProviderRoute[] = [];
  if (config.providers.length > 0) {
    const guarded = new Agent({
      connect: createGuardedConnector(config.allowedPrivateHosts, {
        timeout: config.timeouts.connectMs,
      }),
      keepAliveTimeout: 4_000,
    });
    dispatchers.push(guarded);
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
  }
  return { registry: createProviderRegistry(adapters), directRoutes, dispatchers };
}

/** Builds the whole gateway from a Config (see src/config/config.ts). */
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
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl === null ? `${config.dataDir}/db` : null,
  });
  let emulator: Emulator | null = null;
  let ledger: LedgerWriter | null = null;
  let dispatchers: Agent[] = [];
  try {
    const settings = createSettingsRepository(database);
    const masterKey = await initialiseMasterKey(settings, config.masterKey);
    const catalog = await loadCatalog(database);
    const upstream = await startUpstream(config);
    emulator = upstream.emulator;
    const upstreams = createUpstreams(config, upstream, (id) => catalog.get(id) !== undefined);
    dispatchers = upstreams.dispatchers;
    const registry = upstreams.registry;
    const ledgerRepository = createLedgerRepository(database);
    // Replays any journal a crash left behind before the server accepts requests (ADR 0003).
    ledger =
      options.discardLedger === true
        ? discardingLedger
        : await createLedgerWriter(ledgerRepository, {
            journalDir: `${config.dataDir}/journal`,
            logger,
          });
    const gateway: GatewayServices = {
      provider: (id) => registry.get(id),
      defaultProvider: OPENROUTER_PROVIDER_ID,
      directProviders: upstreams.directRoutes,
      lookupModel: (id) => catalog.get(id),
      ledger,
      maxRetries: config.maxRetries,
      maxRetryDelayMs: config.maxRetryDelayMs,
      firstTokenTimeoutMs: config.timeouts.firstByteMs,
      logger,
      now: Date.now,
    };
    const mode = emulator === null ? 'live' : 'demo';
    const server = createHttpServer({
      config,
      gateway,
      catalog: () => catalog,
      masterKeyHash: masterKey.hash,
      ledgerRepository,
      logger,
      readiness: async () => {
        const reachable = await database.ping().then(
          () => true,
          () => false,
        );
        return {
          ready: reachable && catalog.size > 0,
          mode,
          database: { kind: database.kind, reachable },
          catalogue: { models: catalog.size, loadedAt: catalog.loadedAt.toISOString() },
        };
      },
    });
    const openedLedger = ledger;
    const openedEmulator = emulator;
    const openedDispatchers = dispatchers;
    return {
      config,
      server,
      logger,
      mode,
      generatedMasterKey: masterKey.generated,
      catalog: () => catalog,
      database,
      emulatorOrigin:
        upstream.emulator === null ? null : upstream.baseUrl.replace(/\/api\/v1$/, ''),
      listen: () => server.listen({ host: config.host, port: config.port }),
      close: async () => {
        await server.close();
        await openedLedger.close();
        await Promise.all(openedDispatchers.map((agent) => agent.close()));
        await openedEmulator?.close();
        await database.close();
      },
    };
  } catch (error) {
    await ledger?.close().catch(() => undefined);
    await Promise.all(dispatchers.map((agent) => agent.close().catch(() => undefined)));
    await emulator?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
