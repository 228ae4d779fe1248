/**
 * Alert rules and their events (docs/alerts.md, ADR 0018): a metric computed over the last
 * `windowMinutes` of the usage rollups (or a budget's current period), restricted to a scope,
 * compared with a threshold; each change between `ok` and `firing` is an event sent to the
 * rule's channels.
 */

export const ALERT_METRICS = [
  'spend_usd',
  'budget_used_pct',
  'error_rate',
  'latency_p95_ms',
  'ttft_p95_ms',
  'requests',
  'fallback_rate',
] as const;
/**
 * `spend_usd` (USD of known costs), `budget_used_pct` (settled spend ÷ budget limit × 100, in the
 * budget's current period; needs `key_id` or `project_id`), `error_rate` and `fallback_rate`
 * (0–1, per request), `latency_p95_ms` and `ttft_p95_ms` (ms, from the rollups' histograms,
 * within 4.8 %), `requests` (count).
 */
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const ALERT_OPERATORS = ['>', '>=', '<', '<='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

/** Which traffic a rule watches; every field absent = all of it. Values match exactly. */
export interface AlertScope {
  projectId?: string;
  keyId?: string;
  model?: string;
  provider?: string;
}

/**
 * A webhook's signing secret as stored: the vault envelope (src/security/vault.ts, context
 * `alert-rule:<rule id>`) and its last 4 characters for display. Never the plaintext.
 */
export interface SealedAlertSecret {
  envelope: string;
  last4: string;
}

/** Where a rule's events go. A webhook's `secret` signs its deliveries (HMAC-SHA256). */
export type AlertChannel =
  { type: 'webhook'; url: string; secret: SealedAlertSecret | null } | { type: 'log' };

/** The vault context a rule's webhook secrets are sealed under. */
export function alertSecretContext(ruleId: string): string {
  return `alert-rule:${ruleId}`;
}

/** What an admin sets. */
export interface AlertRuleSettings {
  name: string;
  metric: AlertMetric;
  scope: AlertScope;
  /** 1–1440. Ignored by `budget_used_pct` (its window is the budget's period). */
  windowMinutes: number;
  operator: AlertOperator;
  threshold: number;
  channels: AlertChannel[];
  enabled: boolean;
}

export type AlertState = 'ok' | 'firing';

export interface AlertRule extends AlertRuleSettings {
  id: string;
  state: AlertState;
  /** When the rule entered `state`; null until its first evaluation. */
  stateSince: Date | null;
  /** The metric at the last evaluation; null = no data (a rate or percentile without requests). */
  lastValue: number | null;
  lastEvaluatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The outcome of one delivery attempt. */
export interface AlertDeliveryAttemptRecord {
  /** 1-based. */
  attempt: number;
  at: Date;
  /** HTTP status of a webhook's answer; null when none came, and for `log`. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AlertDelivery {
  id: number;
  /** Index of the channel in the rule's `channels` when the event was recorded. */
  channel: number;
  type: AlertChannel['type'];
  status: AlertDeliveryStatus;
  attempts: AlertDeliveryAttemptRecord[];
}

export interface AlertEvent {
  id: number;
  ruleId: string;
  ruleName: string;
  state: 'firing' | 'resolved';
  metric: AlertMetric;
  scope: AlertScope;
  /** The metric's value that caused the transition; null = no data. */
  value: number | null;
  operator: AlertOperator;
  threshold: number;
  windowMinutes: number;
  windowFrom: Date;
  windowTo: Date;
  at: Date;
  deliveries: AlertDelivery[];
}

/** Whether `value` meets the rule's condition; no data (null) never does. */
export function conditionHolds(
  value: number | null,
  operator: AlertOperator,
  threshold: number,
): boolean {
  if (value === null) return false;
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}
