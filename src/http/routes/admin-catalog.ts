/**
 * The admin catalogue (under /admin; reads need `viewer`, changes `admin`): search and inspect models with their
 * status and price history, compare and recommend, enable/disable in bulk, and run syncs.
 * Money is integer nano-USD (JSON numbers); prices per 1M tokens are USD.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import type { CatalogEntry } from '../../catalog/catalog-entry.ts';
import type { ModelEndpoint } from '../../catalog/parse-endpoints.ts';
import {
  createCatalogEntryIndex,
  type CatalogEntryIndex,
} from '../../catalog/catalog-entry-index.ts';
import { compareModels } from '../../catalog/compare-models.ts';
import { recommendModels } from '../../catalog/recommend-models.ts';
import { searchModels } from '../../catalog/search-models.ts';
import type { ModelSyncRun, StartedCatalogSync } from '../../catalog/sync-catalog.ts';
import type { CatalogRepository, ModelSyncRunRepository } from '../../storage/index.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { registerAdminRoutes } from '../admin/register-admin-routes.ts';
import {
  compareBodySchema,
  recommendBodySchema,
  searchQuerySchema,
  selectionBodySchema,
  syncBodySchema,
} from './admin-catalog-request.ts';
import {
  catalogModelDetailSchema,
  catalogPageSchema,
  compareResponseSchema,
  recommendResponseSchema,
  syncRunSchema,
} from './admin-catalog-schemas.ts';

export interface CatalogAdminDependencies {
  catalogRepository: CatalogRepository;
  syncRuns: ModelSyncRunRepository;
  /** Claims and starts a sync (the app binds OpenRouter's `listModels()` and its instance name). */
  startSync(): Promise<StartedCatalogSync>;
  /** Rebuilds the in-memory catalogue so `/v1/models` follows a sync or an enable/disable. */
  reloadCatalog(): Promise<void>;
  /**
   * The search index over every catalogue entry, cached between catalogue changes
   * (`createCatalogEntryIndexCache`, invalidated with `reloadCatalog`). Optional: without
   * it each search indexes a fresh `listEntries()` (correct, but slow for large catalogues).
   */
  entryIndex?(): Promise<CatalogEntryIndex>;
  /** Observed median latency per model id, ms, from the ledger; optional. */
  observedLatencyMs?(): Promise<ReadonlyMap<string, number>>;
  /** Observed request count and error rate per model id, from the ledger; optional. */
  observedErrors?(): Promise<ReadonlyMap<string, { requests: number; errorRate: number }>>;
  /**
   * OpenRouter's per-provider endpoints of a model (`GET /models/{author}/{slug}/endpoints`),
   * cached briefly by the app; null when OpenRouter does not list the model. Optional: without
   * it, or when it fails, the model detail's `endpoints` is null.
   */
  modelEndpoints?(id: string): Promise<ModelEndpoint[] | null>;
}

/** A catalogue entry in the admin API's shape: the OpenRouter Model plus its lifecycle. */
export function catalogEntryBody(entry: CatalogEntry) {
  return {
    ...entry.model,
    status: entry.status,
    enabled: entry.enabled,
    retired_at: entry.retiredAt?.toISOString() ?? null,
  };
}

/** A sync run in the admin API's shape. */
export function syncRunBody(run: ModelSyncRun) {
  return {
    id: run.id,
    status: run.status,
    phase: run.phase,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    new_models: run.newModels,
    changed_models: run.changedModels,
    unchanged_models: run.unchangedModels,
    retired_models: run.retiredModels,
    prices_changed: run.pricesChanged,
    errors: run.errors,
    error: run.error,
    instance: run.instance,
  };
}

function nano(value: bigint | null): number | null {
  return value === null ? null : Number(value);
}

async function entriesByIds(repository: CatalogRepository, ids: string[]): Promise<CatalogEntry[]> {
  return Promise.all(
    ids.map(async (id) => {
      const entry = await repository.getEntry(id);
      if (entry === null)
        throw new SignalboxError('model_not_found', `The model "${id}" is not in the catalogue.`, {
          param: 'models',
        });
      return entry;
    }),
  );
}

/** The admin catalogue's routes, as definitions (see admin-route.ts). */
export function adminCatalogRoutes(dependencies: CatalogAdminDependencies): AdminRoute[] {
  const { catalogRepository: repository } = dependencies;
  const entryIndex = async (): Promise<CatalogEntryIndex> =>
    dependencies.entryIndex === undefined
      ? createCatalogEntryIndex(await repository.listEntries())
      : dependencies.entryIndex();
  // The detail never fails because OpenRouter is down: endpoints are extra information.
  const modelEndpoints = async (
    id: string,
    onError: (error: unknown) => void,
  ): Promise<ModelEndpoint[] | null> => {
    if (dependencies.modelEndpoints === undefined) return null;
    try {
      return await dependencies.modelEndpoints(id);
    } catch (error) {
      onError(error);
      return null;
    }
  };
  const tags = ['catalogue'];

  return [
    defineAdminRoute({
      method: 'GET',
      url: '/catalog/models',
      summary: 'Search the catalogue: full text, capability, price, context and author filters',
      tags,
      minimumRole: 'viewer',
      request: { query: searchQuerySchema },
      responses: { 200: catalogPageSchema },
      async handler({ query }) {
        const page = searchModels(await entryIndex(), query);
        return {
          data: page.data.map(catalogEntryBody),
          total: page.total,
          next_cursor: page.nextCursor,
        };
      },
    }),

    defineAdminRoute({
      method: 'GET',
      url: '/catalog/models/*',
      openapiPath: '/catalog/models/{id}',
      summary: 'One model with its price history, observed latency and error rate, and endpoints',
      description: 'The id contains a slash (`openai/gpt-4o`); it may be sent unescaped.',
      tags,
      minimumRole: 'viewer',
      request: {
        params: z.object({ '*': z.string().describe('The model id, e.g. `openai/gpt-4o`.') }),
      },
      responses: { 200: catalogModelDetailSchema },
      async handler({ params, request }) {
        const id = params['*'];
        const entry = await repository.getEntry(id);
        if (entry === null)
          throw new SignalboxError('model_not_found', `The model "${id}" is not in the catalogue.`);
        const latency = (await dependencies.observedLatencyMs?.())?.get(id) ?? null;
        const errors = (await dependencies.observedErrors?.())?.get(id) ?? null;
        const history = await repository.priceHistory(id);
        const endpoints = await modelEndpoints(id, (error) => {
          request.log.warn({ err: error, model: id }, 'model endpoints unavailable');
        });
        return {
          ...catalogEntryBody(entry),
          price_history: history.map((version) => ({
            pricing: version.pricing,
            effective_from: version.effectiveFrom.toISOString(),
          })),
          observed: {
            latency_ms: latency,
            requests: errors?.requests ?? 0,
            error_rate: errors?.errorRate ?? null,
          },
          endpoints,
        };
      },
    }),

    defineAdminRoute({
      method: 'POST',
      url: '/catalog/compare',
      readOnly: true,
      summary: 'Compare 2–6 models side by side, with the cost of a workload',
      tags,
      minimumRole: 'viewer',
      request: { body: compareBodySchema },
      responses: { 200: compareResponseSchema },
      async handler({ body: { ids, workload } }) {
        const result = compareModels(await entriesByIds(repository, ids), workload);
        const latencies = (await dependencies.observedLatencyMs?.()) ?? new Map<string, number>();
        return {
          workload: {
            prompt_tokens: workload.promptTokens,
            completion_tokens: workload.completionTokens,
            requests_per_day: workload.requestsPerDay,
          },
          cheapest: result.cheapest,
          models: result.models.map((model) => ({
            id: model.id,
            name: model.name,
            status: model.status,
            enabled: model.enabled,
            context_length: model.contextLength,
            max_completion_tokens: model.maxCompletionTokens,
            pricing: model.pricing,
            prompt_price_per_million_usd: model.promptPricePerMillion,
            completion_price_per_million_usd: model.completionPricePerMillion,
            capabilities: model.capabilities,
            input_modalities: model.inputModalities,
            output_modalities: model.outputModalities,
            observed_latency_ms: latencies.get(model.id) ?? null,
            cost_per_request_nanousd: nano(model.costPerRequestNanoUsd),
            cost_per_day_nanousd: nano(model.costPerDayNanoUsd),
          })),
        };
      },
    }),

    defineAdminRoute({
      method: 'POST',
      url: '/catalog/recommend',
      readOnly: true,
      summary: 'Recommend models for requirements, with the best excluded ones and why',
      tags,
      minimumRole: 'viewer',
      request: { body: recommendBodySchema },
      responses: { 200: recommendResponseSchema },
      async handler({ body: requirements }) {
        const latencies = (await dependencies.observedLatencyMs?.()) ?? new Map<string, number>();
        const { entries } = await entryIndex();
        const result = recommendModels(entries, requirements, latencies);
        return {
          data: result.models.map((model) => ({
            rank: model.rank,
            id: model.id,
            name: model.name,
            context_length: model.contextLength,
            cost_per_1k_requests_nanousd: Number(model.costPer1kRequestsNanoUsd),
            observed_latency_ms: model.latencyMs,
            reason: model.reason,
          })),
          excluded: result.excluded,
        };
      },
    }),

    ...(['enable', 'disable'] as const).map((action) =>
      defineAdminRoute({
        method: 'POST',
        url: `/catalog/models/${action}`,
        summary: `${action === 'enable' ? 'Enable' : 'Disable'} models in bulk, by id or by author`,
        tags,
        minimumRole: 'admin',
        audit: { action: `catalog.models.${action}`, targetType: 'model' },
        request: { body: selectionBodySchema },
        responses: { 200: z.object({ updated: z.number().int() }) },
        async handler({ body: selection, audit }) {
          // The change and its audit row commit together.
          const updated = await audit.transaction(
            (executor) =>
              repository.setEnabled(selection, action === 'enable', new Date(), executor),
            (count) => ({ after: { ...selection, updated: count } }),
          );
          await dependencies.reloadCatalog();
          return { updated };
        },
      }),
    ),

    defineAdminRoute({
      method: 'POST',
      url: '/catalog/sync',
      summary: 'Sync the catalogue from OpenRouter (wait for it, or 202 and poll the run)',
      tags,
      minimumRole: 'admin',
      audit: { action: 'catalog.sync', targetType: 'sync_run' },
      request: { body: syncBodySchema },
      responses: { 200: syncRunSchema, 202: syncRunSchema },
      async handler({ body: { wait }, request, reply, audit }) {
        const started = await dependencies.startSync();
        audit.describe({ targetId: started.run.id, after: { wait } });
        const reloaded = started.completion.then(async (run) => {
          if (run.status === 'succeeded') await dependencies.reloadCatalog();
          return run;
        });
        if (!wait) {
          // The run goes on after the answer; its outcome is read with GET /catalog/sync/:id.
          reloaded.catch((error: unknown) => {
            request.log.error({ err: error }, 'catalogue reload failed');
          });
          return reply.code(202).send(syncRunBody(started.run));
        }
        return syncRunBody(await reloaded);
      },
    }),

    defineAdminRoute({
      method: 'GET',
      url: '/catalog/sync/:id',
      summary: 'One catalogue sync run: its phase and counts while it runs, its outcome after',
      tags,
      minimumRole: 'viewer',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: syncRunSchema },
      async handler({ params }) {
        const run = await dependencies.syncRuns.get(params.id);
        if (run === null)
          throw new SignalboxError('route_not_found', `No catalogue sync run "${params.id}".`);
        return syncRunBody(run);
      },
    }),
  ];
}

/** Registers the catalogue routes on the /admin scope (authenticated by the caller). */
export function registerAdminCatalogRoutes(
  app: FastifyInstance,
  dependencies: CatalogAdminDependencies,
): void {
  registerAdminRoutes(app, adminCatalogRoutes(dependencies));
}
