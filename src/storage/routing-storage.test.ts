// Routing in the database, on PGlite always and on PostgreSQL when SIGNALBOX_TEST_DATABASE_URL
// is set: policy versions (who, when, diff), rollback, promote, conflicts; the decision stored
// with the request; experiment and decision analytics read back from the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import {
  compactRoutingDecision,
  expandRoutingDecision,
  type RoutingDecision,
} from '../contracts/routing-decision.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { createPolicyCache } from '../routing/policy-cache.ts';
import { createPolicyService } from '../routing/policy-service.ts';
import { plan, testModel, testRoutingContext } from '../routing/routing-test-context.ts';
import { createRoutingCatalog } from '../routing/routing-catalog.ts';
import { createDatabase, type Database } from './database.ts';
import { createLedgerRepository } from './ledger-repository.ts';
import { createRoutingAnalyticsRepository } from './routing-analytics-repository.ts';
import { createRoutingPolicyRepository } from './routing-policy-repository.ts';
import { testBackends } from './test-backends.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const master = { keyId: 'master' };
const support = {
  name: 'support',
  candidates: [{ model: 'openai/gpt-4o-mini' }, { model: 'anthropic/claude-3.5-haiku' }],
  strategy: 'cheapest',
  variants: [
    { name: 'a', weight: 90 },
    { name: 'b', weight: 10, strategy: 'fastest' },
  ],
};

async function refusal(promise: Promise<unknown>): Promise<SignalboxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignalboxError) return error;
    throw error;
  }
  throw new Error('expected a SignalboxError');
}

// acme/b has no JSON mode: every decision below excludes it (json_mode_unsupported).
const catalog = createRoutingCatalog([
  testModel('acme/a'),
  testModel('acme/b', { prompt: 5, parameters: ['tools'] }),
]);
const decisionContext = testRoutingContext({
  catalog,
  policies: [
    {
      name: 'exp',
      candidates: [{ model: 'acme/a' }, { model: 'acme/b' }, { model: 'acme/c' }],
      variants: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ],
    },
  ],
});

function decisionFor(user: string): RoutingDecision {
  return plan(decisionContext, {
    model: 'signalbox/exp',
    user,
    tools: [{ type: 'function', function: { name: 'f' } }],
    response_format: { type: 'json_object' },
  }).decision;
}

function record(
  id: string,
  decision: RoutingDecision,
  fields: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    id,
    createdAt: new Date('2026-06-01T10:00:00.000Z'),
    model: 'signalbox/exp',
    provider: 'openrouter',
    servedModel: 'acme/a',
    status: 'success',
    httpStatus: 200,
    stream: false,
    generationId: null,
    promptTokens: 10,
    completionTokens: 10,
    reasoningTokens: null,
    cachedTokens: null,
    latencyMs: 100,
    ttftMs: 40,
    costNanoUsd: 1000n,
    costSource: 'computed',
    policy: decision.policy?.name ?? null,
    policyVersion: decision.policy?.version ?? null,
    policyVariant: decision.policy?.variant ?? null,
    servedCandidate: 0,
    routingDecision: compactRoutingDecision(decision),
    keyId: null,
    projectId: null,
    queueWaitMs: null,
    requiredFeatures: null,
    attempts: [],
    ...fields,
  };
}

describe.each(testBackends(postgresUrl))('routing storage on $kind', (backend) => {
  let database: Database;

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
  });

  afterAll(async () => {
    try {
      await database.close();
    } finally {
      await backend.tearDown();
    }
  });

  it('versions every change with who, when and the diff; rolls back and promotes as new versions', async () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const repository = createRoutingPolicyRepository(database);
    const service = createPolicyService({ repository, now: () => new Date((clock += 1000)) });
    const created = await service.create(support, master);
    expect(created).toMatchObject({ name: 'support', version: 1, updatedBy: 'master' });
    expect((await refusal(service.create(support, master))).code).toBe('conflict');

    const updated = await service.update('support', { ...support, strategy: 'ordered' }, master);
    expect(updated.version).toBe(2);
    // Nothing changed: no new version.
    expect((await service.update('support', updated.policy, master)).version).toBe(2);
    expect(
      (await refusal(service.update('support', { ...support, name: 'other' }, master))).param,
    ).toBe('name');
    expect((await refusal(service.update('missing', support, master))).code).toBe(
      'policy_not_found',
    );

    const restored = await service.rollback('support', 1, master);
    expect(restored.version).toBe(3);
    expect(restored.policy).toEqual(created.policy);
    const promoted = await service.promote('support', 'b', master);
    expect(promoted.version).toBe(4);
    expect(promoted.policy).toEqual({
      name: 'support',
      candidates: support.candidates,
      strategy: 'fastest',
    });

    const removed = await service.remove('support', master);
    expect(removed).toMatchObject({ version: 5, action: 'delete', policy: null });
    expect((await refusal(service.get('support'))).code).toBe('policy_not_found');
    // The history survives the deletion; a new policy of that name continues it.
    expect((await service.create(support, master)).version).toBe(6);

    const history = await service.versions('support');
    expect(history.map((entry) => [entry.version, entry.action, entry.note])).toEqual([
      [1, 'create', null],
      [2, 'update', null],
      [3, 'rollback', 'restored version 1'],
      [4, 'promote', 'promoted variant b'],
      [5, 'delete', null],
      [6, 'create', null],
    ]);
    expect(history[1]?.diff).toEqual([{ path: 'strategy', before: 'cheapest', after: 'ordered' }]);
    expect(history.every((entry) => entry.createdBy === 'master')).toBe(true);
    expect(history[0]?.createdAt.toISOString()).toBe('2026-06-01T00:00:01.000Z');
    expect((await refusal(service.rollback('support', 5, master))).code).toBe('invalid_request');
  });

  it('refuses a change computed against a version that is no longer current', async () => {
    const repository = createRoutingPolicyRepository(database);
    const service = createPolicyService({ repository });
    await service.create({ ...support, name: 'race' }, master);
    const stale = await repository.get('race');
    await service.update('race', { ...support, name: 'race', strategy: 'ordered' }, master);
    const conflict = await refusal(
      repository.commit({
        name: 'race',
        action: 'update',
        policy: { ...support, name: 'race', strategy: 'quality' } as never,
        diff: [],
        actor: 'master',
        note: null,
        at: new Date(),
        expectedVersion: stale?.version ?? null,
      }),
    );
    expect(conflict.code).toBe('conflict');
    expect((await repository.get('race'))?.policy.strategy).toBe('ordered');
  });

  it('feeds the request path: the cache follows changes, the built-in auto stays', async () => {
    const repository = createRoutingPolicyRepository(database);
    const cache = createPolicyCache(repository);
    await cache.reload();
    expect(cache.get('race')?.version).toBe(2);
    expect(cache.get('auto')?.version).toBe(0);
    const other = createPolicyService({ repository });
    await other.update('race', { ...support, name: 'race', strategy: 'quality' }, master);
    await cache.refresh();
    expect(cache.get('race')?.version).toBe(3);
  });

  it('stores the decision with the request and reads it back', async () => {
    const ledger = createLedgerRepository(database);
    const decision = decisionFor('user-1');
    decision.reasoning.push('quotes " and \\ backslashes, newline\n, unicode é 🚦');
    await ledger.insertRequests([record('req-decision', decision, { servedCandidate: 1 })]);
    const stored = await ledger.getRequest('req-decision');
    const kept = stored?.routingDecision ?? null;
    expect(kept === null ? null : expandRoutingDecision(kept)).toEqual(decision);
    // Stored without its empty fields: a third smaller.
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(decision).length);
    expect(kept).not.toHaveProperty('provider_preferences');
    expect(stored).toMatchObject({
      policy: 'exp',
      policyVersion: 1,
      policyVariant: decision.policy?.variant,
      servedCandidate: 1,
    });
  });

  it('reports per-variant experiment figures and decision counts from the ledger', async () => {
    const ledger = createLedgerRepository(database);
    const analytics = createRoutingAnalyticsRepository(database);
    const byVariant = new Map<string, RoutingDecision>();
    for (let index = 0; byVariant.size < 2; index += 1) {
      const decision = decisionFor(`user-${index}`);
      byVariant.set(decision.policy?.variant ?? '', decision);
    }
    const a = byVariant.get('a') as RoutingDecision;
    const b = byVariant.get('b') as RoutingDecision;
    const at = (minute: number) => new Date(Date.parse('2026-06-02T00:00:00Z') + minute * 60_000);
    await ledger.insertRequests([
      record('exp-a1', a, { createdAt: at(1), latencyMs: 100, ttftMs: 10, costNanoUsd: 1000n }),
      record('exp-a2', a, {
        createdAt: at(2),
        latencyMs: 200,
        ttftMs: 30,
        costNanoUsd: 3000n,
        servedCandidate: 1,
      }),
      record('exp-a3', a, {
        createdAt: at(3),
        status: 'upstream_error',
        httpStatus: 502,
        servedCandidate: null,
        costNanoUsd: null,
      }),
      record('exp-b1', b, { createdAt: at(4), latencyMs: 50, ttftMs: 5, costNanoUsd: 500n }),
      record('exp-old', b, { createdAt: new Date('2026-05-01T00:00:00Z') }),
    ]);
    const range = { from: new Date('2026-06-02T00:00:00Z'), to: null };
    const figures = await analytics.experiment('exp', range);
    expect(figures).toEqual([
      {
        variant: 'a',
        requests: 3,
        costNanoUsd: 4000n,
        latencyP50Ms: 150,
        latencyP95Ms: 195,
        ttftP50Ms: 20,
        errorRate: 1 / 3,
        fallbackRate: 0.5,
      },
      {
        variant: 'b',
        requests: 1,
        costNanoUsd: 500n,
        latencyP50Ms: 50,
        latencyP95Ms: 50,
        ttftP50Ms: 5,
        errorRate: 0,
        fallbackRate: 0,
      },
    ]);
    const decisions = await analytics.decisions('exp', range);
    expect(decisions.requests).toBe(4);
    expect(decisions.excludedByReason).toEqual({ json_mode_unsupported: 4 });
    expect(decisions.models.get('acme/a')).toEqual({ selected: 4, fallenBackTo: 0, excluded: {} });
    expect(decisions.models.get('acme/b')).toEqual({
      selected: 0,
      fallenBackTo: 0,
      excluded: { json_mode_unsupported: 4 },
    });
    // acme/c is uncatalogued (it passes every requirement) and the first fallback.
    expect(a.fallback_models[0]?.model).toBe('acme/c');
    expect(decisions.models.get('acme/c')?.fallenBackTo).toBe(1);
    // Without a policy filter: every request with a decision, the old one included.
    expect((await analytics.decisions(null, { from: null, to: null })).requests).toBe(6);
  });
});
