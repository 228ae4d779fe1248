// The analytics reports against ledger ground truth, on PGlite always and PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set: totals and per-group series equal sums over the records,
// percentiles are within the histogram's relative error of the exact (nearest-rank) values, and
// cost splits by source count unknown costs without summing them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostSource, RequestRecord } from '../contracts/ledger.ts';
import { HISTOGRAM_RELATIVE_ERROR } from '../lib/log-histogram.ts';
import {
  createDatabase,
  createLedgerRepository,
  createUsageAnalyticsRepository,
  type Database,
  type UsageAnalyticsRepository,
} from '../storage/index.ts';
import { testBackends } from '../storage/test-backends.ts';
import {
  costReport,
  performanceReport,
  resolveAnalyticsQuery,
  usageReport,
} from './usage-analytics.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const START = Date.parse('2026-07-01T00:00:00.000Z');
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash'];

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(count: number): RequestRecord[] {
  const random = seeded(42);
  const sources: (CostSource | null)[] = ['provider', 'computed', 'reconciled', null];
  return Array.from({ length: count }, (_, index) => {
    const model = MODELS[index % MODELS.length] ?? '';
    const status = random() < 0.1 ? 'upstream_error' : 'success';
    const source = sources[Math.floor(random() * sources.length)] ?? null;
    // Log-normal-ish latencies from 1 ms to ~1 min, so percentiles cross many buckets.
    const latencyMs = Math.max(1, Math.round(Math.exp(random() * 11)));
    return {
      id: `a-${String(index)}`,
      createdAt: new Date(START + Math.floor(random() * 6 * 3_600_000)),
      queueWaitMs: null,
      requiredFeatures: null,
      model,
      provider: 'openrouter',
      servedModel: model,
      status,
      httpStatus: status === 'success' ? 200 : 502,
      stream: index % 2 === 0,
      generationId: null,
      promptTokens: 100 + Math.floor(random() * 1000),
      completionTokens: Math.floor(random() * 500),
      reasoningTokens: Math.floor(random() * 50),
      cachedTokens: Math.floor(random() * 30),
      latencyMs,
      ttftMs: random() < 0.2 ? null : Math.max(1, Math.round(latencyMs * random())),
      costNanoUsd: source === null ? null : BigInt(Math.floor(random() * 9_000_000_000)),
      costSource: source,
      policy: null,
      policyVersion: null,
      policyVariant: null,
      servedCandidate: status === 'success' ? (random() < 0.2 ? 1 : 0) : null,
      routingDecision: null,
      keyId: index % 4 === 0 ? 'key_a' : 'master',
      projectId: index % 4 === 0 ? 'proj_1' : null,
      attempts: [],
    };
  });
}

/** Nearest-rank quantile of exact values. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

function expectWithinBound(estimate: number | null, exact: number): void {
  expect(estimate).not.toBeNull();
  // The report rounds to 0.1 ms.
  expect(Math.abs((estimate ?? 0) - exact)).toBeLessThanOrEqual(
    exact * HISTOGRAM_RELATIVE_ERROR + 0.05 + 1e-9,
  );
}

describe.each(testBackends(postgresUrl))('usage analytics on $kind', (backend) => {
  let database: Database;
  let repository: UsageAnalyticsRepository;
  const ledger = records(3_000);

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    const ledgerRepository = createLedgerRepository(database);
    for (let index = 0; index < ledger.length; index += 500)
      await ledgerRepository.insertRequests(ledger.slice(index, index + 500));
    repository = createUsageAnalyticsRepository(database);
  });

  afterAll(async () => {
    await database.close();
    await backend.tearDown();
  });

  const query = (interval: 'minute' | 'hour' | 'day', groupBy: 'model' | 'key' | null) =>
    resolveAnalyticsQuery(
      {
        from: new Date(START),
        to: new Date(START + 6 * 3_600_000),
        interval,
        groupBy,
        filters: {},
      },
      new Date(),
    );

  it('sums usage per model and hour exactly as the ledger does', async () => {
    const report = await usageReport(repository, query('hour', 'model'));
    expect(report.series.map((series) => series.group).sort()).toEqual([...MODELS].sort());
    for (const series of report.series) {
      expect(series.points).toHaveLength(6);
      series.points.forEach((point, hour) => {
        const rows = ledger.filter(
          (record) =>
            record.model === series.group &&
            Math.floor((record.createdAt.getTime() - START) / 3_600_000) === hour,
        );
        expect(point.t).toBe(new Date(START + hour * 3_600_000).toISOString());
        expect(point.requests).toBe(rows.length);
        expect(point.errors).toBe(rows.filter((row) => row.status !== 'success').length);
        expect(point.prompt_tokens).toBe(
          rows.reduce((sum, row) => sum + (row.promptTokens ?? 0), 0),
        );
        expect(point.cached_tokens).toBe(
          rows.reduce((sum, row) => sum + (row.cachedTokens ?? 0), 0),
        );
        const cost = rows.reduce((sum, row) => sum + (row.costNanoUsd ?? 0n), 0n);
        expect(point.cost_nanousd).toBe(cost.toString());
        expect(point.cost_unknown_requests).toBe(
          rows.filter((row) => row.costNanoUsd === null).length,
        );
      });
    }
    const total = ledger.reduce((sum, row) => sum + (row.costNanoUsd ?? 0n), 0n);
    expect(report.totals.requests).toBe(ledger.length);
    expect(report.totals.cost_nanousd).toBe(total.toString());
    expect(report.totals.completion_tokens).toBe(
      ledger.reduce((sum, row) => sum + (row.completionTokens ?? 0), 0),
    );
  });

  it('gives the same totals from minutes, hours and days, grouped or not', async () => {
    const minute = await usageReport(repository, query('minute', 'key'));
    const day = await usageReport(repository, query('day', null));
    const hour = await usageReport(repository, query('hour', 'model'));
    expect(minute.totals).toEqual(hour.totals);
    expect(day.totals).toEqual(hour.totals);
    expect(minute.series.find((series) => series.group === 'key_a')?.points).toHaveLength(360);
    expect(day.series).toHaveLength(1);
    const filtered = await usageReport(repository, {
      ...query('hour', null),
      filters: { keyId: 'key_a' },
    });
    expect(filtered.totals.requests).toBe(ledger.filter((row) => row.keyId === 'key_a').length);
  });

  // Hour series grouped by model read the hour × model × provider × status tier; filtered by
  // key they read the full hour tier: the two must agree point by point.
  it('reads the same hours from the model tier as from the full hour tier', async () => {
    const byModel = await usageReport(repository, query('hour', 'model'));
    const keys = [...new Set(ledger.map((record) => record.keyId ?? ''))];
    for (const series of byModel.series) {
      const perKey = await Promise.all(
        keys.map((keyId) =>
          usageReport(repository, {
            ...query('hour', null),
            filters: { keyId, model: series.group ?? '' },
          }),
        ),
      );
      series.points.forEach((point, index) => {
        const parts = perKey.map((report) => report.series[0]?.points[index]);
        expect(point.requests).toBe(parts.reduce((sum, part) => sum + (part?.requests ?? 0), 0));
        expect(BigInt(point.cost_nanousd)).toBe(
          parts.reduce((sum, part) => sum + BigInt(part?.cost_nanousd ?? '0'), 0n),
        );
        expect(point.prompt_tokens).toBe(
          parts.reduce((sum, part) => sum + (part?.prompt_tokens ?? 0), 0),
        );
      });
    }
  });

  it('reads latency and TTFT percentiles within the histogram error of the exact values', async () => {
    const report = await performanceReport(repository, query('hour', 'model'));
    for (const series of report.series) {
      const rows = ledger.filter((record) => record.model === series.group);
      const merged = await performanceReport(repository, {
        ...query('day', null),
        filters: { model: series.group ?? '' },
      });
      const latencies = rows.map((row) => row.latencyMs);
      const ttfts = rows.flatMap((row) => (row.ttftMs === null ? [] : [row.ttftMs]));
      expectWithinBound(merged.totals.latency_ms_p50, exactQuantile(latencies, 0.5));
      expectWithinBound(merged.totals.latency_ms_p95, exactQuantile(latencies, 0.95));
      expectWithinBound(merged.totals.latency_ms_p99, exactQuantile(latencies, 0.99));
      expectWithinBound(merged.totals.ttft_ms_p50, exactQuantile(ttfts, 0.5));
      expectWithinBound(merged.totals.ttft_ms_p95, exactQuantile(ttfts, 0.95));
      // Each hour's percentile too (an hour is a merge of its minutes).
      series.points.forEach((point, hour) => {
        const inHour = rows
          .filter((row) => Math.floor((row.createdAt.getTime() - START) / 3_600_000) === hour)
          .map((row) => row.latencyMs);
        expectWithinBound(point.latency_ms_p95, exactQuantile(inHour, 0.95));
      });
      expect(merged.totals.error_rate).toBeCloseTo(
        rows.filter((row) => row.status !== 'success').length / rows.length,
        10,
      );
      expect(merged.totals.fallback_rate).toBeCloseTo(
        rows.filter((row) => (row.servedCandidate ?? 0) > 0).length / rows.length,
        10,
      );
    }
  });

  it('splits spend by cost source and counts unknown costs without summing them', async () => {
    const report = await costReport(repository, query('day', 'model'));
    for (const source of ['provider', 'computed', 'reconciled'] as const) {
      const rows = ledger.filter((row) => row.costSource === source);
      expect(report.totals.by_source[source].requests).toBe(rows.length);
      expect(report.totals.by_source[source].cost_nanousd).toBe(
        rows.reduce((sum, row) => sum + (row.costNanoUsd ?? 0n), 0n).toString(),
      );
    }
    expect(report.totals.by_source.unknown.requests).toBe(
      ledger.filter((row) => row.costNanoUsd === null).length,
    );
    expect(report.totals.by_source.estimated.requests).toBe(0);
  });

  it('refuses a range with too many points', () => {
    expect(() =>
      resolveAnalyticsQuery(
        {
          from: new Date(START),
          to: new Date(START + 30 * 86_400_000),
          interval: 'minute',
          groupBy: null,
          filters: {},
        },
        new Date(),
      ),
    ).toThrow(/more than 10000 minutes/);
  });
});
