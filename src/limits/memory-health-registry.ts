/**
 * The in-memory health registry: one process's circuit breakers (rules in
 * docs/decisions/0006-health-registry.md). It is also the local mirror inside the Redis registry,
 * which feeds it trips made elsewhere (`applyRemoteOpen` / `applyRemoteClose`) and arbitrates
 * half-open probes across instances through a {@link ProbeGate}.
 */
import { createCircuitBreaker, type ProbeGate } from './circuit-breaker.ts';
import { healthEffect } from './health-effect.ts';
import {
  PROVIDER_WIDE,
  resolveHealthOptions,
  type AttemptPermit,
  type CircuitState,
  type HealthRegistry,
  type HealthRegistryOptions,
  type ProviderHealth,
  type TargetHealth,
} from './health-registry.ts';
import {
  countFailure,
  countSuccess,
  createTargetState,
  toTargetHealth,
  type TargetState,
} from './target-state.ts';

export interface MemoryHealthRegistryOptions extends HealthRegistryOptions {
  /** Arbiter of half-open probes across processes; default: this process decides alone. */
  probeGate?: ProbeGate;
}

/** A cooldown decided by another instance, as the shared store reports it. */
export interface RemoteOpen {
  /** End of the cooldown in this process's clock, ms since the epoch. */
  openUntil: number;
  cooldownMs: number;
  trips: number;
  code: string | null;
}

/** The memory registry, plus the hooks its Redis mirror uses. */
export interface MemoryHealthRegistry extends HealthRegistry {
  /** Opens the target until `remote.openUntil`, unless it is already open at least as long. */
  applyRemoteOpen(provider: string, model: string, remote: RemoteOpen, now?: number): void;
  /** Closes the target (another instance's probe succeeded). */
  applyRemoteClose(provider: string, model: string, now?: number): void;
}

const ALLOW: AttemptPermit = Object.freeze({ decision: 'allow' });
const STATE_RANK: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Creates an in-memory registry.
 * @throws RangeError when an option is out of range
 */
export function createMemoryHealthRegistry(
  options: MemoryHealthRegistryOptions = {},
): MemoryHealthRegistry {
  const settings = resolveHealthOptions(options);
  const clock = settings.now;
  const gate = options.probeGate;
  const { refresh, close, clearProbe, onSuccess, onTargetFailure, onProviderFailure, emit } =
    createCircuitBreaker(settings, gate);
  /** provider → model (or PROVIDER_WIDE) → state. */
  const targets = new Map<string, Map<string, TargetState>>();

  function find(provider: string, model: string): TargetState | undefined {
    return targets.get(provider)?.get(model);
  }

  function ensure(provider: string, model: string): TargetState {
    let models = targets.get(provider);
    if (models === undefined) {
      models = new Map();
      targets.set(provider, models);
    }
    let target = models.get(model);
    if (target === undefined) {
      target = createTargetState(provider, model, settings);
      models.set(model, target);
    }
    return target;
  }

  /** Probe permits for the half-open targets among `needed`, or a skip. */
  function takeProbes(needed: TargetState[], now: number): AttemptPermit {
    for (const target of needed) {
      const reason = target.model === PROVIDER_WIDE ? 'provider_cooldown' : 'circuit_open';
      if (target.probeUntil !== null && target.probeUntil > now)
        return { decision: 'skip', reason, retryAtMs: target.probeUntil };
      const granted =
        gate === undefined ? true : gate.tryAcquire(target.provider, target.model, now);
      if (granted !== true) return { decision: 'skip', reason, retryAtMs: granted };
    }
    for (const target of needed) target.probeUntil = now + settings.probeTimeoutMs;
    let released = false;
    return {
      decision: 'probe',
      release() {
        if (released) return;
        released = true;
        for (const target of needed) if (target.state === 'half_open') clearProbe(target);
      },
    };
  }

  const CLOSED = { open: false } as const;

  return {
    degraded: false,

    permit(provider, model, now = clock()) {
      const models = targets.get(provider);
      if (models === undefined) return ALLOW;
      const providerTarget = models.get(PROVIDER_WIDE);
      const modelTarget = models.get(model);
      if (providerTarget !== undefined) {
        refresh(providerTarget, now);
        if (providerTarget.state === 'open')
          return {
            decision: 'skip',
            reason: 'provider_cooldown',
            retryAtMs: providerTarget.openUntil ?? now,
          };
      }
      if (modelTarget !== undefined) {
        refresh(modelTarget, now);
        if (modelTarget.state === 'open')
          return {
            decision: 'skip',
            reason: 'circuit_open',
            retryAtMs: modelTarget.openUntil ?? now,
          };
      }
      const providerProbe = providerTarget?.state === 'half_open' ? providerTarget : undefined;
      const modelProbe = modelTarget?.state === 'half_open' ? modelTarget : undefined;
      if (providerProbe === undefined && modelProbe === undefined) return ALLOW;
      const needed: TargetState[] = [];
      if (providerProbe !== undefined) needed.push(providerProbe);
      if (modelProbe !== undefined) needed.push(modelProbe);
      return takeProbes(needed, now);
    },

    peek(provider, model, now = clock()) {
      const models = targets.get(provider);
      if (models === undefined) return CLOSED;
      let retryAtMs: number | null = null;
      for (const target of [models.get(PROVIDER_WIDE), models.get(model)]) {
        if (target === undefined) continue;
        refresh(target, now);
        const until =
          target.state === 'open'
            ? (target.openUntil ?? now)
            : target.state === 'half_open' && target.probeUntil !== null && target.probeUntil > now
              ? target.probeUntil
              : null;
        if (until !== null) retryAtMs = Math.max(retryAtMs ?? 0, until);
      }
      return retryAtMs === null ? CLOSED : { open: true, retryAtMs };
    },

    record(observation) {
      const effect = healthEffect(observation.status);
      const { provider, model, status, at } = observation;
      if (effect === 'ignored') {
        // The attempt ended without telling anything: a probe it held may go to another caller.
        for (const target of [find(provider, model), find(provider, PROVIDER_WIDE)]) {
          if (target?.state === 'half_open') clearProbe(target);
        }
        return;
      }
      const providerTarget = ensure(provider, PROVIDER_WIDE);
      const modelTarget = model === PROVIDER_WIDE ? undefined : ensure(provider, model);
      refresh(providerTarget, at);
      if (modelTarget !== undefined) refresh(modelTarget, at);
      if (effect === 'success') {
        for (const target of [providerTarget, modelTarget]) {
          if (target === undefined) continue;
          countSuccess(target, at, observation.latencyMs, observation.ttftMs, settings.ewmaAlpha);
          onSuccess(target, at);
        }
      } else if (effect === 'target_failure') {
        countFailure(providerTarget, at, status);
        if (providerTarget.state === 'half_open') clearProbe(providerTarget);
        if (modelTarget !== undefined) {
          countFailure(modelTarget, at, status);
          onTargetFailure(modelTarget, status, at);
        }
      } else {
        countFailure(providerTarget, at, status);
        onProviderFailure(providerTarget, status, at);
        if (modelTarget?.state === 'half_open') clearProbe(modelTarget);
      }
    },

    get(provider, model) {
      const target = find(provider, model);
      if (target === undefined) return undefined;
      const now = clock();
      refresh(target, now);
      return toTargetHealth(target, now);
    },

    snapshot() {
      const now = clock();
      const all: TargetHealth[] = [];
      for (const models of targets.values()) {
        for (const target of models.values()) {
          refresh(target, now);
          all.push(toTargetHealth(target, now));
        }
      }
      return all;
    },

    providers() {
      const now = clock();
      const result: ProviderHealth[] = [];
      for (const [provider, models] of targets) {
        let state: CircuitState = 'closed';
        let openTargets = 0;
        let openUntil: number | null = null;
        for (const target of models.values()) {
          refresh(target, now);
          if (STATE_RANK[target.state] > STATE_RANK[state]) state = target.state;
          if (target.state === 'closed') continue;
          openTargets += 1;
          if (target.openUntil !== null) openUntil = Math.max(openUntil ?? 0, target.openUntil);
        }
        const providerState = models.get(PROVIDER_WIDE)?.state ?? 'closed';
        result.push({ provider, state, providerState, openTargets, openUntil });
      }
      return result;
    },

    applyRemoteOpen(provider, model, remote, now = clock()) {
      const target = ensure(provider, model);
      refresh(target, now);
      target.trips = Math.max(target.trips, remote.trips);
      if (remote.openUntil <= now) return;
      if (target.state === 'open' && (target.openUntil ?? 0) >= remote.openUntil) return;
      const from = target.state;
      target.state = 'open';
      target.openUntil = remote.openUntil;
      target.cooldownMs = remote.cooldownMs;
      if (remote.code !== null) target.lastError = remote.code;
      clearProbe(target);
      // Extending a cooldown is not a transition: listeners hear of each cooldown once.
      if (from !== 'open') emit(target, from, 'remote', remote.code, now);
    },

    applyRemoteClose(provider, model, now = clock()) {
      const target = find(provider, model);
      if (target === undefined || target.state === 'closed') return;
      close(target, 'remote', now);
    },

    close() {
      return Promise.resolve();
    },
  };
}
