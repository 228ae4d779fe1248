/**
 * `npm run bench:analytics` (issue 10): the usage rollups at scale.
 * 1. A 30-day hourly usage series grouped by model (GET /admin/analytics/usage's work: the
 *    rollup query and the shaping) over `--rows` ledger rows (default 1 000 000) spread over
 *    30 days: ledger rows made by generate_series, their rollups in bulk by the same SQL the
 *    ledger insert runs (src/storage/usage-rollup-sql.ts). p50/p95 of 30 runs.
 *    Targets: p95 ≤ 100 ms on PostgreSQL, ≤ 300 ms on PGlite.
 * 2. Rollup maintenance CPU per request: the ledger insert with and without its rollup CTEs,
 *    batches of 10, 100 and 1000 records, interleaved; CPU of this process (PGlite runs in it) plus,
 *    on PostgreSQL, of the server backend (/proc/<pid>/schedstat). Target ≤ 10 µs per request.
 * 3. The recommendations report (GET /admin/recommendations' work: the traffic profiles over the
 *    30 days of ledger rows, the rollup reads, matching against the snapshot catalogue):
 *    p50/max of 5 runs. Not on any request path; printed, no target.
 * `--steps=series,recommendations,maintenance` (default all) picks the steps; `--keep` leaves the
 * scratch database (its name is printed) and `--reuse=<name>` runs on such a database again (or
 * populates it first when its ledger is empty).
 * `--backend=pglite|postgres|both` (default both when SIGNALBOX_BENCH_DATABASE_URL, an admin URL
 * on which a scratch database is created and dropped, is set; else pglite).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RequestRecord } from '../src/contracts/ledger.ts';
import { createDatabase, refreshTrafficProfiles, type Database } from '../src/storage/index.ts';
import { ledgerInsertParameters, ledgerInsertSql } from '../src/storage/ledger-insert.ts';
import {
  histogramUpsertSql,
  ROLLUP_TIERS,
  rollupUpsertSql,
} from '../src/storage/usage-rollup-sql.ts';
import { createUsageAnalyticsRepository } from '../src/storage/index.ts';
import { resolveAnalyticsQuery, usageReport } from '../src/usage/usage-analytics.ts';
import { loadSnapshotModels } from '../src/catalog/snapshot.ts';
import { createRoutingCatalog } from '../src/routing/routing-catalog.ts';
import { createTrafficProfileRepository } from '../src/storage/index.ts';
import { FEATURE_NAMES, recommendationsOver } from '../src/usage/recommendation-report.ts';
import { benchRecord } from './ledger-record.ts';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROWS = Number(argument('rows') ?? 1_000_000);
const adminUrl = process.env.SIGNALBOX_BENCH_DATABASE_URL ?? null;
const BACKENDS = (argument('backend') ?? (adminUrl === null ? 'pglite' : 'both')).split(',');
const STEPS = (argument('steps') ?? 'series,recommendations,maintenance').split(',');
const DAYS = 30;
const END = Date.parse('2026-06-01T00:00:00.000Z');
const START = END - DAYS * 86_400_000;
/**
 * Ledger batch sizes for the maintenance step (`--batches=10,100,200,1000`). The journaled
 * ledger writer flushes 200 ms after a batch's first record or at 1000 records, so under load
 * a batch holds about rate × 0.2 s records: 100–200 at the 500–1000 requests/s one 2-core
 * machine serves, 1000 from 5000 requests/s.
 */
const BATCHES = (argument('batches') ?? '10,100,200,1000').split(',').map(Number);

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

/** 6 models, 5 keys in 3 projects, 2 % errors, a policy on a quarter, fallbacks on a tenth. */
const LEDGER_ROWS_SQL = `INSERT INTO requests (id, created_at, model, provider, served_model, status,
  http_status, stream, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens,
  latency_ms, ttft_ms, cost_nanousd, cost_source, key_id, project_id, policy, served_candidate,
  required_features)
SELECT 'bench-' || g,
  to_timestamp(${String(START / 1000)} + ((g - 1)::float8 * ${String(DAYS * 86_400)} / ${String(ROWS)})),
  (ARRAY['openai/gpt-4o-mini','openai/gpt-4o','anthropic/claude-sonnet-4.5','google/gemini-2.5-flash','meta-llama/llama-3.3-70b-instruct','mistralai/mistral-small'])[1 + (g % 6)::int],
  'openrouter', NULL,
  CASE WHEN g % 50 = 0 THEN 'upstream_error' ELSE 'success' END,
  CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END,
  g % 2 = 0, 50 + (g * 7919) % 3000, (g * 104729) % 800, (g * 31) % 40, (g * 17) % 200,
  100 + (g * 2654435761) % 9000, 50 + (g * 40503) % 900,
  1000 + (g * 7001) % 5000000, CASE WHEN g % 10 = 0 THEN 'computed' ELSE 'provider' END,
  'key_' || (g % 5), 'proj_' || (g % 5 % 3), CASE WHEN g % 4 = 0 THEN 'cheap' END,
  CASE WHEN g % 10 = 3 THEN 1 ELSE 0 END, (ARRAY[0, 1, 0, 4, 0, 33])[1 + (g % 6)::int]
FROM generate_series($1::bigint, $2::bigint) AS g`;

async function populate(database: Database): Promise<void> {
  const begun = performance.now();
  const chunk = 100_000;
  for (let first = 1; first <= ROWS; first += chunk)
    await database.execute(LEDGER_ROWS_SQL, [first, Math.min(ROWS, first + chunk - 1)]);
  // The rollups of those rows, a day at a time (whole hours, so days never share a rollup row).
  for (let day = 0; day < DAYS + 1; day += 1) {
    const from = new Date(START + day * 86_400_000).toISOString();
    const to = new Date(START + (day + 1) * 86_400_000).toISOString();
    const source =
      `(SELECT r.*, 1 AS attempt_count FROM requests r WHERE r.created_at >= '${from}' ` +
      `AND r.created_at < '${to}') AS bulk`;
    for (const tier of ROLLUP_TIERS) {
      await database.execute(rollupUpsertSql(tier, source), []);
      const histograms = histogramUpsertSql(tier, source);
      if (histograms !== null) await database.execute(histograms, []);
    }
  }
  await database.execute('ANALYZE', []);
  const counts = await database.execute(
    `SELECT (SELECT count(*) FROM usage_rollups_minute)::int AS minute,
            (SELECT count(*) FROM usage_rollups_hour)::int AS hour,
            (SELECT count(*) FROM usage_histograms_hour)::int AS histograms`,
    [],
  );
  console.log(
    `  populated ${String(ROWS)} ledger rows in ${((performance.now() - begun) / 1000).toFixed(1)} s; ` +
      `rollup rows: minute ${String(counts[0]?.minute)}, hour ${String(counts[0]?.hour)}, ` +
      `hour histogram rows ${String(counts[0]?.histograms)}`,
  );
}

/**
 * CPU of the server backends of the database at `url` (PostgreSQL; µs), read from their
 * schedstat: on a loaded machine, CPU is steadier than wall time.
 */
async function serverCpuReader(url: string | null): Promise<{
  read(): Promise<number>;
  close(): Promise<void>;
}> {
  if (url === null) return { read: () => Promise.resolve(0), close: () => Promise.resolve() };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async read() {
      const result = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      let total = 0;
      for (const { pid } of result.rows) {
        try {
          total += procCpuMicros(pid);
        } catch {
          // A backend that just ended.
        }
      }
      return total;
    },
    close: () => client.end(),
  };
}

async function seriesLatency(database: Database, url: string | null): Promise<void> {
  const repository = createUsageAnalyticsRepository(database);
  const query = resolveAnalyticsQuery(
    {
      from: new Date(START),
      to: new Date(END),
      interval: 'hour',
      groupBy: 'model',
      filters: {},
    },
    new Date(END),
  );
  const times: number[] = [];
  const cpu: number[] = [];
  const server = await serverCpuReader(url);
  let requests = 0;
  try {
    for (let run = 0; run < 33; run += 1) {
      const serverBefore = await server.read();
      const ownBefore = ownCpuMicros();
      const begun = performance.now();
      const report = await usageReport(repository, query);
      // The answer as the endpoint sends it.
      JSON.stringify(report);
      const elapsed = performance.now() - begun;
      const used = ownCpuMicros() - ownBefore + ((await server.read()) - serverBefore);
      if (run >= 3) {
        times.push(elapsed);
        cpu.push(used / 1000);
      }
      requests = report.totals.requests;
    }
  } finally {
    await server.close();
  }
  console.log(
    `  30-day hourly usage by model (${String(requests)} requests, 6 series × 720 points, JSON included): ` +
      `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms; ` +
      `CPU (this process + server) p50 ${percentile(cpu, 0.5).toFixed(1)} ms, p95 ${percentile(cpu, 0.95).toFixed(1)} ms`,
  );
}

async function recommendationsLatency(database: Database): Promise<void> {
  const models = loadSnapshotModels();
  const catalog = createRoutingCatalog(models);
  const byId = new Map(models.map((model) => [model.id, model]));
  const sources = {
    profiles: createTrafficProfileRepository(database, FEATURE_NAMES),
    catalog: () => catalog,
    lookupModel: (id: string) => byId.get(id),
  };
  const measure = async (label: string): Promise<void> => {
    const times: number[] = [];
    let found = 0;
    for (let run = 0; run < 6; run += 1) {
      const begun = performance.now();
      const recommendations = await recommendationsOver(sources, {
        from: new Date(START),
        to: new Date(END),
        minRequests: 20,
        perModel: 3,
      });
      if (run >= 1) times.push(performance.now() - begun);
      found = recommendations.length;
    }
    console.log(
      `  recommendations over 30 days, ${label} (${String(found)} found): ` +
        `p50 ${percentile(times, 0.5).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
  };
  // Before the first refresh every read comes from the ledger; after it, whole days from the
  // traffic profile view (ADR 0023).
  await measure('ledger only');
  const begun = performance.now();
  await refreshTrafficProfiles(database);
  console.log(`  traffic profile view refresh: ${(performance.now() - begun).toFixed(0)} ms`);
  await measure('view + ledger since the cut-off');
  // The usual case: the period's last UTC day not yet in the view, read from the ledger.
  await database.execute('UPDATE traffic_profile_refresh SET cutoff = $1::timestamptz', [
    new Date(END - 86_400_000).toISOString(),
  ]);
  await measure('view + last day from the ledger');
  await refreshTrafficProfiles(database);
}

/**
 * The recorded gateway request (bench/ledger-record.ts) as request `index` of the maintenance
 * step: three models, five keys, spread latencies and times to first token (so the rollups
 * hold several groups and histogram buckets).
 */
function record(id: string, index: number): RequestRecord {
  return benchRecord(id, new Date(END + index * 37), {
    model: ['openai/gpt-4o-mini', 'openai/gpt-4o', 'google/gemini-2.5-flash'][index % 3] ?? '',
    generationId: `gen-${id}`,
    latencyMs: 400 + (index % 900),
    ttftMs: 100 + (index % 200),
    keyId: `key_${String(index % 5)}`,
    projectId: 'proj_1',
  });
}

/** On-CPU time of a process (`/proc/<pid>/schedstat`, ns precision; stat's ticks are 10 ms). */
function procCpuMicros(pid: number): number {
  const [runNs = '0'] = readFileSync(`/proc/${String(pid)}/schedstat`, 'utf8').split(' ');
  return Number(runNs) / 1000;
}

function ownCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Runs one statement; on PostgreSQL through one client whose backend's CPU is read too. */
interface Runner {
  /** `name`: a named prepared statement, as the ledger repository runs it. */
  run(statement: string, parameters: unknown[], name: string): Promise<void>;
  /** CPU so far, µs: this process's and (PostgreSQL) the server backend's. */
  cpuMicros(): { own: number; server: number };
  close(): Promise<void>;
}

async function runnerFor(database: Database, url: string | null): Promise<Runner> {
  if (url === null)
    return {
      run: async (statement, parameters, name) => {
        await database.execute(statement, parameters, { name });
      },
      cpuMicros: () => ({ own: ownCpuMicros(), server: 0 }),
      close: () => Promise.resolve(),
    };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = result.rows[0]?.pid ?? 0;
  return {
    run: async (statement, parameters, name) => {
      await client.query({ text: statement, values: parameters, name });
    },
    cpuMicros: () => ({ own: ownCpuMicros(), server: procCpuMicros(pid) }),
    close: () => client.end(),
  };
}

async function maintenanceCost(runner: Runner): Promise<void> {
  const statements = {
    with: ledgerInsertSql({ rollups: true }),
    without: ledgerInsertSql({ rollups: false }),
  };
  let next = 0;
  for (const batch of BATCHES) {
    const batches = Math.max(12, Math.ceil(2000 / batch));
    const totals = { with: { own: 0, server: 0 }, without: { own: 0, server: 0 } };
    for (let round = 0; round < batches; round += 1) {
      for (const variant of ['without', 'with'] as const) {
        const records = Array.from({ length: batch }, () => {
          next += 1;
          return record(`m${String(process.pid)}-${String(next)}`, next);
        });
        // Timed from the parameters on: the rollups' sums are computed in JavaScript there.
        const begun = runner.cpuMicros();
        const parameters = ledgerInsertParameters(records, { rollups: variant === 'with' });
        await runner.run(statements[variant], parameters, `bench_ledger_${variant}`);
        const ended = runner.cpuMicros();
        // The first rounds warm caches and plans.
        if (round >= 5) {
          totals[variant].own += ended.own - begun.own;
          totals[variant].server += ended.server - begun.server;
        }
      }
    }
    const requests = (batches - 5) * batch;
    const per = (variant: 'with' | 'without') =>
      (totals[variant].own + totals[variant].server) / requests;
    const split = (key: 'own' | 'server') =>
      ((totals.with[key] - totals.without[key]) / requests).toFixed(1);
    console.log(
      `  ledger insert, batches of ${String(batch)}: ${per('without').toFixed(1)} µs/request without rollups, ` +
        `${per('with').toFixed(1)} µs with; rollup maintenance ${(per('with') - per('without')).toFixed(1)} µs CPU/request ` +
        `(this process ${split('own')}, server ${split('server')})`,
    );
  }
}

async function bench(kind: string): Promise<void> {
  console.log(`${kind}:`);
  let cleanup: () => Promise<void>;
  let database: Database;
  let url: string | null = null;
  if (kind === 'postgres') {
    if (adminUrl === null) throw new Error('SIGNALBOX_BENCH_DATABASE_URL is not set');
    // `--reuse=<name>`: a database an earlier `--keep` run left (already populated).
    const reused = argument('reuse');
    const name = reused ?? `signalbox_bench_analytics_${String(process.pid)}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    if (reused === undefined) await admin(`CREATE DATABASE "${name}"`);
    const target = new URL(adminUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    database = await createDatabase({ databaseUrl: url, dataDir: null });
    cleanup = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } else {
    const directory = await mkdtemp(path.join(tmpdir(), 'signalbox-bench-analytics-'));
    database = await createDatabase({ databaseUrl: null, dataDir: path.join(directory, 'db') });
    cleanup = () => rm(directory, { recursive: true, force: true });
  }
  try {
    // A reused database is populated when its ledger is empty (e.g. an existing, empty one).
    const empty = async () =>
      (await database.execute('SELECT 1 FROM requests LIMIT 1', [])).length === 0;
    if (argument('reuse') === undefined || kind !== 'postgres' || (await empty()))
      await populate(database);
    if (STEPS.includes('series')) await seriesLatency(database, url);
    if (STEPS.includes('recommendations')) await recommendationsLatency(database);
    if (STEPS.includes('maintenance')) {
      const runner = await runnerFor(database, url);
      try {
        await maintenanceCost(runner);
      } finally {
        await runner.close();
      }
    }
  } finally {
    await database.close();
    // `--keep`: leave the scratch database for EXPLAIN (its name is printed).
    if (process.argv.includes('--keep')) console.log(`  kept ${url ?? 'the PGlite directory'}`);
    else await cleanup();
  }
}

for (const kind of BACKENDS) await bench(kind);
