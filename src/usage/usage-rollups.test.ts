// Usage rollups = ledger, on PGlite always and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is
// set: random workloads through the ledger insert (replays and reused ids included), a crash
// replayed from the journal, and late costs written by the reconciler's update.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord, CostSource, RequestRecord } from '../contracts/ledger.ts';
import { histogramBucket } from '../lib/log-histogram.ts';
import { createLedgerWriter } from './ledger-writer.ts';
import {
  createDatabase,
  createLedgerRepository,
  type Database,
  type LedgerRepository,
} from '../storage/index.ts';
import { testBackends } from '../storage/test-backends.ts';
import { ROLLUP_MEASURES, ROLLUP_TIERS, type RollupTier } from '../storage/usage-rollup-sql.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const SOURCES: readonly (CostSource | null)[] = [
  'provider',
  'computed',
  'reconciled',
  'estimated',
  null,
];

function maybe(random: () => number, value: number): number | null {
  return random() < 0.15 ? null : value;
}

/** A random ledger record: 1–3 attempts, any mix of nulls the ledger allows. */
function randomRecord(random: () => number, id: string, start: number): RequestRecord {
  const createdAt = new Date(start + Math.floor(random() * 3 * 3_600_000));
  const status = random() < 0.8 ? 'success' : pick(random, ['upstream_error', 'timeout']);
  const source = pick(random, SOURCES);
  const cost = source === null ? null : BigInt(Math.floor(random() * 5_000_000_000));
  const attemptCount = 1 + Math.floor(random() * 3);
  const attempts: AttemptRecord[] = Array.from({ length: attemptCount }, (_, attemptNumber) => ({
    attemptNumber,
    provider: 'openrouter',
    model: 'openai/gpt-4o-mini',
    servedModel: null,
    generationId: `gen-${id}-${String(attemptNumber)}`,
    status: attemptNumber === attemptCount - 1 ? status : 'upstream_unavailable',
    upstreamStatus: 200,
    startedAt: createdAt,
    latencyMs: 10,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    costNanoUsd: attemptNumber === attemptCount - 1 ? cost : null,
    costSource: attemptNumber === attemptCount - 1 ? source : null,
  }));
  return {
    id,
    createdAt,
    queueWaitMs: null,
    requiredFeatures: null,
    model: pick(random, [
      'openai/gpt-4o-mini',
      'anthropic/claude-sonnet-4.5',
      'google/gemini-2.5-flash',
      // A NUL is stored escaped, in the ledger and in its rollup keys alike.
      'nul\u0000model',
    ]),
    provider: pick(random, ['openrouter', 'openai', null]),
    servedModel: null,
    status,
    httpStatus: status === 'success' ? 200 : 502,
    stream: random() < 0.5,
    generationId: `gen-${id}`,
    promptTokens: maybe(random, Math.floor(random() * 5000)),
    completionTokens: maybe(random, Math.floor(random() * 2000)),
    reasoningTokens: maybe(random, Math.floor(random() * 300)),
    cachedTokens: maybe(random, Math.floor(random() * 1000)),
    latencyMs: Math.floor(random() * random() * 60_000),
    ttftMs: maybe(random, Math.floor(random() * 5_000)),
    costNanoUsd: cost,
    costSource: cost === null ? null : source,
    policy: pick(random, [null, 'cheap', 'fast']),
    policyVersion: null,
    policyVariant: null,
    servedCandidate: pick(random, [null, 0, 1, 2]),
    routingDecision: null,
    keyId: pick(random, [null, 'master', 'key_a', 'key_b']),
    projectId: pick(random, [null, 'proj_1', 'proj_2']),
    attempts,
  };
}

type Row = Record<string, unknown>;

/** A cell as text: drivers return bigint columns as strings, timestamps as Dates or strings. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  throw new Error(`unexpected cell ${JSON.stringify(value)}`);
}

function truncate(date: Date, unit: RollupTier['unit']): string {
  const ms = unit === 'minute' ? 60_000 : 3_600_000;
  return new Date(Math.floor(date.getTime() / ms) * ms).toISOString();
}

/** Rollups recomputed from the ledger's rows: key → measure → value (as strings, exact). */
async function expectedRollups(database: Database, tier: RollupTier) {
  const rows = await database.execute(
    `SELECT r.*, (SELECT count(*) FROM attempts a WHERE a.request_id = r.id)::int AS attempt_count FROM requests r`,
    [],
  );
  const rollups = new Map<string, Map<string, bigint>>();
  const histograms = new Map<string, bigint>();
  for (const row of rows) {
    const key = [
      truncate(new Date(text(row.created_at)), tier.unit),
      ...tier.keys.map((column) => text(row[column])),
    ].join('|');
    const cost = row.cost_nanousd === null ? null : BigInt(text(row.cost_nanousd));
    const source = row.cost_source as CostSource | null;
    const attempts = Number(row.attempt_count);
    const int = (value: unknown) => BigInt(value === null ? 0 : Number(value));
    const contribution: Record<string, bigint> = {
      requests: 1n,
      errors: row.status === 'success' ? 0n : 1n,
      attempts: BigInt(attempts),
      retries: BigInt(Math.max(attempts - 1, 0)),
      fallbacks: Number(row.served_candidate ?? 0) > 0 ? 1n : 0n,
      prompt_tokens: int(row.prompt_tokens),
      completion_tokens: int(row.completion_tokens),
      reasoning_tokens: int(row.reasoning_tokens),
      cached_tokens: int(row.cached_tokens),
      cost_nanousd: cost ?? 0n,
      cost_unknown_requests: cost === null ? 1n : 0n,
      latency_ms_sum: int(row.latency_ms),
      generation_ms_sum: row.completion_tokens === null ? 0n : int(row.latency_ms),
    };
    for (const name of ['provider', 'reconciled', 'computed', 'estimated']) {
      contribution[`cost_${name}_nanousd`] = source === name ? (cost ?? 0n) : 0n;
      contribution[`cost_${name}_requests`] = source === name && cost !== null ? 1n : 0n;
    }
    const sums = rollups.get(key) ?? new Map<string, bigint>();
    for (const measure of ROLLUP_MEASURES)
      sums.set(measure, (sums.get(measure) ?? 0n) + (contribution[measure] ?? 0n));
    rollups.set(key, sums);
    for (const metric of ['latency_ms', 'ttft_ms']) {
      const value = row[metric];
      if (value === null) continue;
      const bucketKey = `${key}|${metric}|${String(histogramBucket(Number(value)))}`;
      histograms.set(bucketKey, (histograms.get(bucketKey) ?? 0n) + 1n);
    }
  }
  return { rollups, histograms, requests: rows.length };
}

async function storedRollups(database: Database, tier: RollupTier) {
  const keyOf = (row: Row) =>
    [
      new Date(text(row.bucket_start)).toISOString(),
      ...tier.keys.map((column) => text(row[column])),
    ].join('|');
  const rollups = new Map<string, Map<string, bigint>>();
  for (const row of await database.execute(`SELECT * FROM ${tier.rollups}`, [])) {
    // A row whose requests were all taken out and put back elsewhere would be all zeros.
    if (BigInt(text(row.requests)) === 0n) continue;
    rollups.set(
      keyOf(row),
      new Map(ROLLUP_MEASURES.map((measure) => [measure, BigInt(text(row[measure]))])),
    );
  }
  const histograms = new Map<string, bigint>();
  const stored =
    tier.histograms === null ? [] : await database.execute(`SELECT * FROM ${tier.histograms}`, []);
  for (const row of stored)
    histograms.set(
      `${keyOf(row)}|${text(row.metric)}|${text(row.bucket)}`,
      BigInt(text(row.count)),
    );
  return { rollups, histograms };
}

async function expectRollupsEqualLedger(database: Database): Promise<number> {
  let requests = 0;
  expect(ROLLUP_TIERS.map((tier) => tier.rollups)).toContain('usage_rollups_hour_by_model');
  for (const tier of ROLLUP_TIERS) {
    const expected = await expectedRollups(database, tier);
    const stored = await storedRollups(database, tier);
    expect(stored.rollups).toEqual(expected.rollups);
    // A tier without histograms (hour × model × provider × status) has none to compare.
    if (tier.histograms !== null) expect(stored.histograms).toEqual(expected.histograms);
    else expect(stored.histograms.size).toBe(0);
    requests = expected.requests;
  }
  return requests;
}

describe.each(testBackends(postgresUrl))('usage rollups on $kind', (backend) => {
  let database: Database;
  let repository: LedgerRepository;
  const start = Date.parse('2026-06-01T10:17:00.000Z');

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    repository = createLedgerRepository(database);
  });

  afterAll(async () => {
    await database.close();
    await backend.tearDown();
  });

  // A batch whose records were all stored takes the fast path (contributions summed before the
  // insert); a batch with any record already stored, the slow path (summed by SQL).
  it('equal the ledger after random batches, replayed batches and reused ids', async () => {
    const random = seeded(20261130);
    const inserted: RequestRecord[] = [];
    for (let batch = 0; batch < 12; batch += 1) {
      const size = 1 + Math.floor(random() * 60);
      const records = Array.from({ length: size }, (_, index) =>
        randomRecord(random, `w-${String(batch)}-${String(index)}`, start),
      );
      await repository.insertRequests(records);
      inserted.push(...records);
      // A replay (the same records again) adds nothing; a reused id is a new request.
      if (batch % 3 === 0) await repository.insertRequests(records.slice(0, 5));
      if (batch % 4 === 1) {
        const reused = randomRecord(random, records[0]?.id ?? 'x', start);
        await repository.insertRequests([reused]);
      }
      // Half replayed, half new: only the new half counts.
      if (batch % 3 === 2) {
        const fresh = Array.from({ length: 4 }, (_, index) =>
          randomRecord(random, `m-${String(batch)}-${String(index)}`, start),
        );
        await repository.insertRequests([...records.slice(0, 4), ...fresh]);
        inserted.push(...fresh);
      }
    }
    expect(await expectRollupsEqualLedger(database)).toBeGreaterThan(inserted.length);
  });

  it('follow late costs written by the reconciler', async () => {
    const random = seeded(7);
    const records = Array.from({ length: 40 }, (_, index) => {
      const record = randomRecord(random, `late-${String(index)}`, start);
      // Unknown or estimated, as the reconciler finds them.
      const last = record.attempts.at(-1);
      if (last !== undefined) {
        last.costNanoUsd = index % 2 === 0 ? null : 123n;
        last.costSource = index % 2 === 0 ? null : 'estimated';
      }
      record.costNanoUsd = index % 2 === 0 ? null : 123n;
      record.costSource = index % 2 === 0 ? null : 'estimated';
      record.promptTokens = null;
      return record;
    });
    await repository.insertRequests(records);
    for (const record of records) {
      const attemptNumber = record.attempts.length - 1;
      const result = await repository.updateAttemptCost({
        requestId: record.id,
        attemptNumber,
        costNanoUsd: 1_000_000_007n,
        costSource: 'reconciled',
        tokens: { promptTokens: 10, completionTokens: 20, reasoningTokens: 0, cachedTokens: 3 },
      });
      expect(result).toBe('updated');
    }
    await expectRollupsEqualLedger(database);
  });

  it('equal the ledger after a crash replayed from the journal', async () => {
    const journalDir = await mkdtemp(path.join(tmpdir(), 'signalbox-rollup-journal-'));
    try {
      const random = seeded(99);
      const manual = { flushIntervalMs: 3_600_000, syncIntervalMs: 3_600_000 };
      // The crashed process committed part of its records, journaled the rest and left intents.
      const crashed = await createLedgerWriter(repository, { journalDir, ...manual });
      const records = Array.from({ length: 30 }, (_, index) =>
        randomRecord(random, `crash-${String(index)}`, start),
      );
      await Promise.all(records.slice(0, 10).map((record) => crashed.write(record)));
      await crashed.flush();
      await Promise.all(records.slice(10).map((record) => crashed.write(record)));
      await crashed.begin({
        requestId: 'crash-open',
        createdAt: new Date(start),
        model: 'openai/gpt-4o-mini',
        stream: true,
        attemptNumber: 0,
        provider: 'openrouter',
        upstreamModel: 'openai/gpt-4o-mini',
        canonicalModel: 'openai/gpt-4o-mini',
        startedAt: new Date(start + 10),
        maxCostNanoUsd: 5_000n,
      });
      // The crash: never flushed nor closed. The next start replays the journal.
      const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
      expect(restarted.recovered.map((record) => record.id)).toEqual(['crash-open']);
      await restarted.close();
      expect(await repository.getRequest('crash-29')).not.toBeNull();
      await expectRollupsEqualLedger(database);
    } finally {
      await rm(journalDir, { recursive: true, force: true });
    }
  });
});
