/** What the HTTP layer is given by the composition root. */
import type { FastifyBaseLogger } from 'fastify';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import type { Config } from '../config/config.ts';
import type { GatewayServices } from '../gateway/index.ts';
import type { OpenRouterAccountPath } from '../providers/index.ts';
import type { LedgerRepository } from '../storage/index.ts';
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
  ledgerRepository: LedgerRepository;
  /** The admin catalogue API (search, compare, recommend, sync, enable/disable). */
  catalogAdmin: CatalogAdminDependencies;
  readiness(): Promise<ReadinessReport>;
  /**
   * OpenRouter's `GET /key` or `/credits` for the key Signalbox uses (the emulator's in demo
   * mode): the 2xx body's bytes. Rejects with SignalboxError `upstream_*` like a chat request.
   */
  openRouterAccount(path: OpenRouterAccountPath): Promise<Buffer>;
  logger: FastifyBaseLogger;
}
