// Alert evaluation against PGlite always and PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is set,
// over ledger rows written by the real ledger insert (which maintains the rollups): each metric
// read over the rule's window and scope, a rule firing once and resolving when its window moves
// past the traffic (log channel, captured), budget_used_pct from the memory budget store over the
// ledger's spend; and on PostgreSQL, two evaluators (two instances) on one database racing over
// the same rules — the transition is delivered once to a real webhook receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertSecretContext, type AlertRuleSettings } from '../contracts/alert-rule.ts';
import { createVault, generateKeyEncryptionKey, keyEncryptionKey } from '../security/vault.ts';
import type { RequestRecord } from '../contracts/ledger.ts';
import { createMemoryBudgetStore } from '../limits/memory-budget-store.ts';
import {
  createAlertRepository,
  createDatabase,
  createLedgerRepository,
  createLedgerSpendReader,
  createUsageAnalyticsRepository,
  withAlertEvaluationLock,
  type Database,
  type DatabaseOptions,
} from '../storage/index.ts';
import { testBackends } from '../storage/test-backends.ts';
import { createAlertDispatcher } from './alert-dispatcher.ts';
import { createAlertEvaluator } from './alert-evaluator.ts';
import { readAlertMetric } from './alert-metrics.ts';
import { createWebhookClient } from './webhook-poster.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const now = new Date('2026-11-30T12:00:30Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

function record(
  id: string,
  createdAt: Date,
  fields: Partial<RequestRecord> & { latencyMs: number },
): RequestRecord {
  return {
    id,
    createdAt,
    queueWaitMs: null,
    model: 'openai/gpt-4o-mini',
    provider: 'openrouter',
    servedModel: null,
    status: 'success',
    httpStatus: 200,
    stream: false,
    generationId: `gen-${id}`,
    promptTokens: 10,
    completionTokens: 5,
    reasoningTokens: null,
    cachedTokens: null,
    ttftMs: null,
    costNanoUsd: 1_000_000_000n,
    costSource: 'provider',
    policy: null,
    policyVersion: null,
    requiredFeatures: null,
    policyVariant: null,
    servedCandidate: 0,
    routingDecision: null,
    keyId: 'key_a',
    projectId: 'proj_1',
    attempts: [],
    ...fields,
  };
}

/** Four requests on gpt-4o-mini 2 minutes ago (one error, one fallback), one elsewhere, one old. */
const traffic: RequestRecord[] = [
  record('r1', minutesAgo(2), { latencyMs: 100, ttftMs: 50 }),
  record('r2', minutesAgo(2), { latencyMs: 200, ttftMs: 60 }),
  record('r3', minutesAgo(2), { latencyMs: 300, ttftMs: 70, servedCandidate: 1 }),
  record('r4', minutesAgo(1), {
    latencyMs: 1000,
    ttftMs: null,
    status: 'upstream_error',
    httpStatus: 502,
    costNanoUsd: null,
    costSource: null,
  }),
  record('r5', minutesAgo(1), { latencyMs: 5000, model: 'anthropic/claude-sonnet-4.5' }),
  record('r6', minutesAgo(120), { latencyMs: 100 }),
];

const rule = (settings: Partial<AlertRuleSettings>): AlertRuleSettings => ({
  name: 'rule',
  metric: 'requests',
  scope: { model: 'openai/gpt-4o-mini' },
  windowMinutes: 60,
  operator: '>',
  threshold: 3,
  channels: [{ type: 'log' }],
  enabled: true,
  ...settings,
});

/** A logger whose lines are kept. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const vault = createVault(keyEncryptionKey(generateKeyEncryptionKey()));

function evaluatorFor(
  database: Database,
  logger = capturedLogger().logger,
  allowlist: readonly string[] = ['127.0.0.1'],
) {
  const repository = createAlertRepository(database);
  const webhooks = createWebhookClient(allowlist, 5_000);
  const dispatcher = createAlertDispatcher({
    repository,
    post: webhooks.post,
    openSecret: (envelope, ruleId) => vault.open(envelope, alertSecretContext(ruleId)),
    logger,
    attempts: 3,
    backoffMs: 10,
  });
  const budgets = createMemoryBudgetStore({
    settledSpend: (scope, since) => createLedgerSpendReader(database).spend(scope, since),
    timeZone: 'UTC',
  });
  const evaluator = createAlertEvaluator({
    repository,
    sources: {
      rollups: createUsageAnalyticsRepository(database),
      budgets,
      budgetOf: (scope) =>
        Promise.resolve(
          scope.id === 'key_a' ? { limitNanoUsd: 4_000_000_000n, period: 'total' } : null,
        ),
    },
    lock: (work) => withAlertEvaluationLock(database, work),
    flush: () => Promise.resolve(),
    dispatcher,
    logger,
  });
  return {
    evaluator,
    repository,
    close: async () => {
      await dispatcher.close();
      await webhooks.close();
    },
  };
}

describe.each(testBackends(postgresUrl))('alert evaluation on $kind', (backend) => {
  let options: DatabaseOptions;
  let database: Database;

  beforeEach(async () => {
    options = await backend.setUp();
    database = await createDatabase(options);
    await createLedgerRepository(database).insertRequests(traffic);
  });

  afterEach(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('reads each metric over the rule’s window and scope', async () => {
    const sources = {
      rollups: createUsageAnalyticsRepository(database),
      budgets: createMemoryBudgetStore({
        settledSpend: (scope, since) => createLedgerSpendReader(database).spend(scope, since),
        timeZone: 'UTC',
      }),
      budgetOf: () => Promise.resolve({ limitNanoUsd: 4_000_000_000n, period: 'total' as const }),
    };
    const read = async (settings: Partial<AlertRuleSettings>) =>
      (
        await readAlertMetric(
          {
            ...rule(settings),
            id: 'alr',
            state: 'ok',
            stateSince: null,
            lastValue: null,
            lastEvaluatedAt: null,
            createdAt: now,
            updatedAt: now,
          },
          now,
          sources,
        )
      ).value;
    expect(await read({ metric: 'requests' })).toBe(4);
    expect(await read({ metric: 'requests', scope: {} })).toBe(5);
    expect(await read({ metric: 'requests', windowMinutes: 180 })).toBe(5);
    expect(await read({ metric: 'error_rate' })).toBe(0.25);
    expect(await read({ metric: 'fallback_rate' })).toBe(0.25);
    expect(await read({ metric: 'spend_usd' })).toBe(3);
    expect(await read({ metric: 'spend_usd', scope: { projectId: 'proj_2' } })).toBe(0);
    expect(await read({ metric: 'error_rate', scope: { projectId: 'proj_2' } })).toBeNull();
    const latency = await read({ metric: 'latency_p95_ms' });
    expect(Math.abs((latency ?? 0) - 1000) / 1000).toBeLessThanOrEqual(0.0477);
    const ttft = await read({ metric: 'ttft_p95_ms' });
    expect(Math.abs((ttft ?? 0) - 70) / 70).toBeLessThanOrEqual(0.0477);
    // Spend of key_a since the start of its `total` budget: r1–r3, r5 and r6 at 1 USD each.
    expect(await read({ metric: 'budget_used_pct', scope: { keyId: 'key_a' } })).toBe(125);
  });

  it('fires once, stays firing, and resolves when the window moves past the traffic', async () => {
    const { logger, lines } = capturedLogger();
    const { evaluator, repository, close } = evaluatorFor(database, logger);
    try {
      await repository.createRule('alr_requests', rule({ name: 'busy' }), now);
      await repository.createRule(
        'alr_budget',
        rule({
          name: 'budget',
          metric: 'budget_used_pct',
          scope: { keyId: 'key_a' },
          threshold: 100,
        }),
        now,
      );
      await repository.createRule('alr_off', rule({ name: 'off', enabled: false }), now);
      const first = await evaluator.evaluate(now);
      await first.delivered;
      expect(first).toMatchObject({ ran: true, rules: 2 });
      expect(first.events.map((event) => [event.ruleId, event.state, event.value])).toEqual([
        ['alr_budget', 'firing', 125],
        ['alr_requests', 'firing', 4],
      ]);
      const warned = lines.filter((line) => line.msg === 'alert firing: busy');
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({
        level: 40,
        alert: { event: 'firing', value: 4, threshold: 3, rule: { id: 'alr_requests' } },
      });

      const again = await evaluator.evaluate(new Date(now.getTime() + 30_000));
      expect(again.events).toEqual([]);
      expect(await repository.getRule('alr_requests')).toMatchObject({
        state: 'firing',
        lastValue: 4,
      });

      const later = await evaluator.evaluate(new Date(now.getTime() + 2 * 3_600_000));
      await later.delivered;
      expect(later.events.map((event) => [event.ruleId, event.state, event.value])).toEqual([
        ['alr_requests', 'resolved', 0],
      ]);
      expect(lines.filter((line) => line.msg === 'alert resolved: busy')).toHaveLength(1);
      const events = await repository.listEvents({
        ruleId: 'alr_requests',
        limit: 10,
        cursor: null,
      });
      expect(events.data.map((event) => event.state)).toEqual(['resolved', 'firing']);
      expect(events.data[0]?.deliveries).toMatchObject([
        { type: 'log', status: 'delivered', attempts: [{ attempt: 1, statusCode: null }] },
      ]);
    } finally {
      await close();
    }
  });
});

describe('a webhook the SSRF guard refuses at connect time', () => {
  it('fails at once, recorded, without retries', async () => {
    const [pglite] = testBackends(null);
    if (pglite === undefined) throw new Error('no PGlite backend');
    const database = await createDatabase(await pglite.setUp());
    // Not allowlisted: as if a host name saved earlier now resolved to a loopback address.
    const { evaluator, repository, close } = evaluatorFor(database, undefined, []);
    try {
      await createLedgerRepository(database).insertRequests(traffic);
      await repository.createRule(
        'alr_hook',
        rule({ channels: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: null }] }),
        now,
      );
      const evaluation = await evaluator.evaluate(now);
      await evaluation.delivered;
      const [event] = (await repository.listEvents({ limit: 1, cursor: null })).data;
      expect(event?.deliveries).toMatchObject([
        {
          status: 'failed',
          attempts: [
            {
              attempt: 1,
              statusCode: null,
              error: expect.stringContaining('ERR_SIGNALBOX_FORBIDDEN_ADDRESS') as unknown,
            },
          ],
        },
      ]);
      expect(event?.deliveries[0]?.attempts).toHaveLength(1);
    } finally {
      await close();
      await database.close();
      await pglite.tearDown();
    }
  });
});

describe.runIf(postgresUrl !== null)('two evaluators on one PostgreSQL database', () => {
  const [, postgres] = testBackends(postgresUrl);
  let receiver: Server;
  let received: string[] = [];
  let databases: Database[] = [];

  beforeEach(async () => {
    received = [];
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(body);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const options = await postgres?.setUp();
    if (options === undefined) throw new Error('no PostgreSQL backend');
    databases = [await createDatabase(options), await createDatabase(options)];
    await createLedgerRepository(databases[0] as Database).insertRequests(traffic);
  });

  afterEach(async () => {
    await Promise.all(databases.map((database) => database.close()));
    await postgres?.tearDown();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers each transition once', async () => {
    const instances = databases.map((database) => evaluatorFor(database));
    const [first] = instances;
    if (first === undefined) throw new Error('no instance');
    try {
      const { port } = receiver.address() as AddressInfo;
      await first.repository.createRule(
        'alr_requests',
        rule({
          channels: [
            { type: 'webhook', url: `http://127.0.0.1:${String(port)}/hook`, secret: null },
          ],
        }),
        now,
      );
      for (let round = 0; round < 5; round += 1) {
        const at = new Date(now.getTime() + round * 1000);
        const evaluations = await Promise.all(
          instances.map(({ evaluator }) => evaluator.evaluate(at)),
        );
        await Promise.all(evaluations.map((evaluation) => evaluation.delivered));
      }
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0] ?? '{}')).toMatchObject({ event: 'firing', value: 4 });
      const events = await first.repository.listEvents({ limit: 10, cursor: null });
      expect(events.data).toHaveLength(1);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});
