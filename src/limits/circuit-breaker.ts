/**
 * The circuit-breaker state machine of one target (closed → open → half_open → closed | open),
 * applied to the records of target-state.ts. Rules: a target failure counts toward
 * `failureThreshold` consecutive failures or the error-rate threshold; a provider failure opens the
 * provider-wide target at once; each trip doubles the cooldown up to `maxCooldownMs`; after the
 * cooldown one probe decides. docs/decisions/0006-health-registry.md has the reasoning.
 */
import type { CircuitState, ResolvedHealthOptions, TransitionReason } from './health-registry.ts';
import { windowCounts, type TargetState } from './target-state.ts';

/**
 * Decides whether this process may hand out a half-open probe (the Redis registry's single
 * probe across instances). Synchronous: answer from what is already known, never wait for I/O.
 */
export interface ProbeGate {
  /** `true` = this process may probe the target now; else the time to try again, ms since the epoch. */
  tryAcquire(provider: string, model: string, now: number): true | number;
  /** The probe was resolved, released or superseded; let other instances probe. */
  release(provider: string, model: string): void;
}

/**
 * The transitions, bound to one registry's settings, probe gate and `onTransition` listener.
 * Every function mutates the given record in place and emits at most one transition.
 */
export function createCircuitBreaker(settings: ResolvedHealthOptions, gate: ProbeGate | undefined) {
  function emit(
    target: TargetState,
    from: CircuitState,
    reason: TransitionReason,
    code: string | null,
    at: number,
  ): void {
    try {
      settings.onTransition?.({
        provider: target.provider,
        model: target.model,
        from,
        to: target.state,
        reason,
        code,
        cooldownMs: target.cooldownMs,
        openUntil: target.openUntil,
        trips: target.trips,
        at,
      });
    } catch {
      // A listener's failure must never affect routing or settlement.
    }
  }

  function clearProbe(target: TargetState): void {
    if (target.probeUntil === null) return;
    target.probeUntil = null;
    gate?.release(target.provider, target.model);
  }

  /** Lazily moves an open circuit whose cooldown has elapsed to half-open. */
  function refresh(target: TargetState, now: number): void {
    if (target.state === 'open' && target.openUntil !== null && now >= target.openUntil) {
      target.state = 'half_open';
      target.probeUntil = null;
      emit(target, 'open', 'cooldown_elapsed', null, now);
    }
  }

  function open(target: TargetState, reason: TransitionReason, code: string, now: number): void {
    const from = target.state;
    target.trips += 1;
    target.cooldownMs = Math.min(
      settings.maxCooldownMs,
      settings.cooldownMs * 2 ** (target.trips - 1),
    );
    target.openUntil = now + target.cooldownMs;
    target.state = 'open';
    clearProbe(target);
    emit(target, from, reason, code, now);
  }

  function close(target: TargetState, reason: TransitionReason, now: number): void {
    const from = target.state;
    target.state = 'closed';
    target.trips = 0;
    target.cooldownMs = settings.cooldownMs;
    target.openUntil = null;
    target.consecutiveFailures = 0;
    // Failures from before the cooldown must not re-trip the circuit the moment it closes.
    target.window.clear();
    clearProbe(target);
    emit(target, from, reason, null, now);
  }

  function tripsOnRate(target: TargetState, now: number): boolean {
    const { requests, errors } = windowCounts(target, now);
    return requests >= settings.minRequests && errors / requests >= settings.errorRateThreshold;
  }

  function onTargetFailure(target: TargetState, code: string, at: number): void {
    target.consecutiveFailures += 1;
    if (target.state === 'half_open') open(target, 'probe_failed', code, at);
    else if (target.state === 'closed') {
      if (target.consecutiveFailures >= settings.failureThreshold)
        open(target, 'consecutive_failures', code, at);
      else if (tripsOnRate(target, at)) open(target, 'error_rate', code, at);
    }
  }

  function onProviderFailure(target: TargetState, code: string, at: number): void {
    target.consecutiveFailures += 1;
    // An account refused once is refused for every request: open at the first failure.
    if (target.state === 'half_open') open(target, 'probe_failed', code, at);
    else if (target.state === 'closed') open(target, 'provider_failure', code, at);
  }

  function onSuccess(target: TargetState, at: number): void {
    target.consecutiveFailures = 0;
    if (target.state === 'half_open') close(target, 'probe_succeeded', at);
  }

  return { emit, clearProbe, refresh, open, close, onTargetFailure, onProviderFailure, onSuccess };
}
