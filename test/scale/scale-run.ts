/**
 * The scale-out proof (issue 12), shared by `npm run scale-test` (scripts/scale-test.ts, the
 * full run: 3 instances, 200 requests/s, 60 s) and test/scale/scale-out.test.ts (a smaller run):
 *
 * - N gateway processes (the real CLI) on one fresh PostgreSQL database and one Redis, each with
 *   its own data directory (ledger journal), in live mode against one emulator of OpenRouter,
 *   behind a round-robin TCP balancer (balancer.ts);
 * - open-loop traffic at a fixed rate, streaming and JSON alternating, plain models and a
 *   routing policy;
 * - during it, run-time changes made through one instance's admin API, each probed on every
 *   instance directly until it is in force there (the propagation time), and one instance killed
 *   with SIGKILL and started again on its data directory;
 * - afterwards, the ground truth: every generation the emulator billed has exactly one ledger
 *   attempt with the billed cost (or, when the gateway died before the upstream named it, an
 *   `interrupted` attempt whose estimate bounds it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { createEmulator } from '../../src/emulator/index.ts';
import {
  PROCESS_MASTER_KEY,
  PROCESS_OPENROUTER_KEY,
  startGatewayProcess,
  type GatewayProcess,
} from '../helpers/gateway-process.ts';
import { startBalancer } from './balancer.ts';

export interface ScaleOptions {
  /** A PostgreSQL URL whose server the run may create (and drop) a database on. */
  postgresUrl: string;
  /** Redis shared by the instances, e.g. redis://127.0.0.1:6379/14. */
  redisUrl: string;
  instances: number;
  requestsPerSecond: number;
  durationMs: number;
  /** Requests per minute of the rate-limited key (a tenth of the traffic); default 300. */
  rateLimitRpm?: number;
  /** The budgeted key's total budget (a tenth of the traffic), USD; default 0.02. */
  budgetUsd?: number;
  /** Progress lines; default none. */
  log?: (line: string) => void;
}

/** A run-time change and how long each instance took to apply it, ms (null = never seen). */
export interface Propagation {
  change: string;
  perInstanceMs: (number | null)[];
}

export interface ScaleReport {
  instances: number;
  requestsPerSecond: number;
  durationMs: number;
  sent: number;
  /** Answers by HTTP status; `transport` counts connections cut (the killed instance's). */
  answered: Record<string, number>;
  /** Answered 200 in full (streams up to `[DONE]`). */
  acknowledged: number;
  /** Generations the emulator billed. */
  billedGenerations: number;
  /** Billed generations with exactly one ledger attempt carrying the billed cost. */
  matched: number;
  /** Billed generations with more than one ledger attempt (must be 0). */
  duplicated: number;
  /** Billed generations whose single attempt has another cost (must be 0). */
  costMismatches: number;
  /** Billed generations the ledger never named (the instance died before their headers). */
  unnamed: number;
  /** …of which covered by an interrupted attempt's estimate of the same model and kind. */
  unnamedCovered: number;
  interruptedRows: number;
  /** Acknowledged requests missing from the ledger or stored with another status (must be 0). */
  acknowledgedLost: number;
  /** The rate-limited key (`rpm`): answers 200 and the most GCRA allows in the run. */
  rateLimited: { rpm: number; admitted: number; refused: number; allowedAtMost: number };
  /** The key with a budget: its limit and the settled spend in the ledger, nano-USD. */
  budget: { limitNanoUsd: string; spentNanoUsd: string; refused: number };
  propagation: Propagation[];
  /** The killed instance: from SIGKILL to its successor listening, ms. */
  restartMs: number | null;
  /** Connections the balancer handed to each instance. */
  connectionsPerInstance: number[];
}

const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash'];
const POLICY = 'scale';
const RUNTIME_PROVIDER = 'scale-direct';

interface Instance {
  dataDir: string;
  process: GatewayProcess;
}

function backendOf(gateway: GatewayProcess): { host: string; port: number } {
  const url = new URL(gateway.url);
  return { host: url.hostname, port: Number(url.port) };
}

async function adminCall(
  gateway: GatewayProcess,
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  urlPath: string,
  body: unknown,
): Promise<unknown> {
  const response = await request(`${gateway.url}${urlPath}`, {
    method,
    headers:
      body === undefined
        ? { authorization: `Bearer ${gateway.key}` }
        : { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`${method} ${urlPath}: ${String(response.statusCode)} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

async function explain(
  gateway: GatewayProcess,
  model: string,
): Promise<{ selected_model?: string; selected_provider?: string }> {
  const response = await request(`${gateway.url}/v1/route/explain`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'probe' }] }),
  });
  return (await response.body.json()) as { selected_model?: string; selected_provider?: string };
}

/** Polls each instance until `seen(instance)` is true; ms from `since` per instance (≤ 30 s). */
async function probeAll(
  instances: Instance[],
  since: number,
  seen: (gateway: GatewayProcess) => Promise<boolean>,
): Promise<(number | null)[]> {
  return Promise.all(
    instances.map(async ({ process: gateway }) => {
      while (Date.now() - since < 30_000) {
        if (await seen(gateway).catch(() => false)) return Date.now() - since;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return null;
    }),
  );
}

/** Runs the proof; see the module comment. @throws when an instance cannot start. */
export async function runScale(options: ScaleOptions): Promise<ScaleReport> {
  const log = options.log ?? (() => undefined);
  const RPM = options.rateLimitRpm ?? 300;
  const BUDGET_USD = options.budgetUsd ?? 0.02;
  const admin = new pg.Client({ connectionString: options.postgresUrl });
  await admin.connect();
  const database = `signalbox_scale_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${database}`);
  const databaseUrl = new URL(options.postgresUrl);
  databaseUrl.pathname = `/${database}`;
  const emulator = createEmulator({
    apiKeys: [PROCESS_OPENROUTER_KEY],
    replay: false,
    ledgerLimit: options.requestsPerSecond * (options.durationMs / 1000) * 4 + 10_000,
  });
  const origin = await emulator.listen();
  const root = await mkdtemp(path.join(tmpdir(), 'signalbox-scale-'));
  const env = {
    SIGNALBOX_DATABASE_URL: databaseUrl.toString(),
    SIGNALBOX_REDIS_URL: options.redisUrl,
    // One vault key for every instance; the emulator is on loopback (the SSRF guard's allowlist).
    SIGNALBOX_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
  };
  const instances: Instance[] = [];
  const start = (dataDir: string) =>
    startGatewayProcess({ dataDir, emulatorOrigin: origin, env, startTimeoutMs: 60_000 });
  // Each connection carries at most 10 requests: the balancer spreads connections, and a client
  // reusing one keep-alive connection for everything (as undici does when answers come fast)
  // would send all the traffic to one instance.
  const dispatcher = new Agent({ connections: 256, pipelining: 1, maxRequestsPerClient: 10 });
  try {
    // The first instance migrates the empty database; the others start together after it.
    for (let index = 0; index < options.instances; index += 1) {
      const dataDir = path.join(root, `instance-${String(index)}`);
      instances.push({ dataDir, process: await start(dataDir) });
      log(`instance ${String(index)} listening on ${instances[index]?.process.url ?? ''}`);
    }
    const first = instances[0]?.process;
    if (first === undefined) throw new Error('instances must be at least 1');
    await adminCall(first, 'POST', '/admin/routing/policies', {
      name: POLICY,
      candidates: [{ model: 'openai/gpt-4o-mini' }],
      strategy: 'ordered',
    });
    // A provider added through the API serves gpt-4o-mini until it is disabled mid-run.
    await adminCall(first, 'POST', '/admin/providers', {
      id: RUNTIME_PROVIDER,
      type: 'openrouter',
      base_url: `${origin}/api/v1`,
      api_key: PROCESS_OPENROUTER_KEY,
      models: { 'openai/gpt-4o-mini': 'openai/gpt-4o-mini' },
    });
    const createKey = async (body: Record<string, unknown>) =>
      (await adminCall(first, 'POST', '/admin/keys', { role: 'client', ...body })) as {
        id: string;
        key: string;
      };
    const limitedKey = await createKey({ name: 'scale rate-limited', rpm: RPM });
    const budgetKey = await createKey({
      name: 'scale budget',
      budget: { limit_usd: BUDGET_USD, period: 'total' },
    });
    const revokedKey = await createKey({ name: 'scale revoked mid-run' });
    const balancer = await startBalancer(instances.map((instance) => backendOf(instance.process)));
    log(`balancer on ${balancer.url}`);

    const answered: Record<string, number> = {};
    const perKey = { limited: { ok: 0, refused: 0 }, budget: { ok: 0, refused: 0 } };
    const acknowledged: string[] = [];
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    async function one(index: number): Promise<void> {
      const stream = index % 2 === 0;
      const model = index % 5 === 0 ? `signalbox/${POLICY}` : MODELS[index % MODELS.length];
      const which = index % 10 === 1 ? 'limited' : index % 10 === 3 ? 'budget' : null;
      const key =
        which === 'limited'
          ? limitedKey.key
          : which === 'budget'
            ? budgetKey.key
            : PROCESS_MASTER_KEY;
      try {
        const response = await request(`${balancer.url}/v1/chat/completions`, {
          dispatcher,
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            model,
            stream,
            max_tokens: 32 + (index % 4) * 32,
            messages: [{ role: 'user', content: `Scale request ${String(index)}.` }],
          }),
        });
        const text = await response.body.text();
        const status = String(response.statusCode);
        answered[status] = (answered[status] ?? 0) + 1;
        if (which !== null) {
          if (response.statusCode === 200) perKey[which].ok += 1;
          else if (response.statusCode === 429 || response.statusCode === 402)
            perKey[which].refused += 1;
        }
        if (response.statusCode === 200 && (!stream || text.includes('data: [DONE]')))
          acknowledged.push(String(response.headers['x-request-id']));
      } catch {
        answered.transport = (answered.transport ?? 0) + 1;
      }
    }

    const propagation: Propagation[] = [];
    let restartMs: number | null = null;
    const events: { at: number; run: () => Promise<void> }[] = [
      {
        at: 0.25,
        run: async () => {
          const since = Date.now();
          await adminCall(first, 'PUT', `/admin/routing/policies/${POLICY}`, {
            name: POLICY,
            candidates: [{ model: 'anthropic/claude-3.5-haiku' }],
            strategy: 'ordered',
          });
          const perInstanceMs = await probeAll(
            instances,
            since,
            async (gateway) =>
              (await explain(gateway, `signalbox/${POLICY}`)).selected_model ===
              'anthropic/claude-3.5-haiku',
          );
          propagation.push({ change: 'routing policy changed', perInstanceMs });
          log(`policy change in force: ${perInstanceMs.map(String).join(', ')} ms`);
        },
      },
      {
        at: 0.35,
        run: async () => {
          const since = Date.now();
          await adminCall(first, 'DELETE', `/admin/keys/${revokedKey.id}`, undefined);
          const perInstanceMs = await probeAll(instances, since, async (gateway) => {
            const response = await request(`${gateway.url}/v1/models`, {
              headers: { authorization: `Bearer ${revokedKey.key}` },
            });
            await response.body.dump();
            return response.statusCode === 401;
          });
          propagation.push({ change: 'virtual key revoked', perInstanceMs });
          log(`key revocation in force: ${perInstanceMs.map(String).join(', ')} ms`);
        },
      },
      {
        at: 0.42,
        run: async () => {
          const serving = await probeAll(
            instances,
            Date.now(),
            async (gateway) =>
              (await explain(gateway, 'openai/gpt-4o-mini')).selected_provider === RUNTIME_PROVIDER,
          );
          if (serving.some((ms) => ms === null)) throw new Error('the added provider never served');
          const since = Date.now();
          await adminCall(first, 'PATCH', `/admin/providers/${RUNTIME_PROVIDER}`, {
            enabled: false,
          });
          const perInstanceMs = await probeAll(
            instances,
            since,
            async (gateway) =>
              (await explain(gateway, 'openai/gpt-4o-mini')).selected_provider !== RUNTIME_PROVIDER,
          );
          propagation.push({ change: 'provider disabled', perInstanceMs });
          log(`provider disable in force: ${perInstanceMs.map(String).join(', ')} ms`);
        },
      },
      {
        at: 0.5,
        run: async () => {
          const victimIndex = instances.length - 1;
          const victim = instances[victimIndex];
          if (victim === undefined || victimIndex === 0) return;
          const killedAt = Date.now();
          await victim.process.crash();
          log(`instance ${String(victimIndex)} killed (SIGKILL)`);
          victim.process = await start(victim.dataDir);
          restartMs = Date.now() - killedAt;
          balancer.replace(victimIndex, backendOf(victim.process));
          log(`instance ${String(victimIndex)} restarted in ${String(restartMs)} ms`);
        },
      },
    ];

    const began = Date.now();
    const intervalMs = 1000 / options.requestsPerSecond;
    const pendingEvents = events.map((event) => ({ ...event, started: false }));
    const eventRuns: Promise<void>[] = [];
    let lastReport = began;
    while (Date.now() - began < options.durationMs) {
      const elapsed = Date.now() - began;
      const due = Math.floor(elapsed / intervalMs);
      while (sent < due) {
        sent += 1;
        const promise = one(sent).finally(() => inFlight.delete(promise));
        inFlight.add(promise);
      }
      for (const event of pendingEvents) {
        if (!event.started && elapsed >= event.at * options.durationMs) {
          event.started = true;
          eventRuns.push(event.run());
        }
      }
      if (Date.now() - lastReport >= 5_000) {
        lastReport = Date.now();
        log(
          `${String(Math.round(elapsed / 1000))} s: sent ${String(sent)}, in flight ${String(inFlight.size)}, answered ${JSON.stringify(answered)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, intervalMs / 2)));
    }
    await Promise.all(eventRuns);
    await Promise.all(inFlight);
    log(`traffic done: sent ${String(sent)}, answered ${JSON.stringify(answered)}`);
    const connectionsPerInstance = balancer.connections();
    await balancer.close();

    // Every instance drains and flushes its journal on SIGTERM; then the database is the truth.
    // (The restarted instance may still be reconciling interrupted attempts: wait for it.)
    await waitForReconciliation(databaseUrl.toString());
    for (const instance of instances) await instance.process.stop();
    const spent = await settledSpend(databaseUrl.toString(), budgetKey.id);
    const truth = await compareWithEmulator(
      databaseUrl.toString(),
      emulator.ledger.filter((entry) => entry.generationId !== null),
      acknowledged,
    );
    return {
      instances: options.instances,
      requestsPerSecond: options.requestsPerSecond,
      durationMs: options.durationMs,
      sent,
      answered,
      acknowledged: acknowledged.length,
      ...truth,
      rateLimited: {
        rpm: RPM,
        admitted: perKey.limited.ok,
        refused: perKey.limited.refused,
        // GCRA: a burst of L, then L per minute.
        allowedAtMost: Math.floor(RPM + (RPM * options.durationMs) / 60_000) + 1,
      },
      budget: {
        limitNanoUsd: String(BigInt(Math.round(BUDGET_USD * 1e9))),
        spentNanoUsd: spent.toString(),
        refused: perKey.budget.refused,
      },
      propagation,
      restartMs,
      connectionsPerInstance,
    };
  } finally {
    for (const instance of instances) await instance.process.stop().catch(() => undefined);
    await dispatcher.destroy();
    await emulator.close();
    await rm(root, { recursive: true, force: true });
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}

/** The settled cost of a key's requests in the ledger, nano-USD. */
async function settledSpend(databaseUrl: string, keyId: string): Promise<bigint> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string | null }>(
      'select sum(cost_nanousd)::text as total from requests where key_id = $1',
      [keyId],
    );
    return BigInt(rows[0]?.total ?? 0);
  } finally {
    await client.end();
  }
}

/** Waits (≤ 30 s) until no attempt with a known generation id still has an estimated cost. */
async function waitForReconciliation(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ count: string }>(
        `select count(*) from attempts where generation_id is not null and cost_source = 'estimated'`,
      );
      if (rows[0]?.count === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

interface BilledGeneration {
  generationId: string | null;
  model: string | null;
  stream: boolean;
  billedCostNanoUsd: string | null;
}

type Truth = Pick<
  ScaleReport,
  | 'billedGenerations'
  | 'matched'
  | 'duplicated'
  | 'costMismatches'
  | 'unnamed'
  | 'unnamedCovered'
  | 'interruptedRows'
  | 'acknowledgedLost'
>;

async function compareWithEmulator(
  databaseUrl: string,
  billed: BilledGeneration[],
  acknowledged: string[],
): Promise<Truth> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const attempts = await client.query<{
      generation_id: string | null;
      cost_nanousd: string | null;
      status: string;
      model: string;
      stream: boolean;
    }>(
      `select a.generation_id, a.cost_nanousd::text as cost_nanousd, a.status, a.model, r.stream
         from attempts a join requests r on r.id = a.request_id`,
    );
    const requests = await client.query<{ id: string; status: string }>(
      'select id, status from requests',
    );
    const byGeneration = new Map<string, (string | null)[]>();
    const estimates = new Map<string, bigint[]>();
    for (const row of attempts.rows) {
      if (row.generation_id !== null) {
        const list = byGeneration.get(row.generation_id) ?? [];
        list.push(row.cost_nanousd);
        byGeneration.set(row.generation_id, list);
      } else if (row.status === 'interrupted') {
        const key = `${row.model} ${String(row.stream)}`;
        estimates.set(key, [...(estimates.get(key) ?? []), BigInt(row.cost_nanousd ?? 0)]);
      }
    }
    let matched = 0;
    let duplicated = 0;
    let costMismatches = 0;
    const unnamed: { key: string; cost: bigint }[] = [];
    for (const generation of billed) {
      const found = byGeneration.get(generation.generationId ?? '') ?? [];
      if (found.length === 0) {
        unnamed.push({
          key: `${generation.model ?? ''} ${String(generation.stream)}`,
          cost: BigInt(generation.billedCostNanoUsd ?? 0),
        });
      } else if (found.length > 1) duplicated += 1;
      else if (found[0] !== (generation.billedCostNanoUsd ?? null)) costMismatches += 1;
      else matched += 1;
    }
    // Each unnamed generation is matched to the largest unused estimate of its model and kind.
    let unnamedCovered = 0;
    const descending = (left: bigint, right: bigint) => (left < right ? 1 : left > right ? -1 : 0);
    for (const list of estimates.values()) list.sort(descending);
    unnamed.sort((left, right) => descending(left.cost, right.cost));
    for (const item of unnamed) {
      const list = estimates.get(item.key) ?? [];
      const bound = list[0];
      if (bound !== undefined && bound >= item.cost) {
        list.shift();
        unnamedCovered += 1;
      }
    }
    const statusById = new Map(requests.rows.map((row) => [row.id, row.status]));
    const acknowledgedLost = acknowledged.filter((id) => statusById.get(id) !== 'success').length;
    return {
      billedGenerations: billed.length,
      matched,
      duplicated,
      costMismatches,
      unnamed: unnamed.length,
      unnamedCovered,
      interruptedRows: requests.rows.filter((row) => row.status === 'interrupted').length,
      acknowledgedLost,
    };
  } finally {
    await client.end();
  }
}
