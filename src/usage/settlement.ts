/**
 * Settlement fan-out: when a request ends, its ledger record goes to every listener — the
 * ledger writer, the health registry, and whatever else counts requests (budgets, metrics,
 * analytics rollups). Each upstream attempt is also announced as soon as it ends, for listeners
 * that must learn of failures before the request is over (the health registry's circuits).
 * A listener that throws or rejects is logged and never affects the client or the others.
 */
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import type { Principal } from '../contracts/principal.ts';
import type { RoutingDecision } from '../contracts/routing-decision.ts';

/** One finished request, as listeners see it. */
export interface Settlement {
  /** The ledger record (request row and its attempts). */
  readonly record: RequestRecord;
  readonly principal: Principal;
  /** The routing decision, when planning got that far. */
  readonly decision: RoutingDecision | null;
  readonly tags: Readonly<Record<string, string>>;
  /** The request's trace ids when tracing is on (gateway/request-context.ts). */
  readonly trace?: SettlementTrace | null;
}

/** Trace ids of a settled request: its trace, parent (client) span, own span, attempts' spans. */
export interface SettlementTrace {
  readonly traceId: string;
  readonly parentSpanId: string | null;
  readonly spanId: string;
  readonly attemptSpanIds: readonly string[];
}

export interface SettlementListener {
  /** For logs. */
  readonly name: string;
  /** An upstream attempt ended (success or failure); called synchronously, keep it cheap. */
  onAttempt?(attempt: AttemptRecord, requestId: string): void;
  /** The request ended; called once per request. The pipeline waits for the returned promise. */
  onSettled?(settlement: Settlement): Promise<void> | void;
}

export interface SettlementLogger {
  error(object: object, message: string): void;
}

export interface SettlementHub {
  attempt(attempt: AttemptRecord, requestId: string): void;
  /** Resolves once every listener finished; never rejects. */
  settle(settlement: Settlement): Promise<void>;
}

/** Fans out to `listeners` in order. */
export function createSettlementHub(
  listeners: readonly SettlementListener[],
  logger: SettlementLogger,
): SettlementHub {
  const attemptListeners = listeners.filter((listener) => listener.onAttempt !== undefined);
  const settledListeners = listeners.filter((listener) => listener.onSettled !== undefined);
  const failed = (listener: SettlementListener, requestId: string, error: unknown): void => {
    logger.error({ err: error, listener: listener.name, requestId }, 'settlement listener failed');
  };
  return {
    attempt(attempt, requestId) {
      for (const listener of attemptListeners) {
        try {
          listener.onAttempt?.(attempt, requestId);
        } catch (error) {
          failed(listener, requestId, error);
        }
      }
    },
    async settle(settlement) {
      const running: Promise<void>[] = [];
      const requestId = settlement.record.id;
      for (const listener of settledListeners) {
        try {
          const result = listener.onSettled?.(settlement);
          if (result instanceof Promise)
            running.push(
              result.catch((error: unknown) => {
                failed(listener, requestId, error);
              }),
            );
        } catch (error) {
          failed(listener, requestId, error);
        }
      }
      if (running.length > 0) await Promise.all(running);
    },
  };
}
