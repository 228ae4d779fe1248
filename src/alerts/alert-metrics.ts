/**
 * An alert rule's metric, read from the usage rollups over the rule's window and scope
 * (docs/analytics.md, ADR 0016), or from the budget store for `budget_used_pct`.
 *
 * The window is the last `windowMinutes` whole minutes plus the current one, in the minute
 * tier: [floor(now − window, 1 min), ceil(now, 1 min)) — the minute in progress counts, so a
 * rule sees traffic as soon as the ledger has flushed it.
 */
import type { AlertRule } from '../contracts/alert-rule.ts';
import type { BudgetScope, BudgetUsageReader } from '../contracts/budget-usage.ts';
import type { BudgetSpec } from '../contracts/principal.ts';
import { histogramQuantile } from '../lib/log-histogram.ts';
import type { AnalyticsQuery, UsageAnalyticsRepository } from '../storage/index.ts';

const MINUTE_MS = 60_000;

export interface AlertMetricSources {
  rollups: UsageAnalyticsRepository;
  /** Settled spend and reservations of a key's or project's budget (src/limits/). */
  budgets: BudgetUsageReader;
  /** The budget of a key or project; null when it has none (or is unknown). */
  budgetOf(scope: BudgetScope): Promise<BudgetSpec | null>;
}

/** A metric's value and the period it covers. */
export interface AlertReading {
  /** null = no data (a rate or percentile without requests, a scope without a budget). */
  value: number | null;
  windowFrom: Date;
  windowTo: Date;
}

/** The rollup query of a rule's window (minute tier, no grouping, the scope as filters). */
export function alertWindowQuery(rule: AlertRule, now: Date): AnalyticsQuery {
  const from = Math.floor((now.getTime() - rule.windowMinutes * MINUTE_MS) / MINUTE_MS);
  const to = Math.ceil(now.getTime() / MINUTE_MS);
  return {
    from: new Date(from * MINUTE_MS),
    to: new Date(Math.max(to, from + 1) * MINUTE_MS),
    interval: 'minute',
    groupBy: null,
    filters: {
      model: rule.scope.model,
      provider: rule.scope.provider,
      keyId: rule.scope.keyId,
      projectId: rule.scope.projectId,
    },
  };
}

async function sums(
  rollups: UsageAnalyticsRepository,
  query: AnalyticsQuery,
  measures: readonly string[],
): Promise<Map<string, bigint>> {
  const totals = new Map<string, bigint>();
  for (const point of await rollups.rollups(query, measures))
    for (const [name, value] of Object.entries(point.measures))
      totals.set(name, (totals.get(name) ?? 0n) + BigInt(value));
  return totals;
}

async function p95(
  rollups: UsageAnalyticsRepository,
  query: AnalyticsQuery,
  metric: 'latency_ms' | 'ttft_ms',
): Promise<number | null> {
  const counts = new Map<number, number>();
  for (const point of await rollups.histograms(query))
    if (point.metric === metric)
      counts.set(point.bucket, (counts.get(point.bucket) ?? 0) + point.count);
  return histogramQuantile(counts, 0.95);
}

function rate(totals: Map<string, bigint>, name: string): number | null {
  const requests = totals.get('requests') ?? 0n;
  return requests === 0n ? null : Number(totals.get(name) ?? 0n) / Number(requests);
}

async function budgetReading(
  rule: AlertRule,
  now: Date,
  sources: AlertMetricSources,
): Promise<AlertReading> {
  const { keyId, projectId } = rule.scope;
  const scope: BudgetScope | null =
    keyId !== undefined
      ? { kind: 'key', id: keyId }
      : projectId !== undefined
        ? { kind: 'project', id: projectId }
        : null;
  const budget = scope === null ? null : await sources.budgetOf(scope);
  if (scope === null || budget === null || budget.limitNanoUsd <= 0n)
    return { value: null, windowFrom: now, windowTo: now };
  const usage = await sources.budgets.usage(scope, budget);
  return {
    value: (Number(usage.spentNanoUsd) / Number(budget.limitNanoUsd)) * 100,
    windowFrom: new Date(usage.periodStart),
    windowTo: now,
  };
}

/**
 * Reads a rule's metric at `now`.
 * @throws the store's error (database or budget store unreachable).
 */
export async function readAlertMetric(
  rule: AlertRule,
  now: Date,
  sources: AlertMetricSources,
): Promise<AlertReading> {
  if (rule.metric === 'budget_used_pct') return budgetReading(rule, now, sources);
  const query = alertWindowQuery(rule, now);
  const window = { windowFrom: query.from, windowTo: query.to };
  switch (rule.metric) {
    case 'spend_usd': {
      const totals = await sums(sources.rollups, query, ['cost_nanousd']);
      return { value: Number(totals.get('cost_nanousd') ?? 0n) / 1e9, ...window };
    }
    case 'requests': {
      const totals = await sums(sources.rollups, query, ['requests']);
      return { value: Number(totals.get('requests') ?? 0n), ...window };
    }
    case 'error_rate':
      return {
        value: rate(await sums(sources.rollups, query, ['requests', 'errors']), 'errors'),
        ...window,
      };
    case 'fallback_rate':
      return {
        value: rate(await sums(sources.rollups, query, ['requests', 'fallbacks']), 'fallbacks'),
        ...window,
      };
    case 'latency_p95_ms':
      return { value: await p95(sources.rollups, query, 'latency_ms'), ...window };
    case 'ttft_p95_ms':
      return { value: await p95(sources.rollups, query, 'ttft_ms'), ...window };
  }
}
