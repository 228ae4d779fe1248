/** What the HTTP layer is given by the composition root. */
import type { FastifyBaseLogger } from 'fastify';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import type { Config } from '../config/config.ts';
import type { GatewayServices } from '../gateway/index.ts';
import type { PrincipalResolver } from '../security/principal-resolver.ts';
import type { OpenRouterAccountPath } from '../providers/index.ts';
import type { AuditRepository, LedgerRepository } from '../storage/index.ts';
import type { LedgerWriter } from '../usage/ledger-writer.ts';
import type { PrometheusMetrics } from '../usage/prometheus-metrics.ts';
import type { SessionService } from './admin/session-service.ts';
import type { CatalogAdminDependencies } from './routes/admin-catalog.ts';
import type { KeysAdminDependencies } from './routes/admin-keys.ts';
import type { AnalyticsAdminDependencies } from './routes/admin-analytics.ts';
import type { AlertsAdminDependencies } from './routes/admin-alerts.ts';
import type { RecommendationsAdminDependencies } from './routes/admin-recommendations.ts';
import type { RoutingAdminDependencies } from './routes/admin-routing.ts';
import type { ProviderAdmin } from './routes/admin-providers.ts';
import type { SettingsAdmin } from './routes/admin-settings.ts';

/** One provider instance's circuit state (src/limits/health-registry.ts). */
export interface ProviderReadiness {
  id: string;
  /** Worst circuit state over its models. */
  state: 'closed' | 'open' | 'half_open';
  /** `open` while the whole provider cools down (credentials or credits refused). */
  providerState: 'closed' | 'open' | 'half_open';
  /** Models (and the provider-wide target) currently open or half-open. */
  openTargets: number;
  /** ISO time the latest cooldown ends; null when none. */
  openUntil: string | null;
}

export interface ReadinessReport {
  /** False: answer 503 (database unreachable, no catalogue, or no provider can serve anything). */
  ready: boolean;
  /** Ready, but some provider instance or model is cooling down (still HTTP 200). */
  degraded: boolean;
  providers: ProviderReadiness[];
  /** Whether cooldowns are shared through Redis, and whether that store is reachable. */
  healthRegistry: { shared: boolean; reachable: boolean };
  /**
   * Rate limits and budgets: shared through Redis, whether that store is reachable, and the
   * controls running degraded (their store-failure mode decides: open or closed).
   */
  limits?: { shared: boolean; reachable: boolean; degraded: string[] };
  /** `demo`: the built-in emulator stands in for OpenRouter. */
  mode: 'demo' | 'live';
  database: { kind: string; reachable: boolean };
  catalogue: { models: number; loadedAt: string | null };
}

export interface HttpDependencies {
  config: Config;
  gateway: GatewayServices;
  /** The current catalogue (it may be reloaded while the server runs). */
  catalog(): CatalogIndex;
  /** SHA-256 hex of the master key. */
  masterKeyHash: string;
  /** Who a bearer token belongs to: the master key, or a stored key (client, viewer, admin). */
  principalResolver: PrincipalResolver;
  /** Dashboard sessions (cookie login to the admin API). */
  sessions: SessionService;
  /** The built dashboard (`web/dist`) served at /ui/; null = not served. */
  dashboardDirectory: string | null;
  ledgerRepository: LedgerRepository;
  /** The audit log: every admin mutation appends one row (src/http/admin/admin-audit.ts). */
  audit: AuditRepository;
  /** Flushed before the ledger is read, so a read sees every earlier request. */
  ledger: Pick<LedgerWriter, 'flush'>;
  /** The admin catalogue API (search, compare, recommend, sync, enable/disable). */
  catalogAdmin: CatalogAdminDependencies;
  /** The admin providers and vault API (run-time provider instances, key rotation). */
  providerAdmin: ProviderAdmin;
  /** The run-time switches (`/admin/settings`). */
  settingsAdmin: SettingsAdmin;
  /** The admin routing API (policies, versions, experiments, decision analytics). */
  routingAdmin: RoutingAdminDependencies;
  /** The admin keys and projects API. */
  keysAdmin: KeysAdminDependencies;
  /** The admin analytics API (usage, performance, costs, reconciliation). */
  analyticsAdmin: AnalyticsAdminDependencies;
  /** The admin alerts API (rules, events). */
  alertsAdmin: AlertsAdminDependencies;
  /** The admin recommendations API (cheaper models from real traffic, as experiments). */
  recommendationsAdmin: RecommendationsAdminDependencies;
  readiness(): Promise<ReadinessReport>;
  /** Prometheus metrics: `GET /metrics` (admin key) and the HTTP request counters; null = none. */
  metrics: PrometheusMetrics | null;
  /**
   * OpenRouter's `GET /key` or `/credits` for the key Signalbox uses (the emulator's in demo
   * mode): the 2xx body's bytes. Rejects with SignalboxError `upstream_*` like a chat request.
   */
  openRouterAccount(path: OpenRouterAccountPath): Promise<Buffer>;
  logger: FastifyBaseLogger;
}
