/**
 * The catalogue's storage: `models` (one row per OpenRouter model id, with the Model
 * object as received) and `model_prices` (a new version only when a model's pricing
 * object changes, so a request's cost can be recomputed with the price then in force).
 */
import { isDeepStrictEqual } from 'node:util';
import { and, asc, count, desc, eq, inArray, lte, sql } from './drizzle.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database, SignalboxDrizzle } from './database.ts';
import { modelPrices, models } from './schema.ts';
import { chunk } from './chunk.ts';
import type { CatalogEntry, PriceVersion } from '../catalog/catalog-entry.ts';
import type { ModelPriceVersion } from '../catalog/price-history.ts';
import { createCatalogEntryQueries, type ModelSelection } from './catalog-entry-queries.ts';

export type { ModelSelection } from './catalog-entry-queries.ts';

export interface UpsertModelsResult {
  /** Models seen for the first time. */
  inserted: number;
  /** Known models whose Model object (or retired status) changed. */
  updated: number;
  /** Known models seen again exactly as stored. */
  unchanged: number;
  /** Known models whose `pricing` changed, so a new `model_prices` version was added. */
  pricesChanged: number;
}

export interface CatalogRepository {
  /**
   * Upserts models (OpenRouter `Model` objects) seen at `seenAt`, in one transaction,
   * and records a new `model_prices` row effective from `seenAt` for each model that is
   * new or whose `pricing` object changed. A retired model seen again becomes active;
   * a disabled one stays disabled. When `models` repeats an id, the last one counts.
   */
  upsertModels(models: readonly ModelInfo[], seenAt: Date): Promise<UpsertModelsResult>;
  /** Active, enabled models as OpenRouter Model objects (the stored raw object), ordered by id. */
  listModels(): Promise<ModelInfo[]>;
  /** Every stored model whatever its status, with status and enabled flag, ordered by id. */
  listEntries(): Promise<CatalogEntry[]>;
  /** One model whatever its status, or null for an unknown id. */
  getEntry(id: string): Promise<CatalogEntry | null>;
  /** A model's price versions, oldest first (empty for an unknown id). */
  priceHistory(id: string): Promise<PriceVersion[]>;
  /**
   * Marks `retired` (with `retired_at = retiredAt`) every active model whose last sighting is
   * older than `seenAt` — i.e. that the sync which upserted at `seenAt` did not see. Rows are
   * never deleted: old requests keep their model. @returns how many were retired.
   */
  retireUnseen(seenAt: Date, retiredAt: Date): Promise<number>;
  /**
   * Enables or disables in one statement the models with these ids and every model of
   * these authors (id prefix `author/`). @returns how many rows matched.
   */
  setEnabled(
    selection: ModelSelection,
    enabled: boolean,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<number>;
  /** Number of stored models, whatever their status. */
  countModels(): Promise<number>;
  /** The pricing in force at `at` for a model (latest effective_from <= at), or null. */
  priceAt(modelId: string, at: Date): Promise<ModelPricing | null>;
  /** Every price version of every model (the in-memory price history, catalog/price-history.ts). */
  listPriceVersions(): Promise<ModelPriceVersion[]>;
}

// 15 columns per models row: 1,000 rows stay well below PostgreSQL's 65,535 parameters.
const ROWS_PER_STATEMENT = 1000;

type ModelRow = typeof models.$inferInsert;

/** Binds the catalogue repository to a database. */
export function createCatalogRepository(database: Database): CatalogRepository {
  const { db } = database;
  return {
    upsertModels: async (incoming, seenAt) => {
      // Compared and stored as their JSON, which is what jsonb keeps (no undefined values).
      const byId = new Map(incoming.map((model) => [model.id, asJson(model)]));
      if (byId.size === 0) return { inserted: 0, updated: 0, unchanged: 0, pricesChanged: 0 };
      return db.transaction(async (transaction) => {
        const known = await readKnown(transaction, [...byId.keys()]);
        const plan = planUpsert([...byId.values()], known, seenAt);
        await applyUpsert(transaction, plan, seenAt);
        return {
          inserted: plan.inserted,
          updated: plan.changed.length - plan.inserted,
          unchanged: plan.unchangedIds.length,
          pricesChanged: plan.newPrices.length - plan.inserted,
        };
      });
    },

    listModels: async () => {
      const rows = await db
        .select({ raw: models.raw })
        .from(models)
        .where(and(eq(models.status, 'active'), eq(models.enabled, true)))
        .orderBy(asc(models.id));
      return rows.map((row) => row.raw);
    },

    ...createCatalogEntryQueries(db),

    countModels: async () => {
      const [row] = await db.select({ value: count() }).from(models);
      return row?.value ?? 0;
    },

    priceAt: async (modelId, at) => {
      const rows = await db
        .select({ pricing: modelPrices.pricing })
        .from(modelPrices)
        .where(and(eq(modelPrices.modelId, modelId), lte(modelPrices.effectiveFrom, at)))
        .orderBy(desc(modelPrices.effectiveFrom))
        .limit(1);
      return rows[0]?.pricing ?? null;
    },

    listPriceVersions: async () =>
      db
        .select({
          modelId: modelPrices.modelId,
          pricing: modelPrices.pricing,
          effectiveFrom: modelPrices.effectiveFrom,
        })
        .from(modelPrices)
        .orderBy(asc(modelPrices.modelId), asc(modelPrices.effectiveFrom)),
  };
}

type Transaction = Parameters<Parameters<SignalboxDrizzle['transaction']>[0]>[0];

interface KnownModels {
  stored: Map<string, { raw: ModelInfo; status: string }>;
  latestPricing: Map<string, ModelPricing>;
}

interface UpsertPlan {
  inserted: number;
  /** New or changed models, written in full. */
  changed: ModelRow[];
  /** Models seen exactly as stored; only `last_seen_at` moves. */
  unchangedIds: string[];
  newPrices: (typeof modelPrices.$inferInsert)[];
}

async function readKnown(transaction: Transaction, ids: string[]): Promise<KnownModels> {
  const known: KnownModels = { stored: new Map(), latestPricing: new Map() };
  for (const slice of chunk(ids, ROWS_PER_STATEMENT)) {
    const rows = await transaction
      .select({ id: models.id, raw: models.raw, status: models.status })
      .from(models)
      .where(inArray(models.id, slice));
    for (const row of rows) known.stored.set(row.id, row);
    const prices = await transaction
      .selectDistinctOn([modelPrices.modelId], {
        modelId: modelPrices.modelId,
        pricing: modelPrices.pricing,
      })
      .from(modelPrices)
      .where(inArray(modelPrices.modelId, slice))
      .orderBy(asc(modelPrices.modelId), desc(modelPrices.effectiveFrom));
    for (const price of prices) known.latestPricing.set(price.modelId, price.pricing);
  }
  return known;
}

function planUpsert(incoming: ModelInfo[], known: KnownModels, seenAt: Date): UpsertPlan {
  const plan: UpsertPlan = { inserted: 0, changed: [], unchangedIds: [], newPrices: [] };
  for (const model of incoming) {
    const previous = known.stored.get(model.id);
    if (previous === undefined) plan.inserted += 1;
    // jsonb does not keep key order, so compare structurally.
    const same =
      previous !== undefined &&
      previous.status !== 'retired' &&
      isDeepStrictEqual(previous.raw, model);
    if (same) plan.unchangedIds.push(model.id);
    else plan.changed.push(toModelRow(model, seenAt));
    const pricing = known.latestPricing.get(model.id);
    if (pricing === undefined || !isDeepStrictEqual(pricing, model.pricing)) {
      plan.newPrices.push({ modelId: model.id, pricing: model.pricing, effectiveFrom: seenAt });
    }
  }
  return plan;
}

async function applyUpsert(
  transaction: Transaction,
  plan: UpsertPlan,
  seenAt: Date,
): Promise<void> {
  for (const rows of chunk(plan.changed, ROWS_PER_STATEMENT)) {
    await transaction
      .insert(models)
      .values(rows)
      .onConflictDoUpdate({ target: models.id, set: updateFromExcluded });
  }
  for (const slice of chunk(plan.unchangedIds, ROWS_PER_STATEMENT)) {
    await transaction.update(models).set({ lastSeenAt: seenAt }).where(inArray(models.id, slice));
  }
  for (const rows of chunk(plan.newPrices, ROWS_PER_STATEMENT)) {
    await transaction
      .insert(modelPrices)
      .values(rows)
      .onConflictDoUpdate({
        target: [modelPrices.modelId, modelPrices.effectiveFrom],
        set: { pricing: sql`excluded.pricing` },
      });
  }
}

/** On a known id: take every column from the new row except `first_seen_at`; reactivate a retired model. */
const updateFromExcluded = {
  canonicalSlug: sql`excluded.canonical_slug`,
  name: sql`excluded.name`,
  description: sql`excluded.description`,
  created: sql`excluded.created`,
  contextLength: sql`excluded.context_length`,
  architecture: sql`excluded.architecture`,
  topProvider: sql`excluded.top_provider`,
  supportedParameters: sql`excluded.supported_parameters`,
  raw: sql`excluded.raw`,
  status: sql`case when ${models.status} = 'retired' then 'active' else ${models.status} end`,
  retiredAt: sql`case when ${models.status} = 'retired' then null else ${models.retiredAt} end`,
  lastSeenAt: sql`excluded.last_seen_at`,
  updatedAt: sql`excluded.updated_at`,
};

function asJson(model: ModelInfo): ModelInfo {
  return JSON.parse(JSON.stringify(model)) as ModelInfo;
}

function toModelRow(model: ModelInfo, seenAt: Date): ModelRow {
  return {
    id: model.id,
    canonicalSlug: model.canonical_slug ?? null,
    name: model.name,
    description: model.description ?? null,
    created: Number.isFinite(model.created) ? new Date(model.created * 1000) : null,
    contextLength: model.context_length,
    architecture: model.architecture,
    topProvider: model.top_provider,
    supportedParameters: model.supported_parameters,
    raw: model,
    firstSeenAt: seenAt,
    lastSeenAt: seenAt,
    updatedAt: seenAt,
  };
}
