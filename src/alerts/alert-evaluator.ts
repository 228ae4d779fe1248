/**
 * One alert evaluation (docs/alerts.md, ADR 0018): under the evaluation lock (one instance at a
 * time), flush the ledger, read every enabled rule's metric and compare it with its threshold;
 * a rule that is `ok` and meets its condition fires, a `firing` rule that no longer meets it
 * (or has no data) resolves. Transitions are recorded with a compare-and-set on the rule's state,
 * then — after the lock is released — dispatched to the rule's channels.
 * Evaluations in one process never overlap (they queue).
 */
import type { Logger } from 'pino';
import { conditionHolds, type AlertEvent, type AlertRule } from '../contracts/alert-rule.ts';
import type { AlertRepository } from '../storage/index.ts';
import type { AlertDispatcher } from './alert-dispatcher.ts';
import { readAlertMetric, type AlertMetricSources } from './alert-metrics.ts';

/** Rules whose metrics are read concurrently. */
const RULES_AT_ONCE = 4;

export interface AlertEvaluatorOptions {
  repository: AlertRepository;
  sources: AlertMetricSources;
  /** Runs `work` under the cross-instance lock; null when another instance holds it. */
  lock: <T>(work: () => Promise<T>) => Promise<{ value: T } | null>;
  /** Makes requests settled so far visible in the rollups (the ledger's flush). */
  flush: () => Promise<void>;
  dispatcher: AlertDispatcher;
  logger: Pick<Logger, 'warn' | 'error' | 'debug'>;
  now?: () => Date;
}

export interface AlertEvaluation {
  /** False when another instance held the lock (nothing was evaluated). */
  ran: boolean;
  /** Rules evaluated. */
  rules: number;
  /** Transitions recorded by this evaluation. */
  events: AlertEvent[];
  /** Resolves when every event's deliveries are done (delivered, failed, or stopped by close). */
  delivered: Promise<void>;
}

export interface AlertEvaluator {
  /** Evaluates every enabled rule once at `now` (default: the clock). */
  evaluate(now?: Date): Promise<AlertEvaluation>;
}

export function createAlertEvaluator(options: AlertEvaluatorOptions): AlertEvaluator {
  const clock = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();

  async function evaluateRule(rule: AlertRule, now: Date): Promise<AlertEvent | null> {
    const reading = await readAlertMetric(rule, now, options.sources);
    const holds = conditionHolds(reading.value, rule.operator, rule.threshold);
    if (holds === (rule.state === 'firing')) {
      await options.repository.recordEvaluation(rule.id, reading.value, now);
      return null;
    }
    return options.repository.recordTransition({
      rule,
      from: rule.state,
      to: holds ? 'firing' : 'resolved',
      value: reading.value,
      windowFrom: reading.windowFrom,
      windowTo: reading.windowTo,
      at: now,
    });
  }

  async function run(now: Date): Promise<AlertEvaluation> {
    const recorded: { event: AlertEvent; rule: AlertRule }[] = [];
    const outcome = await options.lock(async () => {
      await options.flush();
      const rules = await options.repository.listRules({ enabledOnly: true });
      // A few rules at a time (the pool has 10 connections; the lock holds one).
      for (let start = 0; start < rules.length; start += RULES_AT_ONCE) {
        const batch = rules.slice(start, start + RULES_AT_ONCE);
        const events = await Promise.all(
          batch.map((rule) =>
            evaluateRule(rule, now).catch((error: unknown) => {
              options.logger.warn(
                { err: error, alert: { ruleId: rule.id } },
                'alert: rule not evaluated (its metric could not be read)',
              );
              return null;
            }),
          ),
        );
        events.forEach((event, index) => {
          const rule = batch[index];
          if (event !== null && rule !== undefined) recorded.push({ event, rule });
        });
      }
      return rules.length;
    });
    if (outcome === null) {
      options.logger.debug('alert: evaluation skipped, another instance holds the lock');
      return { ran: false, rules: 0, events: [], delivered: Promise.resolve() };
    }
    const delivered = Promise.all(
      recorded.map(({ event, rule }) => options.dispatcher.dispatch(event, rule.channels)),
    ).then(() => undefined);
    return {
      ran: true,
      rules: outcome.value,
      events: recorded.map(({ event }) => event),
      delivered,
    };
  }

  return {
    evaluate(now) {
      const next = queue.then(() => run(now ?? clock()));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

export interface AlertScheduler {
  start(): void;
  /** Stops the timer and waits for an evaluation in progress. */
  stop(): Promise<void>;
}

/** Evaluates every `intervalMs` (0 = never); a failed evaluation is logged, not thrown. */
export function scheduleAlertEvaluations(
  evaluator: AlertEvaluator,
  intervalMs: number,
  logger: Pick<Logger, 'error'>,
): AlertScheduler {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    current = evaluator
      .evaluate()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'alert: evaluation failed');
      })
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, intervalMs);
          timer.unref();
        }
      });
  };
  return {
    start() {
      if (intervalMs <= 0 || timer !== null || stopped) return;
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await current;
    },
  };
}
