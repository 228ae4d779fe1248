/**
 * Projects (table `projects`): create, read, list, update and soft delete. Every write accepts
 * the caller's transaction (`executor`), so an admin change and its audit row commit together.
 */
import { and, asc, eq, isNull } from './drizzle.ts';
import type { ProjectRecord, ProjectSettings } from '../contracts/api-key.ts';
import type { BudgetSpec } from '../contracts/principal.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database } from './database.ts';
import { projects } from './schema.ts';

/** A change and the state before and after it. */
export interface Changed<T> {
  before: T;
  after: T;
}

export interface ProjectRepository {
  /** @throws the driver's error (a taken id: unique violation). */
  create(
    id: string,
    settings: ProjectSettings,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<ProjectRecord>;
  /** The project, or null when unknown or deleted. */
  get(id: string, executor?: SqlExecutor): Promise<ProjectRecord | null>;
  /** Every project not deleted, oldest first. */
  list(): Promise<ProjectRecord[]>;
  /** Applies `changes`; null when the project is unknown or deleted. */
  update(
    id: string,
    changes: Partial<ProjectSettings>,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<Changed<ProjectRecord> | null>;
  /** Marks it deleted; null when unknown or already deleted. */
  remove(id: string, at: Date, executor?: SqlExecutor): Promise<ProjectRecord | null>;
}

const periods: readonly BudgetSpec['period'][] = ['day', 'week', 'month', 'total'];

/** The budget stored as two columns; null unless both are set. */
export function budgetOf(limit: bigint | null, period: string | null): BudgetSpec | null {
  const known = periods.find((entry) => entry === period);
  return limit === null || known === undefined ? null : { limitNanoUsd: limit, period: known };
}

export function budgetColumns(budget: BudgetSpec | null | undefined): {
  budgetLimitNanoUsd?: bigint | null;
  budgetPeriod?: string | null;
} {
  if (budget === undefined) return {};
  return { budgetLimitNanoUsd: budget?.limitNanoUsd ?? null, budgetPeriod: budget?.period ?? null };
}

type ProjectRow = typeof projects.$inferSelect;

export function projectOf(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    rpm: row.rpm,
    tpm: row.tpm,
    budget: budgetOf(row.budgetLimitNanoUsd, row.budgetPeriod),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function settingsColumns(settings: Partial<ProjectSettings>) {
  return {
    ...(settings.name === undefined ? {} : { name: settings.name }),
    ...(settings.rpm === undefined ? {} : { rpm: settings.rpm }),
    ...(settings.tpm === undefined ? {} : { tpm: settings.tpm }),
    ...budgetColumns(settings.budget),
  };
}

/** Binds the project repository to a database. */
export function createProjectRepository(database: Database): ProjectRepository {
  const { db } = database;
  const live = (id: string) => and(eq(projects.id, id), isNull(projects.deletedAt));
  const get = async (id: string, executor: SqlExecutor = db): Promise<ProjectRecord | null> => {
    const [row] = await executor.select().from(projects).where(live(id));
    return row === undefined ? null : projectOf(row);
  };
  return {
    async create(id, settings, at, executor = db) {
      const [row] = await executor
        .insert(projects)
        .values({
          id,
          ...settingsColumns(settings),
          name: settings.name,
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      if (row === undefined) throw new Error('project insert returned no row');
      return projectOf(row);
    },
    get,
    async list() {
      const rows = await db
        .select()
        .from(projects)
        .where(isNull(projects.deletedAt))
        .orderBy(asc(projects.createdAt), asc(projects.id));
      return rows.map(projectOf);
    },
    async update(id, changes, at, executor = db) {
      const before = await get(id, executor);
      if (before === null) return null;
      const [row] = await executor
        .update(projects)
        .set({ ...settingsColumns(changes), updatedAt: at })
        .where(live(id))
        .returning();
      return row === undefined ? null : { before, after: projectOf(row) };
    },
    async remove(id, at, executor = db) {
      const [row] = await executor
        .update(projects)
        .set({ deletedAt: at, updatedAt: at })
        .where(live(id))
        .returning();
      return row === undefined ? null : projectOf(row);
    },
  };
}
