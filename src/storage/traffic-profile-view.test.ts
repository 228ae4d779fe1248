// The traffic profile read through the materialized view (whole UTC days before the cut-off) and
// the ledger (the rest) equals the profile aggregated from the ledger alone, on random traffic
// with rows before and after the refresh cut-off, on PGlite always and PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerRepository } from './ledger-repository.ts';
import { testBackends } from './test-backends.ts';
import {
  createTrafficProfileRepository,
  type TrafficProfileQuery,
} from './traffic-profile-repository.ts';
import { refreshTrafficProfiles } from './traffic-profile-refresh.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const DAY = 86_400_000;
/** Requirement names of stored decisions and their Feature bits, as routing lists them. */
const FEATURE_NAMES = [
  { name: 'tools', bit: 1 },
  { name: 'json_mode', bit: 8 },
  { name: 'image_input', bit: 32 },
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomRows(prefix: string, count: number, from: number, to: number, seed: number) {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const rows: RequestRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const known = next() < 0.8;
    const legacy = next() < 0.2;
    const prompt = next() < 0.05 ? null : Math.floor(next() * 50_000);
    const completion = next() < 0.05 ? null : Math.floor(next() * 4_000);
    rows.push({
      id: `${prefix}-${String(index)}`,
      createdAt: new Date(from + Math.floor(next() * (to - from))),
      model: pick(['acme/big', 'acme/mid', 'signalbox/cheap', 'acme/small']),
      provider: 'openrouter',
      servedModel: null,
      status: 'success',
      httpStatus: 200,
      stream: false,
      generationId: null,
      promptTokens: prompt,
      completionTokens: completion,
      reasoningTokens: pick([null, 0, 0, 120]),
      cachedTokens: pick([null, 0, 30]),
      latencyMs: 100,
      ttftMs: null,
      costNanoUsd: known ? BigInt(Math.floor(next() * 1e9)) : null,
      costSource: known ? 'provider' : null,
      policy: null,
      policyVersion: null,
      policyVariant: null,
      servedCandidate: 0,
      routingDecision: legacy
        ? pick([
            null,
            { requested_model: 'acme/big', requirements: ['tools', 'image_input'] },
            { requested_model: 'acme/big', requirements: ['json_mode'] },
            { requested_model: 'acme/big' },
          ])
        : null,
      keyId: pick([null, 'key_a', 'key_b']),
      projectId: pick([null, 'proj_1']),
      queueWaitMs: null,
      requiredFeatures: legacy ? null : pick([0, 1, 5, 16, 33]),
      attempts: [],
    });
  }
  return rows;
}

describe.each(testBackends(postgresUrl))('traffic profile view on $kind', (backend) => {
  let database: Database;
  const now = Date.now();
  const repository = () => createTrafficProfileRepository(database, FEATURE_NAMES);
  const MODELS = ['acme/big', 'acme/mid', 'acme/small', 'signalbox/cheap'];
  const HOUR = 3_600_000;
  /** Profiles and observed figures of every query. */
  async function read() {
    const answers = [];
    for (const query of queries()) {
      const profiles = await repository().profiles(query);
      const observed = await repository().observed({
        from: new Date(Math.floor(query.from.getTime() / HOUR) * HOUR),
        to: new Date(Math.ceil(query.to.getTime() / HOUR) * HOUR),
        models: MODELS,
      });
      answers.push({ profiles, observed });
    }
    return answers;
  }
  /** The same from the ledger and the hour tier alone: the cut-off moved before every row. */
  async function raw() {
    const [saved] = await database.execute('SELECT cutoff FROM traffic_profile_refresh', []);
    await database.execute(`UPDATE traffic_profile_refresh SET cutoff = '-infinity'`, []);
    const answers = await read();
    await database.execute('UPDATE traffic_profile_refresh SET cutoff = $1::timestamptz', [
      saved?.cutoff,
    ]);
    return answers;
  }
  const queries = (): TrafficProfileQuery[] => [
    { from: new Date(now - 30 * DAY), to: new Date(now), minRequests: 1 },
    { from: new Date(now - 30 * DAY - 7_777_777), to: new Date(now + DAY), minRequests: 5 },
    { from: new Date(now - 90 * DAY), to: new Date(now - 3 * DAY - 123_456), minRequests: 1 },
    { from: new Date(now - 5 * 3_600_000), to: new Date(now), minRequests: 1 },
  ];

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    const ledger = createLedgerRepository(database);
    await ledger.insertRequests(randomRows('before', 3_000, now - 45 * DAY, now, 7));
  });

  afterAll(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('reads the ledger alone until the first refresh', async () => {
    const [state] = await database.execute('SELECT cutoff FROM traffic_profile_refresh', []);
    expect(new Date(String(state?.cutoff)).getTime()).toBeNaN();
    expect(
      (
        await repository().profiles({
          from: new Date(now - 30 * DAY),
          to: new Date(now),
          minRequests: 1,
        })
      ).length,
    ).toBeGreaterThan(0);
  });

  it('equals the ledger aggregate after a refresh and with rows written after it', async () => {
    const refreshed = await refreshTrafficProfiles(database);
    expect(refreshed?.cutoff.getTime()).toBeLessThanOrEqual(now);
    expect(refreshed?.cutoff.getTime() ?? 0).toBeGreaterThan(now - 2 * DAY);
    const [viewRows] = await database.execute(
      'SELECT count(*)::int AS n FROM traffic_profile_days',
      [],
    );
    expect(Number(viewRows?.n)).toBeGreaterThan(0);
    await createLedgerRepository(database).insertRequests(
      randomRows('after', 500, (refreshed?.cutoff.getTime() ?? now) + 1, now, 11),
    );
    const answers = await read();
    expect(answers.some((answer) => answer.observed.length > 0)).toBe(true);
    expect(answers).toEqual(await raw());
  });

  it('takes rows written before the cut-off at the next refresh', async () => {
    await createLedgerRepository(database).insertRequests(
      randomRows('late', 200, now - 20 * DAY, now - 10 * DAY, 13),
    );
    // On PGlite a scheduled refresh waits for the cut-off to move (once a day); a forced one
    // (and every refresh on PostgreSQL) takes the late rows.
    const scheduled = await refreshTrafficProfiles(database);
    expect(scheduled === null).toBe(backend.kind === 'pglite');
    await refreshTrafficProfiles(database, { force: true });
    const answers = await read();
    expect(answers.some((answer) => answer.observed.length > 0)).toBe(true);
    expect(answers).toEqual(await raw());
  });
});
