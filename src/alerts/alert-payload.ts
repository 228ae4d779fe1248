/**
 * What an alert event looks like outside: the webhook body (docs/alerts.md) and the scope in
 * the API's snake_case. The same shapes are used by the admin API's events.
 */
import type { AlertEvent, AlertScope } from '../contracts/alert-rule.ts';

export interface AlertScopeBody {
  project_id?: string;
  key_id?: string;
  model?: string;
  provider?: string;
}

export function alertScopeBody(scope: AlertScope): AlertScopeBody {
  return {
    ...(scope.projectId === undefined ? {} : { project_id: scope.projectId }),
    ...(scope.keyId === undefined ? {} : { key_id: scope.keyId }),
    ...(scope.model === undefined ? {} : { model: scope.model }),
    ...(scope.provider === undefined ? {} : { provider: scope.provider }),
  };
}

/**
 * The webhook body of an event: `{"id", "event": "firing"|"resolved", "rule": {…}, "value",
 * "threshold", "operator", "window": {"minutes", "from", "to"}, "at"}` — times ISO 8601 UTC,
 * `value` null when the metric had no data.
 */
export function alertWebhookBody(event: AlertEvent) {
  return {
    id: String(event.id),
    event: event.state,
    rule: {
      id: event.ruleId,
      name: event.ruleName,
      metric: event.metric,
      scope: alertScopeBody(event.scope),
      operator: event.operator,
      threshold: event.threshold,
      window_minutes: event.windowMinutes,
    },
    value: event.value,
    threshold: event.threshold,
    operator: event.operator,
    window: {
      minutes: event.windowMinutes,
      from: event.windowFrom.toISOString(),
      to: event.windowTo.toISOString(),
    },
    at: event.at.toISOString(),
  };
}
