/** How alert metrics, conditions, scopes and channels read on the alerts pages. */
import type { Schemas } from '../../api/client';
import { formatMs, formatPercent, formatUsd } from '../../format';

export type AlertRule = Schemas['AlertRule'];
export type AlertEvent = Schemas['AlertEvent'];
export type AlertMetric = AlertRule['metric'];
export type AlertScope = Schemas['AlertScope'];

export const ALERTS_KEY = ['alerts'] as const;

/** Each metric's label and the unit its threshold is typed in. */
export const METRICS: Record<AlertMetric, { label: string; unit: string }> = {
  spend_usd: { label: 'Spend', unit: 'USD' },
  budget_used_pct: { label: 'Budget used', unit: '% of the limit' },
  error_rate: { label: 'Error rate', unit: '0–1 (0.05 = 5 %)' },
  latency_p95_ms: { label: 'Latency p95', unit: 'ms' },
  ttft_p95_ms: { label: 'TTFT p95', unit: 'ms' },
  requests: { label: 'Requests', unit: 'requests' },
  fallback_rate: { label: 'Fallback rate', unit: '0–1 (0.1 = 10 %)' },
};

export const METRIC_OPTIONS = Object.entries(METRICS).map(([value, { label }]) => ({
  value,
  label,
}));

export const OPERATORS = ['>', '>=', '<', '<='] as const;

/** A metric's value in its unit: `$1.20`, `85.0%`, `5.0%`, `420 ms`, `12`; null → `no data`. */
export function formatMetric(metric: AlertMetric, value: number | null): string {
  if (value === null) return 'no data';
  switch (metric) {
    case 'spend_usd':
      return formatUsd(value);
    case 'budget_used_pct':
      return `${value.toFixed(1)}%`;
    case 'error_rate':
    case 'fallback_rate':
      return formatPercent(value);
    case 'latency_p95_ms':
    case 'ttft_p95_ms':
      return formatMs(value);
    case 'requests':
      return String(value);
  }
}

/** `Error rate > 5.0% over 15 min` (budget rules: `in the budget's period`). */
export function describeCondition(
  rule: Pick<AlertRule, 'metric' | 'operator' | 'threshold' | 'window_minutes'>,
): string {
  const window =
    rule.metric === 'budget_used_pct'
      ? "in the budget's period"
      : `over ${rule.window_minutes >= 60 && rule.window_minutes % 60 === 0 ? `${rule.window_minutes / 60} h` : `${rule.window_minutes} min`}`;
  return `${METRICS[rule.metric].label} ${rule.operator} ${formatMetric(rule.metric, rule.threshold)} ${window}`;
}

/** `project proj_1 · model openai/gpt-4o`, or `all traffic`. */
export function describeScope(
  scope: AlertScope,
  names: { keys?: Map<string, string>; projects?: Map<string, string> } = {},
): string {
  const parts = [
    scope.project_id === undefined
      ? null
      : `project ${names.projects?.get(scope.project_id) ?? scope.project_id}`,
    scope.key_id === undefined ? null : `key ${names.keys?.get(scope.key_id) ?? scope.key_id}`,
    scope.model === undefined ? null : `model ${scope.model}`,
    scope.provider === undefined ? null : `provider ${scope.provider}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? 'all traffic' : parts.join(' · ');
}

/** `…abcd` whether the API sent `abcd` or `…abcd`. */
export function lastFour(last4: string): string {
  return `…${last4.replace(/^…/, '')}`;
}

export function describeChannels(channels: AlertRule['channels']): string {
  if (channels.length === 0) return 'none (history only)';
  return channels
    .map((channel) =>
      channel.type === 'log'
        ? 'log'
        : `webhook ${new URL(channel.url).host}${channel.secret_last4 === null ? '' : ` (signed ${lastFour(channel.secret_last4)})`}`,
    )
    .join(', ');
}
