/**
 * The health registry: what Signalbox remembers about each upstream target between requests.
 * A target is one provider instance × one model name (the name sent to that provider), plus one
 * provider-wide target per instance (model {@link PROVIDER_WIDE}). A settlement listener calls
 * `record` once per upstream attempt; routing and the attempt loop call `permit` and `get` on the
 * hot path, so reads are synchronous and O(1) with no I/O (the Redis implementation mirrors the
 * shared state locally). Rules, defaults and the Redis design: docs/decisions/0006-health-registry.md.
 */

/** Circuit-breaker states (Nygard, "Release It!"; resilience4j's names). */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** The model name of a provider-wide target: cooled down by auth and credit failures. */
export const PROVIDER_WIDE = '*';

/** One upstream attempt, as the settlement listener reports it. */
export interface AttemptObservation {
  /** Provider instance id. */
  provider: string;
  /** The model name sent to that provider. */
  model: string;
  /** `'success'` or a SignalboxError code (src/contracts/errors.ts); see `healthEffect`. */
  status: string;
  /** The upstream's HTTP status, null when none was received (timeout, connection error). */
  upstreamStatus: number | null;
  /** Attempt duration, ms. */
  latencyMs: number;
  /** Time to first token (streams) or first byte, ms; null when unknown. */
  ttftMs: number | null;
  /** When the attempt ended, ms since the epoch. */
  at: number;
}

/** What the registry knows about one target. */
export interface TargetHealth {
  provider: string;
  /** Model name, or {@link PROVIDER_WIDE}. */
  model: string;
  state: CircuitState;
  /** Failures since the last success (target failures; provider failures for the provider-wide target). */
  consecutiveFailures: number;
  /** Counted attempts in the sliding window (ignored outcomes are not counted). */
  requests: number;
  /** Failed attempts in the sliding window. */
  errors: number;
  /** `errors / requests`, 0 when there were none. */
  errorRate: number;
  /** EWMA of successful attempts' latency, ms; null before the first success. */
  latencyEwmaMs: number | null;
  /** EWMA of successful attempts' time to first token, ms; null before the first one. */
  ttftEwmaMs: number | null;
  /** End of the current cooldown, ms since the epoch; null when closed. */
  openUntil: number | null;
  /** Length of the current cooldown while open or half-open, else the next trip's, ms. */
  cooldownMs: number;
  /** Trips since the circuit last closed (each doubles the cooldown). */
  trips: number;
  /** Whether a half-open probe is in flight. */
  probeInFlight: boolean;
  /** The last failure's code, null before the first failure. */
  lastError: string | null;
}

/**
 * The answer of {@link HealthRegistry.permit}.
 * - `allow`: send the attempt.
 * - `probe`: the target is half-open and this caller holds its single probe permit; the attempt's
 *   observation resolves it (success closes, failure re-opens). Call `release()` if the attempt is
 *   not made after all, so another caller may probe. `release()` is idempotent.
 * - `skip`: do not send; try the next candidate. `retryAtMs` (ms since the epoch) is when the
 *   target may take traffic again (the `retry-after` to give a client when nothing else can serve).
 */
export type AttemptPermit =
  | { decision: 'allow' }
  | { decision: 'probe'; release(): void }
  | { decision: 'skip'; reason: 'circuit_open' | 'provider_cooldown'; retryAtMs: number };

/** Why a circuit changed state. */
export type TransitionReason =
  | 'consecutive_failures'
  | 'error_rate'
  | 'provider_failure'
  | 'cooldown_elapsed'
  | 'probe_succeeded'
  | 'probe_failed'
  /** Mirrored from another gateway instance through the shared store. */
  | 'remote';

/** A circuit state change, emitted once per transition (never per request). */
export interface CircuitTransition {
  provider: string;
  /** Model name, or {@link PROVIDER_WIDE}. */
  model: string;
  from: CircuitState;
  to: CircuitState;
  reason: TransitionReason;
  /** The error code that opened the circuit; null for other transitions. */
  code: string | null;
  /** Cooldown length, ms (meaningful when `to` is `open`). */
  cooldownMs: number;
  /** End of the cooldown, ms since the epoch; null when closed. */
  openUntil: number | null;
  /** Trips since the circuit last closed (1 for a first trip, 0 once closed). */
  trips: number;
  /** When it happened, ms since the epoch. */
  at: number;
}

/** Circuit state of one provider instance, for `/health/ready`. */
export interface ProviderHealth {
  provider: string;
  /** Worst state over the provider's targets (open > half_open > closed). */
  state: CircuitState;
  /** State of the provider-wide target: `open` = the whole provider is cooling down. */
  providerState: CircuitState;
  /** Targets (models, and the provider-wide one) currently open or half-open. */
  openTargets: number;
  /** Latest `openUntil` over those targets, ms since the epoch; null when none is open. */
  openUntil: number | null;
}

export interface HealthRegistry {
  /**
   * May an attempt go to provider × model now? Checks the provider-wide target first (skip with
   * `provider_cooldown`), then the model's (`circuit_open`). Synchronous, no I/O.
   * @param now ms since the epoch; defaults to the registry's clock
   */
  permit(provider: string, model: string, now?: number): AttemptPermit;
  /**
   * Whether provider × model is cooling down now (open, or half-open with its probe taken),
   * and until when; takes no permit. For "every candidate is cooling down" decisions.
   */
  peek(
    provider: string,
    model: string,
    now?: number,
  ): { open: false } | { open: true; retryAtMs: number };
  /** Feeds one attempt's outcome in (never throws; unknown status codes are ignored). */
  record(observation: AttemptObservation): void;
  /** One target's health; `model` may be {@link PROVIDER_WIDE}. Undefined when never seen. */
  get(provider: string, model: string): TargetHealth | undefined;
  /** Every known target. */
  snapshot(): TargetHealth[];
  /** Circuit state per provider instance. */
  providers(): ProviderHealth[];
  /**
   * True when a shared store is configured but unreachable: cooldowns are then per instance
   * until it comes back (the memory registry is never degraded).
   */
  readonly degraded: boolean;
  /** Stops timers and closes connections the registry opened. */
  close(): Promise<void>;
}

/** Tuning of the circuit breakers; every field has a documented default. */
export interface HealthRegistryOptions {
  /** Consecutive target failures that open a circuit. Default 3. */
  failureThreshold?: number;
  /** Error rate (0–1) over the window that opens a circuit, at least. Default 0.5. */
  errorRateThreshold?: number;
  /** Attempts the window must hold before the error rate counts. Default 10. */
  minRequests?: number;
  /** Sliding window for the error rate, ms. Default 60 000 (12 buckets of 5 s). */
  windowMs?: number;
  /** First cooldown, ms. Default 30 000. */
  cooldownMs?: number;
  /** Cooldowns double on each consecutive trip up to this, ms. Default 300 000. */
  maxCooldownMs?: number;
  /** A half-open probe with no observation after this is presumed lost, ms. Default 30 000. */
  probeTimeoutMs?: number;
  /** EWMA weight of the newest sample (0–1]. Default 0.2. */
  ewmaAlpha?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Called once per circuit transition; a listener that throws is ignored. */
  onTransition?: (transition: CircuitTransition) => void;
}

/** {@link HealthRegistryOptions} with every default applied. */
export type ResolvedHealthOptions = Required<Omit<HealthRegistryOptions, 'onTransition'>> &
  Pick<HealthRegistryOptions, 'onTransition'>;

/**
 * Applies the defaults.
 * @throws RangeError when a value is out of range
 */
export function resolveHealthOptions(options: HealthRegistryOptions = {}): ResolvedHealthOptions {
  const resolved = {
    failureThreshold: options.failureThreshold ?? 3,
    errorRateThreshold: options.errorRateThreshold ?? 0.5,
    minRequests: options.minRequests ?? 10,
    windowMs: options.windowMs ?? 60_000,
    cooldownMs: options.cooldownMs ?? 30_000,
    maxCooldownMs: options.maxCooldownMs ?? 300_000,
    probeTimeoutMs: options.probeTimeoutMs ?? 30_000,
    ewmaAlpha: options.ewmaAlpha ?? 0.2,
    now: options.now ?? Date.now,
    ...(options.onTransition === undefined ? {} : { onTransition: options.onTransition }),
  };
  if (!Number.isInteger(resolved.failureThreshold) || resolved.failureThreshold < 1)
    throw new RangeError('health registry: failureThreshold must be an integer ≥ 1');
  if (!(resolved.errorRateThreshold > 0 && resolved.errorRateThreshold <= 1))
    throw new RangeError('health registry: errorRateThreshold must be in (0, 1]');
  if (!(resolved.ewmaAlpha > 0 && resolved.ewmaAlpha <= 1))
    throw new RangeError('health registry: ewmaAlpha must be in (0, 1]');
  for (const key of ['minRequests', 'windowMs', 'cooldownMs', 'probeTimeoutMs'] as const) {
    if (!(resolved[key] > 0)) throw new RangeError(`health registry: ${key} must be > 0`);
  }
  if (!(resolved.maxCooldownMs >= resolved.cooldownMs))
    throw new RangeError('health registry: maxCooldownMs must be ≥ cooldownMs');
  return resolved;
}
