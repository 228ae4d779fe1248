/**
 * Provider instances configured at run time: the admin service behind /admin/providers and
 * /admin/vault, and the loader that turns the `providers` rows into live instances on every
 * Signalbox instance. A change commits with its audit row, is installed here at once and is
 * announced on the change bus (`providers`); every instance re-reads the rows on that notice and
 * every `reconcileIntervalMs` (a lost notice), rebuilding only the instances whose version moved.
 * Secrets (API key and headers) are vault envelopes; plaintext lives only in the adapters.
 */
import type { Logger } from 'pino';
import type { RuntimeProviders } from './compose-gateway.ts';
import { ConfigError, type Config, type DirectProviderConfig } from './config/config.ts';
import { SignalboxError } from './contracts/errors.ts';
import type { ChangeBus } from './lib/change-bus.ts';
import type { ProviderAdmin } from './http/routes/admin-providers.ts';
import { isProviderType, type ProviderView } from './http/admin/provider-schemas.ts';
import { testProviderInstance } from './http/admin/provider-test.ts';
import { configuredProviderView, storedProviderView } from './http/admin/provider-views.ts';
import { providerKind, type ProviderInstance } from './providers/index.ts';
import type { VaultKeySource } from './security/vault-key.ts';
import type {
  ProviderRepository,
  ProviderWrite,
  SqlExecutor,
  StoredProvider,
} from './storage/index.ts';

const TOPIC = 'providers';

interface Secret {
  api_key: string | null;
  headers: Record<string, string>;
}

export interface ProviderAdminWiring {
  readonly service: ProviderAdmin;
  /** Reads the rows and installs what changed. Coalesces concurrent calls. */
  reload(): Promise<void>;
  /** Re-wraps every envelope still wrapped by a previous key (start-up). Returns how many. */
  rewrapAll(): Promise<number>;
  /** The direct providers currently installed from the API (a catalogue sync keeps their models). */
  stored(): readonly DirectProviderConfig[];
  close(): void;
}

function context(id: string): string {
  return `provider:${id}`;
}

function invalid(error: ConfigError, param: string): SignalboxError {
  return new SignalboxError('invalid_request', error.message, { param });
}

export function composeProviderAdmin(options: {
  config: Config;
  runtime: RuntimeProviders;
  repository: ProviderRepository;
  keys: VaultKeySource;
  bus: ChangeBus;
  logger: Logger;
  /** The OpenRouter instance's own base URL and key (the emulator's in demo mode). */
  openrouter: { apiKey: string; baseUrl: string };
  /** After installed providers changed: their explicitly mapped models join the catalogue. */
  onInstalled: (providers: readonly DirectProviderConfig[]) => Promise<void>;
  /**
   * Other sealed secrets a rotation re-wraps in its transaction (alert webhook secrets), each
   * counting what it holds and what it re-wrapped; `executor` undefined = its own transaction.
   */
  otherSecrets?: readonly ((
    executor: SqlExecutor | undefined,
  ) => Promise<{ rewrapped: number; secrets: number }>)[];
}): ProviderAdminWiring {
  const { config, runtime, repository, keys, bus, logger } = options;
  const { vault } = keys;
  const configuredIds = new Set(runtime.configured.map((instance) => instance.id));
  /** What is installed, by id: the row version it was built from, and its config. */
  let installed = new Map<
    string,
    { version: number; instance: ProviderInstance; config: DirectProviderConfig }
  >();
  const errors = new Map<string, string>();

  function openSecret(row: StoredProvider): Secret {
    if (row.secret === null) return { api_key: null, headers: {} };
    return JSON.parse(vault.open(row.secret, context(row.id))) as Secret;
  }

  function toConfig(row: StoredProvider, secret: Secret): DirectProviderConfig {
    if (!isProviderType(row.type)) throw new ConfigError(`Unknown provider type "${row.type}".`);
    return {
      id: row.id,
      kind: row.type,
      apiKey: secret.api_key,
      baseUrl: row.baseUrl,
      models: row.models,
      serveCatalogue: row.serveCatalogue,
      headers: secret.headers,
    };
  }

  function storedView(row: StoredProvider): ProviderView {
    let headers: Record<string, string> = {};
    let error = errors.get(row.id) ?? null;
    try {
      headers = openSecret(row).headers;
    } catch (cause) {
      error ??= cause instanceof SignalboxError ? cause.message : 'The secret does not decrypt.';
    }
    return storedProviderView(row, headers, error);
  }

  function configuredView(instance: ProviderInstance): ProviderView {
    return configuredProviderView(
      instance,
      config.providers.find((provider) => provider.id === instance.id),
      options.openrouter,
    );
  }

  function readOnly(id: string): SignalboxError {
    return new SignalboxError(
      'provider_read_only',
      `Provider "${id}" comes from ${id === 'openrouter' ? 'Signalbox itself (OPENROUTER_API_KEY)' : 'the environment or the configuration file'}; change it there and restart.`,
      { param: 'id' },
    );
  }

  function notFound(id: string): SignalboxError {
    return new SignalboxError('provider_not_found', `No provider instance has the id "${id}".`, {
      param: 'id',
    });
  }

  async function stored(id: string): Promise<StoredProvider> {
    if (configuredIds.has(id)) throw readOnly(id);
    const row = await repository.get(id);
    if (row === null) throw notFound(id);
    return row;
  }

  /** Seals the secret, or null when there is none. @throws `encryption_key_missing` */
  function seal(id: string, secret: Secret): string | null {
    if (secret.api_key === null && Object.keys(secret.headers).length === 0) return null;
    return vault.seal(JSON.stringify(secret), context(id));
  }

  /** Builds (not installs) an instance, mapping ConfigError to `invalid_request`. */
  function check(configured: DirectProviderConfig): ProviderInstance {
    try {
      return runtime.build(configured);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const param = /base URL/.test(error.message)
        ? 'base_url'
        : /API key/.test(error.message)
          ? 'api_key'
          : 'id';
      throw invalid(error, param);
    }
  }

  let reloading: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  async function install(): Promise<void> {
    const rows = await repository.list();
    const next = new Map<
      string,
      { version: number; instance: ProviderInstance; config: DirectProviderConfig }
    >();
    let changed = rows.length !== installed.size;
    for (const row of rows) {
      if (!row.enabled || configuredIds.has(row.id)) {
        if (configuredIds.has(row.id))
          errors.set(row.id, 'A configured provider has the same id; it takes precedence.');
        continue;
      }
      const current = installed.get(row.id);
      if (current !== undefined && current.version === row.version) {
        next.set(row.id, current);
        continue;
      }
      changed = true;
      try {
        const configured = toConfig(row, openSecret(row));
        next.set(row.id, {
          version: row.version,
          instance: runtime.build(configured),
          config: configured,
        });
        errors.delete(row.id);
      } catch (error) {
        const message =
          error instanceof SignalboxError || error instanceof ConfigError
            ? error.message
            : 'The provider could not be built.';
        errors.set(row.id, message);
        logger.error({ provider: row.id, message }, 'provider instance not installed');
        // Keep serving the previous settings rather than dropping the provider.
        if (current !== undefined) next.set(row.id, current);
      }
    }
    if (!changed && [...installed.keys()].every((id) => next.has(id))) return;
    installed = next;
    runtime.replace([...next.values()].map((entry) => entry.instance));
    await options.onInstalled([...next.values()].map((entry) => entry.config));
  }

  /** One read at a time; calls during a read share one more read after it (it may be stale). */
  function reload(): Promise<void> {
    if (reloading === null) {
      reloading = install().finally(() => {
        reloading = null;
      });
      return reloading;
    }
    queued ??= reloading
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return reload();
      });
    return queued;
  }

  async function changed(id: string): Promise<void> {
    await reload().catch((error: unknown) => {
      logger.warn({ err: error }, 'providers could not be reloaded');
    });
    await bus.publish({ topic: TOPIC, id });
  }

  const unsubscribe = bus.subscribe(TOPIC, () => {
    reload().catch((error: unknown) => {
      logger.warn({ err: error }, 'providers could not be reloaded');
    });
  });
  const timer = setInterval(() => {
    reload().catch((error: unknown) => {
      logger.warn({ err: error }, 'providers could not be reconciled');
    });
  }, config.reconcileIntervalMs);
  timer.unref();

  /** Re-wraps, in `executor`'s transaction (its own when none), every row not under the current KEK. */
  async function rewrapRows(
    executor: SqlExecutor | undefined,
  ): Promise<{ rewrapped: number; secrets: number }> {
    const work = async (
      rows: StoredProvider[],
      through: SqlExecutor,
    ): Promise<{ rewrapped: number; secrets: number }> => {
      let rewrapped = 0;
      let secrets = 0;
      for (const row of rows) {
        if (row.secret === null) continue;
        secrets += 1;
        if (!vault.needsRewrap(row.secret)) continue;
        await repository.setSecret(row.id, vault.rewrap(row.secret), through);
        rewrapped += 1;
      }
      return { rewrapped, secrets };
    };
    const own =
      executor === undefined
        ? await repository.withLockedRows(work)
        : await work(await repository.listForUpdate(executor), executor);
    for (const other of options.otherSecrets ?? []) {
      const more = await other(executor);
      own.rewrapped += more.rewrapped;
      own.secrets += more.secrets;
    }
    return own;
  }

  const service: ProviderAdmin = {
    async list() {
      const rows = await repository.list();
      return [
        ...runtime.configured.map(configuredView),
        ...rows.filter((row) => !configuredIds.has(row.id)).map(storedView),
      ];
    },

    async get(id) {
      const instance = runtime.configured.find((entry) => entry.id === id);
      if (instance !== undefined) return configuredView(instance);
      return storedView(await stored(id));
    },

    async create(body, actor, transaction) {
      if (configuredIds.has(body.id)) throw readOnly(body.id);
      const secret: Secret = { api_key: body.api_key ?? null, headers: body.headers };
      const configured: DirectProviderConfig = {
        id: body.id,
        kind: body.type,
        apiKey: secret.api_key,
        baseUrl: body.base_url ?? providerKind(body.type).defaultBaseUrl,
        models: body.models,
        serveCatalogue: body.serve_catalogue,
        headers: secret.headers,
      };
      check(configured);
      const write: ProviderWrite = {
        id: body.id,
        type: body.type,
        baseUrl: configured.baseUrl,
        models: body.models,
        serveCatalogue: body.serve_catalogue,
        enabled: body.enabled,
        secret: seal(body.id, secret),
        apiKeyLast4: secret.api_key === null ? null : secret.api_key.slice(-4),
        updatedBy: actor,
      };
      const row = await transaction(
        async (executor) => {
          const inserted = await repository.insert(write, executor);
          if (inserted === null)
            throw new SignalboxError('conflict', `A provider with the id "${body.id}" exists.`, {
              param: 'id',
            });
          return inserted;
        },
        (inserted) => ({ targetId: inserted.id, before: null, after: storedView(inserted) }),
      );
      await changed(row.id);
      return storedView(row);
    },

    async update(id, patch, actor, transaction) {
      const before = await stored(id);
      const secret = openSecret(before);
      const nextSecret: Secret = {
        api_key: patch.api_key === undefined ? secret.api_key : patch.api_key,
        headers: patch.headers ?? secret.headers,
      };
      const type = patch.type ?? (isProviderType(before.type) ? before.type : 'openai-compatible');
      const configured: DirectProviderConfig = {
        id,
        kind: type,
        apiKey: nextSecret.api_key,
        baseUrl: patch.base_url ?? before.baseUrl,
        models: patch.models ?? before.models,
        serveCatalogue: patch.serve_catalogue ?? before.serveCatalogue,
        headers: nextSecret.headers,
      };
      check(configured);
      const secretChanged = patch.api_key !== undefined || patch.headers !== undefined;
      const write: Omit<ProviderWrite, 'secret'> & { secret?: string | null } = {
        id,
        type,
        baseUrl: configured.baseUrl,
        models: configured.models,
        serveCatalogue: configured.serveCatalogue,
        enabled: patch.enabled ?? before.enabled,
        ...(secretChanged ? { secret: seal(id, nextSecret) } : {}),
        apiKeyLast4: nextSecret.api_key === null ? null : nextSecret.api_key.slice(-4),
        updatedBy: actor,
      };
      const row = await transaction(
        async (executor) => {
          const updated = await repository.update(write, executor);
          if (updated === null) throw notFound(id);
          return updated;
        },
        (updated) => ({ targetId: id, before: storedView(before), after: storedView(updated) }),
      );
      await changed(id);
      return storedView(row);
    },

    async remove(id, transaction) {
      await stored(id);
      const row = await transaction(
        async (executor) => {
          const deleted = await repository.remove(id, executor);
          if (deleted === null) throw notFound(id);
          return deleted;
        },
        (deleted) => ({ targetId: id, before: storedView(deleted), after: null }),
      );
      await changed(id);
      return storedView(row);
    },

    async test(id) {
      let instance = runtime.configured.find((entry) => entry.id === id);
      let apiKey: string | null;
      let baseUrl: string;
      if (instance === undefined) {
        const row = await stored(id);
        const configured = toConfig(row, openSecret(row));
        instance = check(configured);
        apiKey = configured.apiKey;
        baseUrl = configured.baseUrl;
      } else if (instance.id === 'openrouter') {
        apiKey = options.openrouter.apiKey;
        baseUrl = options.openrouter.baseUrl;
      } else {
        const configured = config.providers.find((provider) => provider.id === id);
        apiKey = configured?.apiKey ?? null;
        baseUrl = configured?.baseUrl ?? '';
      }
      return testProviderInstance(instance, {
        apiKey,
        baseUrl,
        dispatcher: instance.id === 'openrouter' ? undefined : runtime.dispatcher(),
      });
    },

    async vaultStatus() {
      const rows = await repository.list();
      const sealed = rows.filter((row) => row.secret !== null);
      return {
        available: vault.available,
        key_id: vault.keyId,
        key_origin: keys.origin,
        secrets: sealed.length,
        secrets_on_previous_key: vault.available
          ? sealed.filter((row) => row.secret !== null && vault.needsRewrap(row.secret)).length
          : sealed.length,
      };
    },

    async rotate(transaction) {
      if (!vault.available)
        throw new SignalboxError(
          'encryption_key_missing',
          'No encryption key is configured, so there is nothing to rotate. Set SIGNALBOX_ENCRYPTION_KEY.',
        );
      let result = { rewrapped: 0, secrets: 0 };
      const run = (): Promise<void> =>
        transaction(
          async (executor) => {
            result = await rewrapRows(executor);
            return result;
          },
          (done) => ({ targetId: vault.keyId, after: { key_id: vault.keyId, ...done } }),
        ).then(() => undefined);
      let generated = false;
      if (keys.generateNext !== null) {
        await keys.generateNext(run);
        generated = true;
      } else await run();
      await bus.publish({ topic: 'vault', id: vault.keyId });
      return {
        key_id: vault.keyId ?? '',
        generated,
        rewrapped: result.rewrapped,
        secrets: result.secrets,
      };
    },
  };

  return {
    service,
    reload,
    async rewrapAll() {
      if (!vault.available) return 0;
      return (await rewrapRows(undefined)).rewrapped;
    },
    stored: () => [...installed.values()].map((entry) => entry.config),
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
