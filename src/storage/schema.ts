/**
 * The Drizzle schema: one schema and one SQL dialect for both PGlite and PostgreSQL.
 * Migrations in ./migrations are generated from this file (`npm run db:generate`,
 * drizzle.config.ts) and never edited by hand.
 *
 * Money is integer nano-USD (`bigint`, 1 USD = 1e9) and NULL when unknown, never 0.
 * Token columns are counts, `*_ms` columns milliseconds.
 */
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
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
import type { PgColumn } from 'drizzle-orm/pg-core';
import { sql } from './drizzle.ts';
import type { CostSource } from '../contracts/ledger.ts';
import type { StoredRoutingDecision } from '../contracts/routing-decision.ts';
import type { PolicyAction, PolicyDiffEntry } from '../routing/policy-repository.ts';
import type { RoutingPolicy } from '../routing/policy-schema.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const nanoUsd = (name: string) => bigint(name, { mode: 'bigint' });

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

/**
 * Usage rollups (issue 10, docs/decisions/0016-usage-rollups.md): one row per time bucket ×
 * key × project × model × provider × status × policy, maintained in the SAME statement as the
 * ledger insert (ledger-insert.ts) and in the same transaction as a late cost
 * (ledger-cost-update.ts), so their totals always equal the ledger's. A ledger NULL (no key,
 * no provider, no policy) is stored as '' in the rollups, whose key columns are all NOT NULL.
 * Two tiers with the same columns: `usage_rollups_minute` and `usage_rollups_hour` (hour and
 * day series read the hour tier), plus `usage_rollups_hour_by_model` without the key, project
 * and policy dimensions.
 */
function usageRollupColumns() {
  const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
  const money = (name: string) =>
    nanoUsd(name)
      .notNull()
      .default(sql`0`);
  return {
    /** Start of the minute (or hour), UTC. */
    bucketStart: timestamptz('bucket_start').notNull(),
    keyId: text('key_id').notNull(),
    projectId: text('project_id').notNull(),
    model: text('model').notNull(),
    provider: text('provider').notNull(),
    status: text('status').notNull(),
    policy: text('policy').notNull(),
    requests: count('requests'),
    /** Requests whose status is not `success`. */
    errors: count('errors'),
    /** Upstream attempts; `retries` = attempts beyond each request's first. */
    attempts: count('attempts'),
    retries: count('retries'),
    /** Requests served by a target other than the plan's first (served_candidate > 0). */
    fallbacks: count('fallbacks'),
    promptTokens: count('prompt_tokens'),
    completionTokens: count('completion_tokens'),
    reasoningTokens: count('reasoning_tokens'),
    cachedTokens: count('cached_tokens'),
    /** Sum of the known costs; requests of unknown cost are counted in `costUnknownRequests`. */
    costNanoUsd: money('cost_nanousd'),
    costProviderNanoUsd: money('cost_provider_nanousd'),
    costReconciledNanoUsd: money('cost_reconciled_nanousd'),
    costComputedNanoUsd: money('cost_computed_nanousd'),
    costEstimatedNanoUsd: money('cost_estimated_nanousd'),
    costProviderRequests: count('cost_provider_requests'),
    costReconciledRequests: count('cost_reconciled_requests'),
    costComputedRequests: count('cost_computed_requests'),
    costEstimatedRequests: count('cost_estimated_requests'),
    costUnknownRequests: count('cost_unknown_requests'),
    /** Sum of latency_ms, and of latency_ms over the requests with completion tokens (tokens/s). */
    latencyMsSum: count('latency_ms_sum'),
    generationMsSum: count('generation_ms_sum'),
  };
}

type RollupKeyColumns = Pick<
  ReturnType<typeof usageRollupColumns>,
  'bucketStart' | 'keyId' | 'projectId' | 'model' | 'provider' | 'status' | 'policy'
>;

/** The rollup key, time first (range scans). */
function rollupKey(table: { [K in keyof RollupKeyColumns]: PgColumn }): [PgColumn, ...PgColumn[]] {
  return [
    table.bucketStart,
    table.keyId,
    table.projectId,
    table.model,
    table.provider,
    table.status,
    table.policy,
  ];
}

/** Per-minute usage rollups (see usageRollupColumns). */
export const usageRollupsMinute = pgTable('usage_rollups_minute', usageRollupColumns(), (table) => [
  primaryKey({ columns: [...rollupKey(table)] }),
]);

/** Per-hour usage rollups (see usageRollupColumns). */
export const usageRollupsHour = pgTable('usage_rollups_hour', usageRollupColumns(), (table) => [
  primaryKey({ columns: [...rollupKey(table)] }),
]);

/** The rollup columns without the key, project and policy dimensions. */
function modelRollupColumns() {
  const columns: Partial<ReturnType<typeof usageRollupColumns>> = usageRollupColumns();
  delete columns.keyId;
  delete columns.projectId;
  delete columns.policy;
  return columns as Omit<ReturnType<typeof usageRollupColumns>, 'keyId' | 'projectId' | 'policy'>;
}

/**
 * Per-hour usage rollups by model × provider × status only (no key, project or policy): what a
 * series grouped by model, provider or status, or not at all, reads (far fewer rows than
 * `usage_rollups_hour` when many keys send traffic). No histograms: percentiles read the full
 * hour tier. Kept by the same statements as the other tiers (usage-rollup-sql.ts
 * MODEL_HOUR_TIER).
 */
export const usageRollupsHourByModel = pgTable(
  'usage_rollups_hour_by_model',
  modelRollupColumns(),
  (table) => [
    primaryKey({ columns: [table.bucketStart, table.model, table.provider, table.status] }),
  ],
);

/**
 * Latency and TTFT histograms of the rollups, sparse: one row per rollup key × metric
 * (`latency_ms` | `ttft_ms`) × log-scale bucket that holds at least one request. Bucket 0 holds
 * 0 ms, bucket k ≥ 1 the values in (γ^(k-2), γ^(k-1)] ms, γ = 1.1 (src/usage/latency-histogram.ts),
 * so merged counts are exact and a percentile read from them is within 4.8 % of the exact value.
 */
function usageHistogramColumns() {
  const { bucketStart, keyId, projectId, model, provider, status, policy } = usageRollupColumns();
  return {
    bucketStart,
    keyId,
    projectId,
    model,
    provider,
    status,
    policy,
    metric: text('metric').notNull(),
    bucket: integer('bucket').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  };
}

/** Per-minute latency/TTFT histograms (see usageHistogramColumns). */
export const usageHistogramsMinute = pgTable(
  'usage_histograms_minute',
  usageHistogramColumns(),
  (table) => [primaryKey({ columns: [...rollupKey(table), table.metric, table.bucket] })],
);

/** Per-hour latency/TTFT histograms (see usageHistogramColumns). */
export const usageHistogramsHour = pgTable(
  'usage_histograms_hour',
  usageHistogramColumns(),
  (table) => [primaryKey({ columns: [...rollupKey(table), table.metric, table.bucket] })],
);

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

/** One channel of an alert rule as stored: a webhook's secret only as a vault envelope (ADR 0018). */
export interface StoredAlertChannel {
  type: 'webhook' | 'log';
  url?: string;
  sealed_secret?: string;
  secret_last4?: string;
}

/**
 * Alert rules (docs/alerts.md, ADR 0018): a metric over a window and a scope compared with a
 * threshold, and where to send its transitions. `state` is what the last evaluation concluded
 * (`ok` or `firing`); a transition is written only when it still holds the state the evaluator
 * read (compare-and-set), so two evaluators never record one transition twice.
 */
export const alertRules = pgTable('alert_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  metric: text('metric').notNull(),
  /** `{"project_id"?, "key_id"?, "model"?, "provider"?}`; empty = everything. */
  scope: jsonb('scope').$type<Record<string, string>>().notNull(),
  windowMinutes: integer('window_minutes').notNull(),
  operator: text('operator').notNull(),
  threshold: doublePrecision('threshold').notNull(),
  channels: jsonb('channels').$type<StoredAlertChannel[]>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  state: text('state').notNull().default('ok'),
  /** When the rule entered its current state (null: never evaluated). */
  stateSince: timestamptz('state_since'),
  /** The metric at the last evaluation (null: no data, e.g. a rate without requests). */
  lastValue: doublePrecision('last_value'),
  lastEvaluatedAt: timestamptz('last_evaluated_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** Alert transitions (`firing`, `resolved`) with the value that caused them. Kept when the rule is deleted. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    state: text('state').notNull(),
    metric: text('metric').notNull(),
    scope: jsonb('scope').$type<Record<string, string>>().notNull(),
    value: doublePrecision('value'),
    operator: text('operator').notNull(),
    threshold: doublePrecision('threshold').notNull(),
    windowMinutes: integer('window_minutes').notNull(),
    windowFrom: timestamptz('window_from').notNull(),
    windowTo: timestamptz('window_to').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
  },
  (table) => [
    index('alert_events_at_id_idx').on(table.at.desc(), table.id.desc()),
    index('alert_events_rule_idx').on(table.ruleId, table.at.desc()),
  ],
);

/** One delivery attempt of an event to a channel. */
export interface AlertDeliveryAttempt {
  attempt: number;
  at: string;
  /** HTTP status of a webhook's answer; null when none came (network error, time-out) or for `log`. */
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** An event's delivery to one channel of its rule, and every attempt made. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => alertEvents.id, { onDelete: 'cascade' }),
    /** The channel's index in the rule's `channels` when the event was recorded. */
    channel: integer('channel').notNull(),
    type: text('type').notNull(),
    /** `pending`, `delivered` or `failed` (attempts used up). */
    status: text('status').notNull(),
    attempts: jsonb('attempts').$type<AlertDeliveryAttempt[]>().notNull().default([]),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [index('alert_deliveries_event_idx').on(table.eventId)],
);
