/**
 * Routing analytics from the ledger: per-variant experiment figures of a policy, and how often
 * each model was selected, fallen back to and excluded (by reason code). Reads the `requests`
 * columns routing writes (policy, policy_variant, served_candidate, routing_decision).
 */
import { and, eq, isNotNull, sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type {
  DecisionStatistics,
  ExperimentVariantStatistics,
  RoutingAnalytics,
  TimeRange,
} from '../routing/routing-analytics.ts';
import type { Database } from './database.ts';
import { requests } from './schema.ts';

function inRange(range: TimeRange): SQL[] {
  const conditions: SQL[] = [];
  if (range.from !== null)
    conditions.push(sql`${requests.createdAt} >= ${range.from.toISOString()}::timestamptz`);
  if (range.to !== null)
    conditions.push(sql`${requests.createdAt} < ${range.to.toISOString()}::timestamptz`);
  return conditions;
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

/** Rows of a raw query; both drivers (PGlite, node-postgres) answer `{ rows }`. */
async function rows<Row>(database: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await database.db.execute(query);
  return (result as { rows: Row[] }).rows;
}

export function createRoutingAnalyticsRepository(database: Database): RoutingAnalytics {
  const { db } = database;
  const success = sql`${requests.status} = 'success'`;
  return {
    async experiment(policy, range) {
      const found = await db
        .select({
          variant: requests.policyVariant,
          requests: sql<number>`count(*)::int`,
          costNanoUsd: sql<string | null>`sum(${requests.costNanoUsd})::text`,
          latencyP50: sql<
            number | null
          >`(percentile_cont(0.5) within group (order by ${requests.latencyMs}) filter (where ${success}))::float8`,
          latencyP95: sql<
            number | null
          >`(percentile_cont(0.95) within group (order by ${requests.latencyMs}) filter (where ${success}))::float8`,
          ttftP50: sql<
            number | null
          >`(percentile_cont(0.5) within group (order by ${requests.ttftMs}) filter (where ${success} and ${requests.ttftMs} is not null))::float8`,
          errors: sql<number>`(count(*) filter (where not (${success})))::int`,
          served: sql<number>`(count(*) filter (where ${requests.servedCandidate} is not null))::int`,
          fallbacks: sql<number>`(count(*) filter (where ${requests.servedCandidate} > 0))::int`,
        })
        .from(requests)
        .where(and(eq(requests.policy, policy), ...inRange(range)))
        .groupBy(requests.policyVariant)
        .orderBy(requests.policyVariant);
      return found.map((row): ExperimentVariantStatistics => ({
        variant: row.variant,
        requests: row.requests,
        costNanoUsd: row.costNanoUsd === null ? null : BigInt(row.costNanoUsd),
        latencyP50Ms: rounded(row.latencyP50),
        latencyP95Ms: rounded(row.latencyP95),
        ttftP50Ms: rounded(row.ttftP50),
        errorRate: row.requests === 0 ? 0 : row.errors / row.requests,
        fallbackRate: row.served === 0 ? 0 : row.fallbacks / row.served,
      }));
    },

    async decisions(policy, range) {
      const where = and(
        isNotNull(requests.routingDecision),
        ...(policy === null ? [] : [eq(requests.policy, policy)]),
        ...inRange(range),
      );
      const decision = requests.routingDecision;
      const [total] = await db
        .select({ requests: sql<number>`count(*)::int` })
        .from(requests)
        .where(where);
      const selected = await db
        .select({
          model: sql<string>`${decision}->>'selected_model'`,
          count: sql<number>`count(*)::int`,
        })
        .from(requests)
        .where(and(where, sql`${decision}->>'selected_model' is not null`))
        .groupBy(sql`1`);
      // served_candidate n > 0 is the n-th fallback: fallback_models[n - 1].
      const fallenBack = await db
        .select({
          model: sql<
            string | null
          >`${decision}->'fallback_models'->(${requests.servedCandidate} - 1)->>'model'`,
          count: sql<number>`count(*)::int`,
        })
        .from(requests)
        .where(and(where, sql`${requests.servedCandidate} > 0`))
        .groupBy(sql`1`);
      const excluded = await rows<{ model: string; reason_code: string; count: number }>(
        database,
        sql`select entry->>'model' as model, entry->>'reason_code' as reason_code, count(*)::int as count
            from ${requests}, jsonb_array_elements(${decision}->'excluded') as entry
            where ${where} group by 1, 2`,
      );
      const reasons = await rows<{ reason_code: string; count: number }>(
        database,
        sql`select counts.key as reason_code, sum(counts.value::int)::int as count
            from ${requests}, jsonb_each_text(${decision}->'excluded_counts') as counts
            where ${where} group by 1`,
      );
      const statistics: DecisionStatistics = {
        requests: total?.requests ?? 0,
        models: new Map(),
        excludedByReason: Object.fromEntries(reasons.map((row) => [row.reason_code, row.count])),
      };
      const model = (id: string) => {
        let entry = statistics.models.get(id);
        if (entry === undefined) {
          entry = { selected: 0, fallenBackTo: 0, excluded: {} };
          statistics.models.set(id, entry);
        }
        return entry;
      };
      for (const row of selected) model(row.model).selected += row.count;
      for (const row of fallenBack)
        if (row.model !== null) model(row.model).fallenBackTo += row.count;
      for (const row of excluded) {
        const entry = model(row.model);
        entry.excluded[row.reason_code] = (entry.excluded[row.reason_code] ?? 0) + row.count;
      }
      return statistics;
    },
  };
}
