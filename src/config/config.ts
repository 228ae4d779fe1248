/**
 * The only reader of process.env (docs/conventions.md). `loadConfig()` validates every variable
 * and returns a frozen Config; a bad value throws ConfigError naming the variable.
 * Every variable is listed, with its default, in README.md ("Configuration").
 */
import path from 'node:path';
import { ConfigError } from './config-error.ts';
import { loadConfigFile } from './config-file.ts';
import { builtInProviders, type DirectProviderConfig } from './provider-config.ts';

/** What a limit does when its store is unreachable: admit without it, or refuse (503). */
export type StoreFailureMode = 'open' | 'closed';

/** Rate limits, the queue and budgets (docs/decisions/0014-rate-limits-and-budgets.md). */
export interface LimitsConfig {
  /** IANA time zone of the budgets' day, week and month. */
  budgetTimeZone: string;
  /** Longest wait in the queue for a key's concurrency limit, ms. */
  queueMaxWaitMs: number;
  /** Requests waiting per concurrency limit; more are refused at once. */
  queueMaxDepth: number;
  /** Per control, when Redis (or the ledger a budget loads from) is unreachable. */
  onStoreFailure: { rateLimits: StoreFailureMode; budgets: StoreFailureMode };
}

export type { DirectProviderConfig, ProviderKind } from './provider-config.ts';

export { ConfigError } from './config-error.ts';

/** Upstream timeouts, all in milliseconds. */
export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From sending the request to the upstream's response headers (time to first byte). */
  firstByteMs: number;
  /** Longest silence between two body chunks (streams: between events). */
  idleMs: number;
  /** Whole upstream request, first byte to last. */
  totalMs: number;
}

/** Circuit-breaker settings; durations in ms. */
export interface CircuitConfig {
  /** Consecutive retryable failures that open a circuit. */
  failureThreshold: number;
  /** Error rate (0–1) over the window that opens a circuit. */
  errorRateThreshold: number;
  /** Attempts in the window before the error rate counts. */
  minRequests: number;
  windowMs: number;
  /** First cooldown; doubles on each consecutive trip up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs: number;
}

export interface OpenRouterConfig {
  /** null = demo mode: the in-process emulator stands in for OpenRouter. */
  apiKey: string | null;
  baseUrl: string;
  /** Sent as `HTTP-Referer`. */
  appUrl: string;
  /** Sent as `X-OpenRouter-Title` and the legacy `X-Title`. */
  appTitle: string;
}

export interface Config {
  host: string;
  port: number;
  /** Directory for PGlite's data (`<dataDir>/db`). */
  dataDir: string;
  /** `postgres://…` to use PostgreSQL instead of PGlite; null = PGlite. */
  databaseUrl: string | null;
  /**
   * How a settled request reaches the ledger: `journal` (appended to a local journal, inserted
   * in the background; replayed after a crash) or `commit` (the request waits for the database
   * commit: no local disk needed, for deployments without persistent volumes).
   * docs/decisions/0003-ledger-group-commit.md.
   */
  ledgerMode: 'journal' | 'commit';
  /** This process's ledger journal directory (one per process: `<dataDir>/journal`, or per worker). */
  journalDir: string;
  /** Cluster workers `signalbox serve` runs (`--workers`); 1 = no cluster. PostgreSQL only. */
  workers: number;
  /**
   * SIGNALBOX_METRICS_PORT: when set, Prometheus metrics are also served WITHOUT auth on this
   * port (`GET /metrics`, same host); null = only `GET /metrics` on the main port, admin key needed.
   */
  metricsPort: number | null;
  /**
   * OpenTelemetry traces over OTLP/HTTP: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), else
   * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`; `service.name` from OTEL_SERVICE_NAME (default
   * `signalbox`). null (neither endpoint set) = no tracing, the SDK is never loaded.
   */
  tracing: { url: string; serviceName: string } | null;
  /** A cluster worker after the first: print one line, not the whole start-up banner. */
  quietBanner: boolean;
  /** Master key; null = generate one at first start and keep only its hash. */
  masterKey: string | null;
  openrouter: OpenRouterConfig;
  timeouts: UpstreamTimeouts;
  /** Retries after the first attempt, per request, before the first byte is sent. */
  maxRetries: number;
  /** A retry whose wait (Retry-After or backoff) would exceed this is not made; ms. */
  maxRetryDelayMs: number;
  /** Whole-request deadline (attempts, retries, backoff), ms; a request may ask for less. */
  requestTimeoutMs: number;
  /**
   * Streams with another candidate left: time-to-first-token deadline after which the next
   * candidate takes over, ms (the last candidate waits `timeouts.firstByteMs`).
   */
  fallbackTtftMs: number;
  /** The graceful reply's text when every candidate failed; null = off (an error is returned). */
  fallbackReply: string | null;
  /** `redis://…`: cooldowns (and, later, limits) shared by every instance; null = per instance. */
  redisUrl: string | null;
  /** Rate limits, the queue and budgets of keys and projects. */
  limits: LimitsConfig;
  /** Circuit breakers of the health registry (docs/decisions/0006-health-registry.md). */
  circuit: CircuitConfig;
  /** Instance-wide cap on retries and fallbacks. */
  retryBudget: { percent: number; minRetriesPerSecond: number };
  /** Largest accepted request body, bytes. */
  bodyLimitBytes: number;
  /** Time a client has to send its whole request (headers and body), ms. */
  clientRequestTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut, ms. */
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Log prompt and completion text (off by default). */
  logContent: boolean;
  /** Direct providers besides OpenRouter, from the environment and the configuration file. */
  providers: readonly DirectProviderConfig[];
  /**
   * Private, loopback or link-local hosts (names, IPs or CIDRs) that provider base URLs may
   * reach (local model servers); every other such address is refused (SSRF guard).
   */
  allowedPrivateHosts: readonly string[];
  /** Sync the catalogue at start-up when the last successful sync is older; ms; 0 = never. */
  catalogMaxAgeMs: number;
  /** Sync the catalogue this often while running; ms; 0 = no scheduled sync. */
  catalogSyncIntervalMs: number;
  /** A dashboard session unused this long ends; ms. */
  sessionIdleMs: number;
  /** A dashboard session ends this long after login, however it is used; ms. */
  sessionMaxMs: number;
  /**
   * The vault's key-encryption key (32 bytes, base64) that wraps every stored secret's data key;
   * null = demo mode generates one into the data directory, live mode refuses to store secrets.
   * docs/decisions/0015-vault-and-change-bus.md.
   */
  encryptionKey: string | null;
  /** The key-encryption key being rotated away from (32 bytes, base64); null = no rotation. */
  encryptionKeyPrevious: string | null;
  /** How often an instance re-reads run-time configuration in case a change notice was lost; ms. */
  reconcileIntervalMs: number;
  /** Alert rules (docs/alerts.md). */
  alerts: {
    /** Evaluate the rules this often; ms; 0 = never (only on demand). */
    intervalMs: number;
    /** Most attempts per webhook delivery. */
    webhookAttempts: number;
    /** A webhook's first retry delay before jitter, ms (doubles per retry, at most 60 s). */
    webhookBackoffMs: number;
    /** A webhook's connect, headers and body time-outs, ms each. */
    webhookTimeoutMs: number;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

const OPENROUTER_KEY = /^sk-or-[A-Za-z0-9_-]{16,}$/;
const HOUR_MS = 3_600_000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function text(env: Env, name: string): string | null {
  const value = env[name];
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, the standard OpenTelemetry variables. */
function tracingConfig(env: Env): Config['tracing'] {
  const traces = text(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const url = traces ?? (base === null ? null : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (url === null) return null;
  if (!/^https?:\/\//.test(url))
    throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL.');
  return { url, serviceName: text(env, 'OTEL_SERVICE_NAME') ?? 'signalbox' };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

function openRouterKey(env: Env): string | null {
  const raw = env.OPENROUTER_API_KEY;
  if (raw === undefined || raw === '') return null;
  // The key itself never appears in the message.
  if (!OPENROUTER_KEY.test(raw)) {
    throw new ConfigError(
      'OPENROUTER_API_KEY is set but malformed: an OpenRouter key starts with "sk-or-" followed by ' +
        'letters, digits, "-" or "_" (no spaces or quotes). Fix or unset it (unset = demo mode).',
    );
  }
  return raw;
}

function masterKey(env: Env): string | null {
  const raw = env.SIGNALBOX_MASTER_KEY;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16 || /\s/.test(raw)) {
    throw new ConfigError(
      'SIGNALBOX_MASTER_KEY must be at least 16 characters with no white space.',
    );
  }
  return raw;
}

function logLevel(env: Env): Config['logLevel'] {
  const raw = text(env, 'SIGNALBOX_LOG_LEVEL') ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (level === undefined)
    throw new ConfigError(`SIGNALBOX_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  return level;
}

function fallbackReply(env: Env): string | null {
  const raw = text(env, 'SIGNALBOX_FALLBACK_REPLY');
  if (raw !== null && raw.length > 4_000)
    throw new ConfigError('SIGNALBOX_FALLBACK_REPLY must be at most 4000 characters.');
  return raw;
}

function ledgerMode(env: Env): Config['ledgerMode'] {
  const raw = text(env, 'SIGNALBOX_LEDGER_MODE') ?? 'journal';
  if (raw !== 'journal' && raw !== 'commit')
    throw new ConfigError('SIGNALBOX_LEDGER_MODE must be "journal" or "commit".');
  return raw;
}

/**
 * `<dataDir>/journal`, or `<dataDir>/journal/worker-<n>` in a cluster worker (the primary sets
 * SIGNALBOX_WORKER_INDEX, stable across a worker's restarts so its successor replays its journal).
 */
function journalDir(env: Env): string {
  const base = path.join(path.resolve(text(env, 'SIGNALBOX_DATA_DIR') ?? '.signalbox'), 'journal');
  const worker = text(env, 'SIGNALBOX_WORKER_INDEX');
  if (worker === null) return base;
  if (!/^\d{1,3}$/.test(worker))
    throw new ConfigError('SIGNALBOX_WORKER_INDEX must be a small whole number.');
  return path.join(base, `worker-${worker}`);
}

/** A 32-byte key in base64 (standard or URL-safe), checked without ever echoing it. */
function encryptionKey(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length !== 32)
    throw new ConfigError(
      `${name} must be 32 random bytes in base64 (44 characters), e.g. the output of ` +
        '`openssl rand -base64 32`.',
    );
  return raw;
}

function redisUrl(env: Env): string | null {
  const raw = text(env, 'SIGNALBOX_REDIS_URL');
  if (raw === null) return null;
  if (!/^rediss?:\/\//.test(raw))
    throw new ConfigError('SIGNALBOX_REDIS_URL must start with redis:// or rediss://.');
  return raw;
}

function storeFailureMode(env: Env, name: string, fallback: StoreFailureMode): StoreFailureMode {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (raw !== 'open' && raw !== 'closed')
    throw new ConfigError(`${name} must be "open" or "closed", got "${raw}".`);
  return raw;
}

function limitsConfig(env: Env): LimitsConfig {
  const timeZone = text(env, 'SIGNALBOX_BUDGET_TIME_ZONE') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigError(
      `SIGNALBOX_BUDGET_TIME_ZONE must be an IANA time zone such as UTC or Europe/Paris, got "${timeZone}".`,
    );
  }
  const both = text(env, 'SIGNALBOX_LIMITS_ON_STORE_FAILURE');
  const shared =
    both === null ? null : storeFailureMode(env, 'SIGNALBOX_LIMITS_ON_STORE_FAILURE', 'open');
  return {
    budgetTimeZone: timeZone,
    queueMaxWaitMs: integer(env, 'SIGNALBOX_QUEUE_MAX_WAIT_MS', 10_000, 0, 3_600_000),
    queueMaxDepth: integer(env, 'SIGNALBOX_QUEUE_MAX_DEPTH', 100, 0, 1_000_000),
    onStoreFailure: {
      rateLimits: storeFailureMode(env, 'SIGNALBOX_RATE_LIMITS_ON_STORE_FAILURE', shared ?? 'open'),
      budgets: storeFailureMode(env, 'SIGNALBOX_BUDGETS_ON_STORE_FAILURE', shared ?? 'closed'),
    },
  };
}

function databaseUrl(env: Env): string | null {
  const raw = text(env, 'SIGNALBOX_DATABASE_URL');
  if (raw === null) return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('SIGNALBOX_DATABASE_URL must start with postgres:// or postgresql://.');
  }
  return raw;
}

/**
 * The configuration from process.env with some variables set by the command line (e.g.
 * `signalbox serve --workers 4` → `SIGNALBOX_WORKERS=4`).
 * @throws ConfigError naming the offending variable or flag's variable.
 */
export function loadConfigWith(overrides: Readonly<Record<string, string>>): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/**
 * Reads the configuration from `env` (default: process.env).
 * @throws ConfigError naming the offending variable.
 */
export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    host: text(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 8787, 0, 65535),
    dataDir: path.resolve(text(env, 'SIGNALBOX_DATA_DIR') ?? '.signalbox'),
    databaseUrl: databaseUrl(env),
    ledgerMode: ledgerMode(env),
    journalDir: journalDir(env),
    workers: integer(env, 'SIGNALBOX_WORKERS', 1, 1, 256),
    tracing: tracingConfig(env),
    metricsPort:
      text(env, 'SIGNALBOX_METRICS_PORT') === null
        ? null
        : integer(env, 'SIGNALBOX_METRICS_PORT', 0, 0, 65_535),
    quietBanner: text(env, 'SIGNALBOX_QUIET_BANNER') === 'true',
    masterKey: masterKey(env),
    openrouter: {
      apiKey: openRouterKey(env),
      baseUrl: url(env, 'OPENROUTER_BASE_URL', 'https://openrouter.ai/api/v1'),
      appUrl: text(env, 'SIGNALBOX_APP_URL') ?? 'https://github.com/signalbox-gateway/signalbox',
      appTitle: text(env, 'SIGNALBOX_APP_TITLE') ?? 'Signalbox',
    },
    timeouts: {
      connectMs: integer(env, 'SIGNALBOX_CONNECT_TIMEOUT_MS', 10_000, 1, 600_000),
      firstByteMs: integer(env, 'SIGNALBOX_FIRST_BYTE_TIMEOUT_MS', 120_000, 1, 3_600_000),
      idleMs: integer(env, 'SIGNALBOX_IDLE_TIMEOUT_MS', 120_000, 1, 3_600_000),
      totalMs: integer(env, 'SIGNALBOX_TOTAL_TIMEOUT_MS', 600_000, 1, 86_400_000),
    },
    maxRetries: integer(env, 'SIGNALBOX_MAX_RETRIES', 2, 0, 10),
    maxRetryDelayMs: integer(env, 'SIGNALBOX_MAX_RETRY_DELAY_MS', 5_000, 0, 600_000),
    requestTimeoutMs: integer(env, 'SIGNALBOX_REQUEST_TIMEOUT_MS', 300_000, 1, 86_400_000),
    fallbackTtftMs: integer(env, 'SIGNALBOX_FALLBACK_TTFT_MS', 5_000, 1, 3_600_000),
    fallbackReply: fallbackReply(env),
    redisUrl: redisUrl(env),
    limits: limitsConfig(env),
    circuit: {
      failureThreshold: integer(env, 'SIGNALBOX_CIRCUIT_FAILURES', 3, 1, 1000),
      errorRateThreshold: integer(env, 'SIGNALBOX_CIRCUIT_ERROR_RATE_PERCENT', 50, 1, 100) / 100,
      minRequests: integer(env, 'SIGNALBOX_CIRCUIT_MIN_REQUESTS', 10, 1, 1_000_000),
      windowMs: integer(env, 'SIGNALBOX_CIRCUIT_WINDOW_MS', 60_000, 1_000, 3_600_000),
      cooldownMs: integer(env, 'SIGNALBOX_CIRCUIT_COOLDOWN_MS', 30_000, 100, 3_600_000),
      maxCooldownMs: integer(env, 'SIGNALBOX_CIRCUIT_MAX_COOLDOWN_MS', 300_000, 100, 86_400_000),
    },
    retryBudget: {
      percent: integer(env, 'SIGNALBOX_RETRY_BUDGET_PERCENT', 20, 0, 1000),
      minRetriesPerSecond: integer(env, 'SIGNALBOX_RETRY_BUDGET_MIN_PER_SECOND', 3, 0, 100_000),
    },
    bodyLimitBytes: integer(
      env,
      'SIGNALBOX_BODY_LIMIT_BYTES',
      10 * 1024 * 1024,
      1024,
      1024 * 1024 * 1024,
    ),
    clientRequestTimeoutMs: integer(env, 'SIGNALBOX_CLIENT_TIMEOUT_MS', 30_000, 1, 3_600_000),
    shutdownTimeoutMs: integer(env, 'SIGNALBOX_SHUTDOWN_TIMEOUT_MS', 25_000, 0, 3_600_000),
    logLevel: logLevel(env),
    logContent: text(env, 'SIGNALBOX_LOG_CONTENT') === 'true',
    catalogMaxAgeMs: integer(env, 'SIGNALBOX_CATALOG_MAX_AGE_HOURS', 24, 0, 8760) * HOUR_MS,
    catalogSyncIntervalMs:
      integer(env, 'SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS', 6, 0, 8760) * HOUR_MS,
    sessionIdleMs: integer(env, 'SIGNALBOX_SESSION_IDLE_MINUTES', 60, 1, 10_080) * 60_000,
    sessionMaxMs: integer(env, 'SIGNALBOX_SESSION_MAX_HOURS', 24, 1, 8760) * HOUR_MS,
    encryptionKey: encryptionKey(env, 'SIGNALBOX_ENCRYPTION_KEY'),
    encryptionKeyPrevious: encryptionKey(env, 'SIGNALBOX_ENCRYPTION_KEY_PREVIOUS'),
    reconcileIntervalMs: integer(env, 'SIGNALBOX_RECONCILE_INTERVAL_MS', 30_000, 100, 3_600_000),
    alerts: {
      intervalMs: integer(env, 'SIGNALBOX_ALERTS_INTERVAL_MS', 30_000, 0, 86_400_000),
      webhookAttempts: integer(env, 'SIGNALBOX_ALERTS_WEBHOOK_ATTEMPTS', 5, 1, 20),
      webhookBackoffMs: integer(env, 'SIGNALBOX_ALERTS_WEBHOOK_BACKOFF_MS', 1_000, 1, 600_000),
      webhookTimeoutMs: integer(env, 'SIGNALBOX_ALERTS_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
    },
    ...directProviders(env),
  };
  if (config.workers > 1 && config.databaseUrl === null)
    throw new ConfigError(
      'SIGNALBOX_WORKERS (or --workers) above 1 needs SIGNALBOX_DATABASE_URL: the embedded ' +
        'PGlite database belongs to one process.',
    );
  if (config.encryptionKeyPrevious !== null && config.encryptionKey === null)
    throw new ConfigError(
      'SIGNALBOX_ENCRYPTION_KEY_PREVIOUS is set without SIGNALBOX_ENCRYPTION_KEY: set the new key ' +
        'in SIGNALBOX_ENCRYPTION_KEY and the old one in SIGNALBOX_ENCRYPTION_KEY_PREVIOUS.',
    );
  if (config.circuit.maxCooldownMs < config.circuit.cooldownMs)
    throw new ConfigError(
      'SIGNALBOX_CIRCUIT_MAX_COOLDOWN_MS must be at least SIGNALBOX_CIRCUIT_COOLDOWN_MS.',
    );
  return deepFreeze(config);
}

function directProviders(env: Env): Pick<Config, 'providers' | 'allowedPrivateHosts'> {
  const fromEnv: DirectProviderConfig[] = [];
  for (const provider of builtInProviders) {
    const apiKey = text(env, provider.keyVariable);
    if (apiKey === null) continue;
    fromEnv.push({
      id: provider.id,
      kind: provider.kind,
      apiKey,
      baseUrl: url(env, provider.urlVariable, provider.baseUrl),
      models: {},
      serveCatalogue: true,
      headers: {},
    });
  }
  const allowed = (text(env, 'SIGNALBOX_ALLOWED_PRIVATE_HOSTS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const file = text(env, 'SIGNALBOX_CONFIG');
  if (file === null) return { providers: fromEnv, allowedPrivateHosts: allowed };
  const parsed = loadConfigFile(path.resolve(file), env);
  // A file entry refines the environment's provider of the same id (its key wins when given).
  const providers = fromEnv.filter(
    (provider) => !parsed.providers.some((entry) => entry.id === provider.id),
  );
  for (const entry of parsed.providers) {
    const base = fromEnv.find((provider) => provider.id === entry.id);
    providers.push({ ...entry, apiKey: entry.apiKey ?? base?.apiKey ?? null });
  }
  return { providers, allowedPrivateHosts: [...allowed, ...parsed.allowedPrivateHosts] };
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
