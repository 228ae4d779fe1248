/**
 * Alerts wiring (docs/alerts.md, ADR 0018): the rule repository, the metric sources (usage
 * rollups, budget store), the SSRF-guarded webhook client, the dispatcher, the evaluator under
 * the PostgreSQL advisory lock and its timer (SIGNALBOX_ALERTS_INTERVAL_MS). `start()` begins
 * the timer; `close()` stops it, waits for an evaluation in progress, stops webhook retries and
 * closes the client.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { BudgetUsageReader } from './contracts/budget-usage.ts';
import { alertSecretContext } from './contracts/alert-rule.ts';
import type { Vault } from './security/vault.ts';
import { createAlertDispatcher } from './alerts/alert-dispatcher.ts';
import {
  createAlertEvaluator,
  scheduleAlertEvaluations,
  type AlertEvaluator,
} from './alerts/alert-evaluator.ts';
import { createWebhookClient } from './alerts/webhook-poster.ts';
import type { AlertsAdminDependencies } from './http/routes/admin-alerts.ts';
import {
  createAlertRepository,
  createApiKeyRepository,
  createProjectRepository,
  createUsageAnalyticsRepository,
  withAlertEvaluationLock,
  type Database,
  type SqlExecutor,
} from './storage/index.ts';

export interface AlertsWiring {
  /** What the admin alerts routes need. */
  admin: AlertsAdminDependencies;
  /** Evaluates every enabled rule once, now (tests, operators' tools). */
  evaluator: AlertEvaluator;
  /**
   * Re-wraps the sealed webhook secrets not under the vault's current key, in `executor`'s
   * transaction (the vault rotation's) or its own.
   */
  rewrapSecrets(executor?: SqlExecutor): Promise<{ rewrapped: number; secrets: number }>;
  /** Starts the evaluation timer (no-op when the interval is 0). */
  start(): void;
  close(): Promise<void>;
}

export function composeAlerts(options: {
  config: Config;
  database: Database;
  budgets: BudgetUsageReader;
  /** Seals and opens webhook secrets (src/security/vault.ts). */
  vault: Vault;
  flushLedger: () => Promise<void>;
  logger: Logger;
}): AlertsWiring {
  const { config, database, logger } = options;
  const repository = createAlertRepository(database);
  const keys = createApiKeyRepository(database);
  const projects = createProjectRepository(database);
  const client = createWebhookClient(config.allowedPrivateHosts, config.alerts.webhookTimeoutMs);
  const dispatcher = createAlertDispatcher({
    repository,
    post: client.post,
    openSecret: (envelope, ruleId) => options.vault.open(envelope, alertSecretContext(ruleId)),
    logger,
    attempts: config.alerts.webhookAttempts,
    backoffMs: config.alerts.webhookBackoffMs,
  });
  const evaluator = createAlertEvaluator({
    repository,
    sources: {
      rollups: createUsageAnalyticsRepository(database),
      budgets: options.budgets,
      budgetOf: async (scope) =>
        scope.kind === 'key'
          ? ((await keys.get(scope.id))?.budget ?? null)
          : ((await projects.get(scope.id))?.budget ?? null),
    },
    lock: (work) => withAlertEvaluationLock(database, work),
    flush: options.flushLedger,
    dispatcher,
    logger,
  });
  const scheduler = scheduleAlertEvaluations(evaluator, config.alerts.intervalMs, logger);
  let closing: Promise<void> | null = null;
  return {
    admin: { repository, vault: options.vault, allowedPrivateHosts: config.allowedPrivateHosts },
    rewrapSecrets: (executor) =>
      repository.rewrapSecrets(
        (envelope) => (options.vault.needsRewrap(envelope) ? options.vault.rewrap(envelope) : null),
        executor,
      ),
    evaluator,
    start: () => {
      scheduler.start();
    },
    close: () => {
      closing ??= (async () => {
        await scheduler.stop();
        await dispatcher.close();
        await client.close();
      })();
      return closing;
    },
  };
}
