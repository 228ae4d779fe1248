/** Storage: the only folder that imports drizzle, pg and PGlite (docs/architecture.md). */
export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type SignalboxDrizzle,
} from './database.ts';
export { isDatabaseUnavailableError } from './database-unavailable.ts';
export {
  DataDirectoryInUseError,
  lockDataDirectory,
  type DataDirectoryLock,
  type DataDirectoryOwner,
} from './data-directory-lock.ts';
export {
  createLedgerRepository,
  MAX_REQUESTS_PAGE,
  type LedgerRepository,
  type ModelStatistics,
  type RequestFilter,
} from './ledger-repository.ts';
export {
  createCatalogRepository,
  type CatalogRepository,
  type UpsertModelsResult,
} from './catalog-repository.ts';
export type { AttemptCostResult, AttemptCostUpdate } from './ledger-cost-update.ts';
export { createSettingsRepository, type SettingsRepository } from './settings-repository.ts';
export type { ModelStatus } from './schema.ts';
export {
  createModelSyncRunRepository,
  type ModelSyncRunRepository,
} from './model-sync-run-repository.ts';
export type { ModelSelection } from './catalog-repository.ts';
export {
  createAdminSessionRepository,
  type AdminSessionRecord,
  type AdminSessionRepository,
} from './admin-session-repository.ts';
export {
  createAuditRepository,
  type AuditPage,
  type AuditQuery,
  type AuditRepository,
  type SqlExecutor,
} from './audit-repository.ts';
export {
  attemptColumns,
  requestColumns,
  type AttemptColumnKey,
  type LedgerColumn,
  type RequestColumnKey,
} from './ledger-columns.ts';
export {
  createRoutingPolicyRepository,
  type PolicyRepositoryOptions,
} from './routing-policy-repository.ts';
export { createRoutingAnalyticsRepository } from './routing-analytics-repository.ts';
export {
  createProjectRepository,
  type Changed,
  type ProjectRepository,
} from './project-repository.ts';
export {
  createApiKeyRepository,
  type ApiKeyFilter,
  type ApiKeyRepository,
  type KeyRotation,
  type NewApiKey,
} from './api-key-repository.ts';
export { createLedgerSpendReader, type LedgerSpendReader } from './ledger-spend.ts';
export {
  createUsageAnalyticsRepository,
  type AnalyticsFilters,
  type AnalyticsGroupBy,
  type AnalyticsInterval,
  type AnalyticsQuery,
  type HistogramPoint,
  type RollupPoint,
  type UsageAnalyticsRepository,
} from './usage-analytics-repository.ts';
export {
  createCostAccuracyRepository,
  type CostAccuracyRepository,
  type PricedAttempt,
} from './cost-accuracy-repository.ts';
export { createSpendRepository, type SpendRepository } from './spend-repository.ts';
export {
  createProviderRepository,
  type ProviderRepository,
  type ProviderWrite,
  type StoredProvider,
} from './provider-repository.ts';
export { createPostgresChangeBus, type PostgresChangeBusOptions } from './postgres-change-bus.ts';
export {
  createAlertRepository,
  type AlertEventQuery,
  type AlertRepository,
  type AlertTransition,
} from './alert-repository.ts';
export { withAlertEvaluationLock } from './alert-evaluation-lock.ts';
export {
  createTrafficProfileRepository,
  type FeatureName,
  type ObservedRollup,
  type TrafficProfile,
  type TrafficProfileQuery,
  type TrafficProfileRepository,
} from './traffic-profile-repository.ts';
export {
  refreshTrafficProfiles,
  startTrafficProfileRefresher,
  type TrafficProfileRefresh,
  type TrafficProfileRefresher,
} from './traffic-profile-refresh.ts';
