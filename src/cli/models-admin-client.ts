/**
 * How `signalbox models …` reaches the admin catalogue API. PGlite belongs to one process, so
 * the commands talk to a running server (`SIGNALBOX_URL`, master key) and open the database
 * directly only when no server answers (connection refused): then the same admin routes run
 * in this process over that database (Fastify `inject`), so both paths answer alike.
 */
import { hostname } from 'node:os';
import Fastify from 'fastify';
import { request } from 'undici';
import { loadSnapshotModels, modelsSnapshotDate } from '../catalog/snapshot.ts';
import { startCatalogSync } from '../catalog/sync-catalog.ts';
import { loadCliConfig } from '../config/cli-config.ts';
import { loadConfig } from '../config/config.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { toHttpError } from '../http/errors.ts';
import { registerAdminCatalogRoutes } from '../http/routes/admin-catalog.ts';
import { createOpenRouterAdapter, createUpstreamDispatcher } from '../providers/index.ts';
import {
  createCatalogRepository,
  createDatabase,
  createModelSyncRunRepository,
} from '../storage/index.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** An admin API answer: HTTP status and the parsed JSON body (null when empty). */
export interface AdminAnswer {
  status: number;
  body: unknown;
}

export interface AdminClient {
  /** Calls `/admin{path}` with an optional JSON body. */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<AdminAnswer>;
  close(): Promise<void>;
}

function isConnectionRefused(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (code === 'ECONNREFUSED') return true;
  // localhost may resolve to ::1 and 127.0.0.1: Node then reports an AggregateError.
  if (Array.isArray(errors) && errors.some(isConnectionRefused)) return true;
  return cause !== undefined && isConnectionRefused(cause);
}

function createRemoteClient(serverUrl: string, masterKey: string | null): AdminClient {
  return {
    call: async (method, path, body) => {
      const response = await request(`${serverUrl}/admin${path}`, {
        method,
        headers: {
          ...(masterKey === null ? {} : { authorization: `Bearer ${masterKey}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        body: text === '' ? null : (JSON.parse(text) as unknown),
      };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Opens the database as the server would (same `SIGNALBOX_DATA_DIR` / `SIGNALBOX_DATABASE_URL`
 * rules), seeds the shipped snapshot into an empty catalogue, and serves the admin catalogue
 * routes in-process. Syncs read OpenRouter with `OPENROUTER_API_KEY`, else the snapshot.
 * @throws ConfigError for a bad variable; the database's error when it cannot be opened.
 */
export async function openDirectClient(
  env: Env | undefined,
  note: (line: string) => void,
): Promise<AdminClient> {
  const config = loadConfig(env);
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl === null ? `${config.dataDir}/db` : null,
  });
  const catalogRepository = createCatalogRepository(database);
  const syncRuns = createModelSyncRunRepository(database);
  const closers: (() => Promise<void>)[] = [() => database.close()];
  try {
    if ((await catalogRepository.countModels()) === 0)
      await catalogRepository.upsertModels(loadSnapshotModels(), modelsSnapshotDate);
    let fetchModels: () => Promise<ModelInfo[]>;
    const { apiKey } = config.openrouter;
    if (apiKey === null) {
      fetchModels = () => {
        note(
          `No OPENROUTER_API_KEY: syncing from the snapshot shipped with Signalbox (${modelsSnapshotDate.toISOString().slice(0, 10)}), not from OpenRouter.`,
        );
        return Promise.resolve(loadSnapshotModels());
      };
    } else {
      const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: config.timeouts.connectMs });
      closers.push(() => dispatcher.close());
      const adapter = createOpenRouterAdapter({
        apiKey,
        baseUrl: config.openrouter.baseUrl,
        appUrl: config.openrouter.appUrl,
        appTitle: config.openrouter.appTitle,
        timeouts: config.timeouts,
        dispatcher,
      });
      fetchModels = () => adapter.listModels();
    }
    const app = Fastify({ logger: false });
    closers.push(() => app.close());
    app.setErrorHandler((error, _request, reply) => {
      const failure = toHttpError(error);
      return reply.code(failure.status).send({
        error: {
          message: failure.message,
          type: failure.type,
          param: failure.param,
          code: failure.code,
        },
      });
    });
    await app.register(
      (scope, _options, done) => {
        registerAdminCatalogRoutes(scope, {
          catalogRepository,
          syncRuns,
          startSync: () =>
            startCatalogSync({
              fetchModels,
              runs: syncRuns,
              catalog: catalogRepository,
              instance: `${hostname()}:${process.pid} (cli)`,
            }),
          // No in-memory catalogue to refresh here; a running server would reload its own.
          reloadCatalog: () => Promise.resolve(),
        });
        done();
      },
      { prefix: '/admin' },
    );
    await app.ready();
    return {
      call: async (method, path, body) => {
        const response = await app.inject({
          method,
          url: `/admin${path}`,
          ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
        });
        return {
          status: response.statusCode,
          body: response.body === '' ? null : (JSON.parse(response.body) as unknown),
        };
      },
      close: async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The server at `SIGNALBOX_URL` while it answers; from the first refused connection on, the
 * database directly (with a note saying so).
 * @throws ConfigError for a bad variable.
 */
export function createAdminClient(env: Env | undefined, note: (line: string) => void): AdminClient {
  const { serverUrl, masterKey } = loadCliConfig(env);
  const remote = createRemoteClient(serverUrl, masterKey);
  let direct: Promise<AdminClient> | null = null;
  return {
    call: async (method, path, body) => {
      if (direct === null) {
        try {
          return await remote.call(method, path, body);
        } catch (error) {
          if (!isConnectionRefused(error)) throw error;
          note(`No Signalbox server answers at ${serverUrl}; opening the database directly.`);
          direct = openDirectClient(env, note);
        }
      }
      return (await direct).call(method, path, body);
    },
    close: async () => {
      if (direct !== null) await (await direct).close();
    },
  };
}
