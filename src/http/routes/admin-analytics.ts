/**
 * The admin analytics API under /admin/analytics (docs/analytics.md): usage, performance and
 * cost series from the usage rollups, and how computed costs compare with the upstream's own.
 * Read-only; viewers may call it. The ledger is flushed first, so a report sees every request
 * settled before it.
 */
import type { z } from 'zod';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import type { UsageAnalyticsRepository } from '../../storage/index.ts';
import {
  costReport,
  performanceReport,
  resolveAnalyticsQuery,
  usageReport,
} from '../../usage/usage-analytics.ts';
import type { ReconciliationReader } from '../../usage/cost-accuracy.ts';
import { costAccuracyReport } from '../../usage/cost-accuracy.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import {
  analyticsQuery,
  costResponse,
  performanceResponse,
  reconciliationQuery,
  reconciliationResponse,
  usageResponse,
} from '../admin/analytics-schemas.ts';

export interface AnalyticsAdminDependencies {
  repository: UsageAnalyticsRepository;
  reconciliation: ReconciliationReader;
  ledger: Pick<LedgerWriter, 'flush'>;
  now(): Date;
}

function date(value: string | undefined): Date | null {
  return value === undefined ? null : new Date(value);
}

function queryOf(query: z.output<typeof analyticsQuery>, now: Date) {
  return resolveAnalyticsQuery(
    {
      from: date(query.from),
      to: date(query.to),
      interval: query.interval,
      groupBy: query.group_by ?? null,
      filters: {
        model: query.model,
        provider: query.provider,
        keyId: query.key_id,
        projectId: query.project_id,
        policy: query.policy,
        status: query.status,
      },
    },
    now,
  );
}

const tags = ['analytics'];
const FILTERS =
  'Filters (`model`, `provider`, `key_id`, `project_id`, `policy`, `status`) match exactly. ' +
  '`from` is rounded down and `to` up to whole intervals (UTC); every interval has a point.';

/** The admin analytics API, as route definitions (src/http/admin/admin-route.ts). */
export function adminAnalyticsRoutes(dependencies: AnalyticsAdminDependencies): AdminRoute[] {
  const { repository } = dependencies;
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/analytics/usage',
      summary: 'Requests, errors, tokens and cost by group and interval (from the rollups)',
      description: FILTERS,
      tags,
      minimumRole: 'viewer',
      request: { query: analyticsQuery },
      responses: { 200: usageResponse },
      async handler({ query }) {
        await dependencies.ledger.flush();
        return usageReport(repository, queryOf(query, dependencies.now()));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/analytics/performance',
      summary:
        'Latency and TTFT percentiles, error, retry and fallback rates, tokens per second by group and interval',
      description: `${FILTERS} Percentiles come from merged log-scale histograms, within 4.8 % of the exact values.`,
      tags,
      minimumRole: 'viewer',
      request: { query: analyticsQuery },
      responses: { 200: performanceResponse },
      async handler({ query }) {
        await dependencies.ledger.flush();
        return performanceReport(repository, queryOf(query, dependencies.now()));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/analytics/costs',
      summary: 'Spend by group and interval, split by cost source (unknown counted, not summed)',
      description: FILTERS,
      tags,
      minimumRole: 'viewer',
      request: { query: analyticsQuery },
      responses: { 200: costResponse },
      async handler({ query }) {
        await dependencies.ledger.flush();
        return costReport(repository, queryOf(query, dependencies.now()));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/analytics/reconciliation',
      summary: 'How costs computed from catalogue prices compare with the upstream’s own figures',
      description:
        'Over the attempts in the period whose cost the upstream reported or reconciliation fetched, ' +
        'the cost computed from their tokens at the catalogue price in force when they ran.',
      tags,
      minimumRole: 'viewer',
      request: { query: reconciliationQuery },
      responses: { 200: reconciliationResponse },
      async handler({ query }) {
        await dependencies.ledger.flush();
        const to = date(query.to) ?? dependencies.now();
        const from = date(query.from) ?? new Date(to.getTime() - 30 * 86_400_000);
        return costAccuracyReport(dependencies.reconciliation, {
          from,
          to,
          model: query.model ?? null,
        });
      },
    }),
  ];
}
