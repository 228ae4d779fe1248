/**
 * The mutable record the registries keep per target, and the statistics kept on it: an error
 * rate over a sliding window of time buckets and EWMAs of latency and time to first token.
 * State transitions live in memory-health-registry.ts; this file only counts.
 */
import { SlidingWindow } from '../lib/sliding-window.ts';
import type { CircuitState, ResolvedHealthOptions, TargetHealth } from './health-registry.ts';

/** Buckets of the error-rate window: 12 (5 s each for the default 60 s window). */
const WINDOW_BUCKETS = 12;
const REQUESTS = 0;
const ERRORS = 1;

export interface TargetState {
  readonly provider: string;
  readonly model: string;
  state: CircuitState;
  consecutiveFailures: number;
  readonly window: SlidingWindow;
  latencyEwmaMs: number | null;
  ttftEwmaMs: number | null;
  openUntil: number | null;
  cooldownMs: number;
  trips: number;
  /** A half-open probe is in flight until this time (its timeout), ms since the epoch. */
  probeUntil: number | null;
  lastError: string | null;
}

export function createTargetState(
  provider: string,
  model: string,
  options: ResolvedHealthOptions,
): TargetState {
  return {
    provider,
    model,
    state: 'closed',
    consecutiveFailures: 0,
    window: new SlidingWindow(options.windowMs, WINDOW_BUCKETS, 2),
    latencyEwmaMs: null,
    ttftEwmaMs: null,
    openUntil: null,
    cooldownMs: options.cooldownMs,
    trips: 0,
    probeUntil: null,
    lastError: null,
  };
}

/** Counts a success in the window and feeds the EWMAs (weight `alpha` for the new sample). */
export function countSuccess(
  target: TargetState,
  at: number,
  latencyMs: number,
  ttftMs: number | null,
  alpha: number,
): void {
  target.window.add(at, REQUESTS);
  target.latencyEwmaMs = ewma(target.latencyEwmaMs, latencyMs, alpha);
  if (ttftMs !== null) target.ttftEwmaMs = ewma(target.ttftEwmaMs, ttftMs, alpha);
}

/** Counts a failure in the window. */
export function countFailure(target: TargetState, at: number, code: string): void {
  target.window.add(at, REQUESTS);
  target.window.add(at, ERRORS);
  target.lastError = code;
}

/** Attempts and errors in the window at `now`. */
export function windowCounts(
  target: TargetState,
  now: number,
): { requests: number; errors: number } {
  return { requests: target.window.total(now, REQUESTS), errors: target.window.total(now, ERRORS) };
}

/** A copy of the record in the public shape. */
export function toTargetHealth(target: TargetState, now: number): TargetHealth {
  const { requests, errors } = windowCounts(target, now);
  return {
    provider: target.provider,
    model: target.model,
    state: target.state,
    consecutiveFailures: target.consecutiveFailures,
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    latencyEwmaMs: target.latencyEwmaMs,
    ttftEwmaMs: target.ttftEwmaMs,
    openUntil: target.openUntil,
    cooldownMs: target.cooldownMs,
    trips: target.trips,
    probeInFlight: target.probeUntil !== null && target.probeUntil > now,
    lastError: target.lastError,
  };
}

function ewma(previous: number | null, sample: number, alpha: number): number | null {
  if (!Number.isFinite(sample) || sample < 0) return previous;
  return previous === null ? sample : previous + alpha * (sample - previous);
}
