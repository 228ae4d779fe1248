/**
 * The admin side of the catalogue's storage: every model with its lifecycle, price
 * history, retirement of models a sync did not see, and bulk enable/disable.
 */
import { and, asc, eq, inArray, like, lt, or, sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type { CatalogEntry, PriceVersion } from '../catalog/catalog-entry.ts';
import type { SignalboxDrizzle } from './database.ts';
import { modelPrices, models } from './schema.ts';

/** Which models a bulk enable/disable touches: exact ids and/or whole authors. */
export interface ModelSelection {
  /** Exact OpenRouter model ids, e.g. `openai/gpt-4o`. */
  ids?: readonly string[];
  /** Authors, e.g. `openai`: every model whose id starts with `openai/`. */
  authors?: readonly string[];
}

const entryColumns = {
  raw: models.raw,
  status: models.status,
  enabled: models.enabled,
  retiredAt: models.retiredAt,
};

type EntryRow = {
  raw: CatalogEntry['model'];
  status: string;
  enabled: boolean;
  retiredAt: Date | null;
};

function toEntry(row: EntryRow): CatalogEntry {
  return {
    model: row.raw,
    status: row.status === 'retired' ? 'retired' : 'active',
    // Rows from before the `enabled` column used status 'disabled'.
    enabled: row.enabled && row.status !== 'disabled',
    retiredAt: row.retiredAt,
  };
}

/** LIKE pattern for an author prefix, with LIKE's wildcards in the author escaped. */
function authorPattern(author: string): string {
  return `${author.replace(/[\\%_]/g, (character) => `\\${character}`)}/%`;
}

function selectionCondition(selection: ModelSelection): SQL | undefined {
  const conditions: SQL[] = [];
  if (selection.ids !== undefined && selection.ids.length > 0)
    conditions.push(inArray(models.id, [...selection.ids]));
  for (const author of selection.authors ?? [])
    conditions.push(like(models.id, authorPattern(author)));
  return conditions.length === 0 ? undefined : or(...conditions);
}

/** The queries, bound to a drizzle instance (spread into the CatalogRepository). */
export function createCatalogEntryQueries(db: SignalboxDrizzle) {
  return {
    listEntries: async (): Promise<CatalogEntry[]> => {
      const rows = await db.select(entryColumns).from(models).orderBy(asc(models.id));
      return rows.map(toEntry);
    },

    getEntry: async (id: string): Promise<CatalogEntry | null> => {
      const rows = await db.select(entryColumns).from(models).where(eq(models.id, id)).limit(1);
      const row = rows[0];
      return row === undefined ? null : toEntry(row);
    },

    priceHistory: async (id: string): Promise<PriceVersion[]> =>
      db
        .select({ pricing: modelPrices.pricing, effectiveFrom: modelPrices.effectiveFrom })
        .from(modelPrices)
        .where(eq(modelPrices.modelId, id))
        .orderBy(asc(modelPrices.effectiveFrom)),

    retireUnseen: async (seenAt: Date, retiredAt: Date): Promise<number> => {
      const rows = await db
        .update(models)
        .set({ status: 'retired', retiredAt, updatedAt: retiredAt })
        .where(and(eq(models.status, 'active'), lt(models.lastSeenAt, seenAt)))
        .returning({ id: models.id });
      return rows.length;
    },

    setEnabled: async (
      selection: ModelSelection,
      enabled: boolean,
      at: Date,
      executor: Pick<typeof db, 'update'> = db,
    ): Promise<number> => {
      const condition = selectionCondition(selection);
      if (condition === undefined) return 0;
      const rows = await executor
        .update(models)
        .set({
          enabled,
          updatedAt: at,
          // Lift the legacy 'disabled' status too, so enabling always shows the model.
          status: sql`case when ${models.status} = 'disabled' then 'active' else ${models.status} end`,
        })
        .where(condition)
        .returning({ id: models.id });
      return rows.length;
    },
  };
}
