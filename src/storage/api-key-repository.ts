/**
 * API keys (table `api_keys`): create, read, list, update, revoke, rotate, and the look-up by
 * the SHA-256 of a presented secret (current or, during a rotation's grace, previous). Every
 * write accepts the caller's transaction (`executor`), so an admin change and its audit row
 * commit together. Rows are never deleted: a revoke sets `revoked_at`.
 */
import { and, asc, count, eq, isNull, or } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type { ApiKeyMatch, ApiKeyRecord, ApiKeySettings, KeyRole } from '../contracts/api-key.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database } from './database.ts';
import { budgetColumns, budgetOf, projectOf, type Changed } from './project-repository.ts';
import { apiKeys, projects } from './schema.ts';

/** A new key: its settings and the identifying parts of its secret (never the secret). */
export interface NewApiKey extends ApiKeySettings {
  id: string;
  secretHash: string;
  prefix: string;
  last4: string;
}

/** A rotation: the new secret's parts, and until when the old one still works. */
export interface KeyRotation {
  secretHash: string;
  prefix: string;
  last4: string;
  /** Null = the old secret stops at once. */
  previousExpiresAt: Date | null;
}

export interface ApiKeyFilter {
  projectId?: string | undefined;
  role?: KeyRole | undefined;
  /** Revoked keys are left out unless true. */
  includeRevoked?: boolean | undefined;
}

export interface ApiKeyRepository {
  /** @throws the driver's error (a taken id or secret hash: unique violation). */
  create(key: NewApiKey, at: Date, executor?: SqlExecutor): Promise<ApiKeyRecord>;
  /** The key (revoked ones too), or null. */
  get(id: string, executor?: SqlExecutor): Promise<ApiKeyRecord | null>;
  /** Oldest first. */
  list(filter: ApiKeyFilter): Promise<ApiKeyRecord[]>;
  /** Keys of the project that are not revoked. */
  countActive(projectId: string, executor?: SqlExecutor): Promise<number>;
  /** Applies `changes` to a key that is not revoked; null otherwise. */
  update(
    id: string,
    changes: Partial<ApiKeySettings>,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<Changed<ApiKeyRecord> | null>;
  /** Revokes a key (and its previous secret); null when unknown or already revoked. */
  revoke(id: string, at: Date, executor?: SqlExecutor): Promise<Changed<ApiKeyRecord> | null>;
  /** Replaces the secret of a key that is not revoked; null otherwise. */
  rotate(
    id: string,
    rotation: KeyRotation,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<Changed<ApiKeyRecord> | null>;
  /** The key whose current or previous secret has this SHA-256 (hex), with its project. */
  findBySecretHash(hash: string): Promise<ApiKeyMatch | null>;
}

type KeyRow = typeof apiKeys.$inferSelect;

const roles: readonly KeyRole[] = ['client', 'viewer', 'admin'];

function keyOf(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    projectId: row.projectId,
    role: roles.find((role) => role === row.role) ?? 'client',
    models: row.models,
    policies: row.policies,
    defaultPolicy: row.defaultPolicy,
    rpm: row.rpm,
    tpm: row.tpm,
    maxConcurrency: row.maxConcurrency,
    budget: budgetOf(row.budgetLimitNanoUsd, row.budgetPeriod),
    maxCostPerRequestNanoUsd: row.maxCostPerRequestNanoUsd,
    allowUnpriced: row.allowUnpriced,
    expiresAt: row.expiresAt,
    metadata: row.metadata,
    prefix: row.prefix,
    last4: row.last4,
    revokedAt: row.revokedAt,
    previousExpiresAt: row.previousSecretHash === null ? null : row.previousExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function settingsColumns(settings: Partial<ApiKeySettings>): Partial<typeof apiKeys.$inferInsert> {
  const { budget, ...plain } = settings;
  const columns: Partial<typeof apiKeys.$inferInsert> = { ...budgetColumns(budget) };
  // Object.entries types values without `undefined`, though a Partial's may be.
  for (const [name, value] of Object.entries(plain) as [string, unknown][]) {
    if (value !== undefined) (columns as Record<string, unknown>)[name] = value;
  }
  return columns;
}

/** Binds the API key repository to a database. */
export function createApiKeyRepository(database: Database): ApiKeyRepository {
  const { db } = database;
  const active = (id: string) => and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt));
  const get = async (id: string, executor: SqlExecutor = db): Promise<ApiKeyRecord | null> => {
    const [row] = await executor.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row === undefined ? null : keyOf(row);
  };
  const change = async (
    id: string,
    columns: Partial<typeof apiKeys.$inferInsert>,
    executor: SqlExecutor,
  ): Promise<Changed<ApiKeyRecord> | null> => {
    const before = await get(id, executor);
    if (before === null || before.revokedAt !== null) return null;
    const [row] = await executor.update(apiKeys).set(columns).where(active(id)).returning();
    return row === undefined ? null : { before, after: keyOf(row) };
  };
  return {
    async create(key, at, executor = db) {
      const [row] = await executor
        .insert(apiKeys)
        .values({
          ...settingsColumns(key),
          id: key.id,
          name: key.name,
          role: key.role,
          secretHash: key.secretHash,
          prefix: key.prefix,
          last4: key.last4,
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      if (row === undefined) throw new Error('api key insert returned no row');
      return keyOf(row);
    },
    get,
    async list(filter) {
      const where: SQL[] = [];
      if (filter.projectId !== undefined) where.push(eq(apiKeys.projectId, filter.projectId));
      if (filter.role !== undefined) where.push(eq(apiKeys.role, filter.role));
      if (filter.includeRevoked !== true) where.push(isNull(apiKeys.revokedAt));
      const rows = await db
        .select()
        .from(apiKeys)
        .where(where.length === 0 ? undefined : and(...where))
        .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
      return rows.map(keyOf);
    },
    async countActive(projectId, executor = db) {
      const [row] = await executor
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)));
      return row?.n ?? 0;
    },
    update: (id, changes, at, executor = db) =>
      change(id, { ...settingsColumns(changes), updatedAt: at }, executor),
    revoke: (id, at, executor = db) =>
      change(
        id,
        { revokedAt: at, updatedAt: at, previousSecretHash: null, previousExpiresAt: null },
        executor,
      ),
    rotate: (id, rotation, at, executor = db) =>
      executor
        .select({ secretHash: apiKeys.secretHash })
        .from(apiKeys)
        .where(active(id))
        .then(([current]) =>
          current === undefined
            ? null
            : change(
                id,
                {
                  secretHash: rotation.secretHash,
                  prefix: rotation.prefix,
                  last4: rotation.last4,
                  previousSecretHash:
                    rotation.previousExpiresAt === null ? null : current.secretHash,
                  previousExpiresAt: rotation.previousExpiresAt,
                  updatedAt: at,
                },
                executor,
              ),
        ),
    async findBySecretHash(hash) {
      const [row] = await db
        .select({ key: apiKeys, project: projects })
        .from(apiKeys)
        .leftJoin(projects, eq(apiKeys.projectId, projects.id))
        .where(or(eq(apiKeys.secretHash, hash), eq(apiKeys.previousSecretHash, hash)))
        .limit(1);
      if (row === undefined) return null;
      return {
        key: keyOf(row.key),
        project: row.project === null ? null : projectOf(row.project),
        secret: row.key.secretHash === hash ? 'current' : 'previous',
      };
    },
  };
}
