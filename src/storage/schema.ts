/**
 * The Drizzle schema: one schema and one SQL dialect for both PGlite and PostgreSQL.
 * Migrations in ./migrations are generated from this file (`npm run db:generate`,
 * drizzle.config.ts) and never edited by hand. The catalogue, ledger, sessions, audit and
 * routing tables are here; the usage rollups (schema-usage-rollups.ts), governance
 * (schema-governance.ts) and alert (schema-alerts.ts) tables are re-exported from their files.
 *
 * Money is integer nano-USD (`bigint`, 1 USD = 1e9) and NULL when unknown, never 0.
 * Token columns are counts, `*_ms` columns milliseconds.
 */
import {
  bigserial,
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from './drizzle.ts';
import { sql } from './drizzle.ts';
import type { CostSource } from '../contracts/ledger.ts';
import type { StoredRoutingDecision } from '../contracts/routing-decision.ts';
import type { PolicyAction, PolicyDiffEntry } from '../routing/policy-repository.ts';
import type { RoutingPolicy } from '../routing/policy-schema.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';

import { nanoUsd, timestamptz } from './schema-columns.ts';

export * from './schema-usage-rollups.ts';
export * from './schema-governance.ts';
export * from './schema-alerts.ts';

/** Instance-wide key/value settings, e.g. the master key's SHA-256 hash. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Lifecycle of a catalogue model: `retired` once a sync no longer sees it (never deleted).
 * Whether an operator hides it is the separate `enabled` flag, so a retired model that
 * comes back keeps its operator's choice. `disabled` is kept for rows written before
 * `enabled` existed and is never written any more.
 */
export type ModelStatus = 'active' | 'retired' | 'disabled';

/** The catalogue: one row per OpenRouter model id (OpenRouter `Model`). */
export const models = pgTable(
  'models',
  {
    id: text('id').primaryKey(),
    canonicalSlug: text('canonical_slug'),
    name: text('name').notNull(),
    description: text('description'),
    /** OpenRouter's `created` (unix seconds) as a timestamp. */
    created: timestamptz('created'),
    contextLength: integer('context_length'),
    architecture: jsonb('architecture').$type<ModelInfo['architecture']>(),
    topProvider: jsonb('top_provider').$type<ModelInfo['top_provider']>(),
    supportedParameters: jsonb('supported_parameters').$type<string[]>(),
    /** The whole Model object as received; what `/v1/models` serves back. */
    raw: json('raw').$type<ModelInfo>().notNull(),
    status: text('status').$type<ModelStatus>().notNull().default('active'),
    firstSeenAt: timestamptz('first_seen_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    retiredAt: timestamptz('retired_at'),
    /** false = hidden by an operator: not listed to keys and not routed to. */
    enabled: boolean('enabled').notNull().default(true),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (table) => [index('models_status_idx').on(table.status)],
);

/** Outcome of a catalogue sync run. */
export type ModelSyncStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/**
 * One catalogue sync per row. At most one row is `running` (unique partial index): that
 * row is the cluster-wide claim, so two instances syncing at once cannot both run.
 */
export const modelSyncRuns = pgTable(
  'model_sync_runs',
  {
    id: text('id').primaryKey(),
    startedAt: timestamptz('started_at').notNull(),
    finishedAt: timestamptz('finished_at'),
    status: text('status').$type<ModelSyncStatus>().notNull(),
    /** What the run is doing now: `fetching`, `writing`, `done`. */
    phase: text('phase').notNull().default('fetching'),
    newModels: integer('new_models').notNull().default(0),
    changedModels: integer('changed_models').notNull().default(0),
    unchangedModels: integer('unchanged_models').notNull().default(0),
    retiredModels: integer('retired_models').notNull().default(0),
    pricesChanged: integer('prices_changed').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    error: text('error'),
    /** Which Signalbox instance ran it (host name and process id). */
    instance: text('instance').notNull(),
  },
  (table) => [
    uniqueIndex('model_sync_runs_one_running_idx')
      .on(table.status)
      .where(sql`${table.status} = 'running'`),
    index('model_sync_runs_started_at_idx').on(table.startedAt),
  ],
);

/** Versioned prices: a new row only when a model's pricing object changes. */
export const modelPrices = pgTable(
  'model_prices',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    /** OpenRouter's pricing object with its decimal strings, exactly as received. */
    pricing: json('pricing').$type<ModelPricing>().notNull(),
    effectiveFrom: timestamptz('effective_from').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('model_prices_model_id_effective_from_idx').on(table.modelId, table.effectiveFrom),
  ],
);

/** The ledger: one row per client request. */
export const requests = pgTable(
  'requests',
  {
    /** The `x-request-id` of the response. */
    id: text('id').primaryKey(),
    // Millisecond precision, like the JS Date it comes from, so a pagination cursor
    // built from a Date compares exactly.
    createdAt: timestamp('created_at', {
      withTimezone: true,
      mode: 'date',
      precision: 3,
    }).notNull(),
    model: text('model').notNull(),
    provider: text('provider'),
    servedModel: text('served_model'),
    status: text('status').notNull(),
    httpStatus: integer('http_status').notNull(),
    stream: boolean('stream').notNull(),
    generationId: text('generation_id'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    cachedTokens: integer('cached_tokens'),
    latencyMs: integer('latency_ms').notNull(),
    ttftMs: integer('ttft_ms'),
    costNanoUsd: nanoUsd('cost_nanousd'),
    costSource: text('cost_source').$type<CostSource>(),
    /** `signalbox/<name>` → `<name>`; null for a plain model id. */
    policy: text('policy'),
    /** 0 = a built-in policy. */
    policyVersion: integer('policy_version'),
    policyVariant: text('policy_variant'),
    /** Position in the plan of the target that served: 0 = first choice; null when none did. */
    servedCandidate: integer('served_candidate'),
    /** The routing decision, empty fields left out (contracts/routing-decision.ts). */
    routingDecision: jsonb('routing_decision').$type<StoredRoutingDecision>(),
    /** The caller's key id (`master` for the master key); null for rows from before keys. */
    keyId: text('key_id'),
    /** The caller's project; null for the master key and keys outside any project. */
    projectId: text('project_id'),
    /** Time the request waited in the queue for its key's concurrency limit, ms; null = none. */
    queueWaitMs: integer('queue_wait_ms'),
    /**
     * What the request required of a model, as routing read it: Feature bits
     * (src/routing/routing-catalog.ts — tools 1, tool_choice 2, structured outputs 4, JSON mode 8,
     * reasoning 16, image 32, file 64, audio 128, video 256); null when it never reached routing
     * or for rows written before the column (the recommendations read it).
     */
    requiredFeatures: integer('required_features'),
  },
  (table) => [
    index('requests_created_at_id_idx').on(
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    // GET /api/v1/generation?id= (OpenRouter's route, answered from the ledger).
    index('requests_generation_id_idx')
      .on(table.generationId)
      .where(sql`${table.generationId} is not null`),
    // Per-key and per-project reads (the admin request log's filters, spend).
    index('requests_key_id_created_at_idx')
      .on(table.keyId, table.createdAt)
      .where(sql`${table.keyId} is not null`),
    index('requests_project_id_created_at_idx')
      .on(table.projectId, table.createdAt)
      .where(sql`${table.projectId} is not null`),
    // Experiment and decision analytics read one policy's requests over a time range.
    index('requests_policy_created_at_idx')
      .on(table.policy, table.createdAt)
      .where(sql`${table.policy} is not null`),
  ],
);

/** The ledger: one row per upstream attempt of a request. */
export const attempts = pgTable(
  'attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    attemptNumber: integer('attempt_number').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    servedModel: text('served_model'),
    generationId: text('generation_id'),
    status: text('status').notNull(),
    upstreamStatus: integer('upstream_status'),
    startedAt: timestamptz('started_at').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    ttftMs: integer('ttft_ms'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    cachedTokens: integer('cached_tokens'),
    costNanoUsd: nanoUsd('cost_nanousd'),
    costSource: text('cost_source').$type<CostSource>(),
  },
  (table) => [
    // Also serves look-ups by request_id (its leading column): no separate index to maintain.
    uniqueIndex('attempts_request_id_attempt_number_idx').on(table.requestId, table.attemptNumber),
  ],
);

/**
 * Dashboard sessions (`POST /admin/session`). The session id lives only in the client's
 * HttpOnly cookie; the table keeps its SHA-256, so a database leak yields no usable session.
 * Stored here, not in memory, so a session works on every instance behind a load balancer.
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    /** SHA-256 hex of the session id. */
    idHash: text('id_hash').primaryKey(),
    /** The principal's key id (`master` for the master key). */
    keyId: text('key_id').notNull(),
    role: text('role').notNull(),
    projectId: text('project_id'),
    name: text('name').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    /** Last use; the session ends after the idle timeout without use. */
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    /** Absolute end, whatever the use. */
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (table) => [
    index('admin_sessions_key_id_idx').on(table.keyId),
    index('admin_sessions_expires_at_idx').on(table.expiresAt),
  ],
);

/**
 * The audit log: one row per admin mutation, written in the same transaction as the change
 * (docs/decisions/0011-audit-log.md). Append-only: nothing updates or deletes a row.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    /** Secrets masked (src/security/mask-secrets.ts). */
    before: jsonb('before'),
    after: jsonb('after'),
    clientIp: text('client_ip'),
    requestId: text('request_id'),
  },
  (table) => [
    index('audit_log_at_id_idx').on(table.at.desc(), table.id.desc()),
    index('audit_log_actor_idx').on(table.actorKeyId, table.at.desc()),
    index('audit_log_target_idx').on(table.targetType, table.targetId, table.at.desc()),
  ],
);

/**
 * Routing policies, current version (`signalbox/<name>`). The document is the policy JSON as
 * validated by src/routing/policy-schema.ts; every change is also a `routing_policy_versions` row.
 */
export const routingPolicies = pgTable('routing_policies', {
  name: text('name').primaryKey(),
  version: integer('version').notNull(),
  policy: jsonb('policy').$type<RoutingPolicy>().notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
  /** Who made the current version (the caller's key id; `master` for the master key). */
  updatedBy: text('updated_by').notNull(),
});

/**
 * Every version of every policy, never deleted: who changed what, when, and the diff. A delete
 * is a version too (content null), so a name's history survives its deletion.
 */
export const routingPolicyVersions = pgTable(
  'routing_policy_versions',
  {
    name: text('name').notNull(),
    version: integer('version').notNull(),
    action: text('action').$type<PolicyAction>().notNull(),
    /** The policy as of this version; null for a delete. */
    policy: jsonb('policy').$type<RoutingPolicy>(),
    /** Changed fields: `[{path, before, after}]` against the previous version. */
    diff: jsonb('diff').$type<PolicyDiffEntry[]>().notNull(),
    createdAt: timestamptz('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    /** The version a rollback restored, the variant a promote kept. */
    note: text('note'),
  },
  (table) => [primaryKey({ columns: [table.name, table.version] })],
);
