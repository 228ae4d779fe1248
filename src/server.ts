/**
 * `signalbox/server`: the HTTP gateway as a library — `createApp(loadConfig())` builds the same
 * server `signalbox serve` runs (README "Configuration" lists the variables `loadConfig` reads).
 *
 * The server is published through `SignalboxServer`, a narrower view of the composition root's
 * `SignalboxApp`: the database handle stays internal, because its Drizzle types reach Drizzle's
 * declarations for every dialect, which do not type-check without the optional peers' types
 * (gel, mysql2, …) — a consumer would need `skipLibCheck`. The assignment below makes tsc check
 * that `createApp` still satisfies this view whenever app.ts changes.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createApp as createSignalboxApp } from './app.ts';
import type { Config } from './config/config.ts';

export { loadConfig, ConfigError, type Config } from './config/config.ts';

/** Options of `createApp`. */
export interface SignalboxServerOptions {
  /** A pino logger to use instead of the default one on stdout. */
  logger?: Logger;
}

/** The gateway server built by `createApp`. */
export interface SignalboxServer {
  readonly config: Config;
  /** The Fastify instance (e.g. `server.inject()` in tests). */
  readonly server: FastifyInstance;
  readonly logger: Logger;
  /** `demo` when the built-in emulator stands in for OpenRouter. */
  readonly mode: 'demo' | 'live';
  /** The master key, only when this start generated it (print it once). */
  readonly generatedMasterKey: string | null;
  /** The emulator's origin in demo mode. */
  readonly emulatorOrigin: string | null;
  /** Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:8787`). */
  listen(): Promise<string>;
  /** Stops accepting requests, drains, flushes the ledger and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds the whole gateway server from a Config (`loadConfig(process.env)`), migrating the
 * database first. @throws ConfigError when the configuration file or a provider is invalid.
 */
export const createApp: (
  config: Config,
  options?: SignalboxServerOptions,
) => Promise<SignalboxServer> = createSignalboxApp;
