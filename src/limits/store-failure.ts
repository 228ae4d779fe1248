/**
 * Honest degradation: what a limit does when its store (Redis, or the ledger a budget loads its
 * spend from) cannot be reached. `open` admits without the control and says so on the response
 * (`x-signalbox-degraded`); `closed` refuses with 503 `limits_unavailable`. Either way the
 * control is reported degraded (`/health/ready`) and one warning is logged when the store is
 * lost, one info line when it answers again — not one per request.
 */
import { SignalboxError } from '../contracts/errors.ts';

export type StoreFailureMode = 'open' | 'closed';

/** The controls, as named in logs, `/health/ready` and `x-signalbox-degraded`. */
export type LimitControl = 'rate_limits' | 'concurrency' | 'budgets';

export interface StoreFailureLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/** Marker returned by `guard` when the control was skipped (fail open). */
export const SKIPPED = Symbol('skipped');

export class ControlHealth {
  readonly control: LimitControl;
  readonly mode: StoreFailureMode;
  #degraded = false;
  readonly #logger: StoreFailureLogger;

  constructor(control: LimitControl, mode: StoreFailureMode, logger: StoreFailureLogger) {
    this.control = control;
    this.mode = mode;
    this.#logger = logger;
  }

  /** Whether the last store call failed. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /**
   * Runs a store call. A SignalboxError (a refusal) passes through; any other failure marks the
   * control degraded and, open, resolves to SKIPPED, closed, throws `limits_unavailable`.
   */
  async guard<T>(operation: () => Promise<T>): Promise<T | typeof SKIPPED> {
    let value: T;
    try {
      value = await operation();
    } catch (error) {
      if (error instanceof SignalboxError) throw error;
      this.failed(error);
      if (this.mode === 'open') return SKIPPED;
      throw new SignalboxError(
        'limits_unavailable',
        `The ${this.control.replace('_', ' ')} store is unreachable, and this control fails closed; retry shortly.`,
        { retryAfterSeconds: 1, cause: error },
      );
    }
    this.succeeded();
    return value;
  }

  /** Records a failed store call (also for calls made after the response, at settle). */
  failed(error: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#logger.warn(
      { control: this.control, mode: this.mode, err: error },
      `limits store unreachable: ${this.control} fail ${this.mode}`,
    );
  }

  succeeded(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#logger.info({ control: this.control }, `limits store reachable again: ${this.control}`);
  }
}
