/**
 * The schema's governance tables: projects, virtual keys and provider instances configured at
 * run time (re-exported by schema.ts, which drizzle.config.ts reads; migrations are generated
 * from it).
 */
import { boolean, index, integer, jsonb, pgTable, sql, text, uniqueIndex } from './drizzle.ts';
import { nanoUsd, timestamptz } from './schema-columns.ts';

/**
 * Projects group virtual keys; each may carry limits and a budget of its own (issue 9,
 * docs/decisions/0013-virtual-keys.md). A delete is soft (`deleted_at`), so the ledger's
 * `project_id` keeps naming something.
 */
export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Requests per minute; null = unlimited. */
  rpm: integer('rpm'),
  /** Tokens per minute; null = unlimited. */
  tpm: integer('tpm'),
  budgetLimitNanoUsd: nanoUsd('budget_limit_nanousd'),
  /** `day` | `week` | `month` | `total`; set with the limit. */
  budgetPeriod: text('budget_period'),
  createdAt: timestamptz('created_at').notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
  deletedAt: timestamptz('deleted_at'),
});

/**
 * API keys other than the master key: virtual (`client`) keys for /v1 and /api/v1, and `admin`
 * / `viewer` keys for the admin API. Only the SHA-256 of the secret is stored (looked up by
 * it); `prefix` and `last4` identify a key to people. A rotation keeps the previous hash
 * working until `previous_expires_at`. Revocation sets `revoked_at` (rows are never deleted).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    projectId: text('project_id').references(() => projects.id),
    /** `client` | `viewer` | `admin`. */
    role: text('role').notNull(),
    /** SHA-256 hex of the secret. */
    secretHash: text('secret_hash').notNull(),
    /** `sbk-` + the first characters of the secret, shown to identify the key. */
    prefix: text('prefix').notNull(),
    last4: text('last4').notNull(),
    /** Model id globs the key may use; null = any. */
    models: jsonb('models').$type<string[]>(),
    /** Routing policy names the key may use; null = any. */
    policies: jsonb('policies').$type<string[]>(),
    defaultPolicy: text('default_policy'),
    rpm: integer('rpm'),
    tpm: integer('tpm'),
    maxConcurrency: integer('max_concurrency'),
    budgetLimitNanoUsd: nanoUsd('budget_limit_nanousd'),
    budgetPeriod: text('budget_period'),
    maxCostPerRequestNanoUsd: nanoUsd('max_cost_per_request_nanousd'),
    allowUnpriced: boolean('allow_unpriced').notNull().default(false),
    expiresAt: timestamptz('expires_at'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    revokedAt: timestamptz('revoked_at'),
    /** The secret before the last rotation, valid until `previous_expires_at`. */
    previousSecretHash: text('previous_secret_hash'),
    previousExpiresAt: timestamptz('previous_expires_at'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('api_keys_secret_hash_idx').on(table.secretHash),
    uniqueIndex('api_keys_previous_secret_hash_idx')
      .on(table.previousSecretHash)
      .where(sql`${table.previousSecretHash} is not null`),
    index('api_keys_project_id_idx').on(table.projectId),
  ],
);

/**
 * Provider instances added through the admin API (those from the environment or the
 * configuration file are not stored). `secret` is the vault envelope (src/security/vault.ts) of
 * `{"api_key", "headers"}` — never plaintext; `api_key_last4` is what listings show. `version`
 * grows with every change, so instances can tell a changed row on reconcile.
 */
export const providers = pgTable('providers', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  baseUrl: text('base_url').notNull(),
  /** Canonical model id → the provider's native name. */
  models: jsonb('models').$type<Record<string, string>>().notNull(),
  serveCatalogue: boolean('serve_catalogue').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  secret: text('secret'),
  apiKeyLast4: text('api_key_last4'),
  version: integer('version').notNull().default(1),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  /** The caller's key id (`master` for the master key). */
  updatedBy: text('updated_by').notNull(),
});
