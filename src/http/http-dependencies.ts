/** What the HTTP layer is given by the composition root. */
import type { FastifyBaseLogger } from 'fastify';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import type { Config } from '../config/config.ts';
import type { GatewayServices } from '../gateway/index.ts';
import type { PrincipalResolver } from '../security/principal-resolver.ts';
import type { LedgerRepository } from '../storage/index.ts';
import type { SessionService } from './admin/session-service.ts';
import type { CatalogAdminDependencies } from './routes/admin-catalog.ts';

export interface ReadinessReport {
  ready: boolean;
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
  /** Who an admin API bearer token belongs to (the master key, later admin/viewer keys). */
  principalResolver: PrincipalResolver;
  /** Dashboard sessions (cookie login to the admin API). */
  sessions: SessionService;
  /** The built dashboard (`web/dist`) served at /ui/; null = not served. */
  dashboardDirectory: string | null;
  ledgerRepository: LedgerRepository;
  /** The admin catalogue API (search, compare, recommend, sync, enable/disable). */
  catalogAdmin: CatalogAdminDependencies;
  readiness(): Promise<ReadinessReport>;
  logger: FastifyBaseLogger;
}
