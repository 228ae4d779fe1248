// Alert rules, events and deliveries against PGlite always and PostgreSQL when
// SIGNALBOX_TEST_DATABASE_URL is set: rule create/read/list/update/delete (scope and channel
// secrets round-trip, sealed secrets re-wrapped for a key rotation), the transition's compare-and-set (a second writer from the same state
// records nothing), delivery attempts appended, events filtered and paged newest first; and on
// PostgreSQL, the evaluation lock refusing a second session while the first holds it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRuleSettings } from '../contracts/alert-rule.ts';
import { createAlertRepository, type AlertRepository } from './alert-repository.ts';
import { withAlertEvaluationLock } from './alert-evaluation-lock.ts';
import { createDatabase, type Database, type DatabaseOptions } from './database.ts';
import { testBackends } from './test-backends.ts';
import { createVault, generateKeyEncryptionKey, keyEncryptionKey } from '../security/vault.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const at = new Date('2026-11-30T12:00:00Z');

const settings: AlertRuleSettings = {
  name: 'errors on gpt-4o',
  metric: 'error_rate',
  scope: { model: 'openai/gpt-4o', projectId: 'proj_1' },
  windowMinutes: 15,
  operator: '>',
  threshold: 0.5,
  channels: [
    {
      type: 'webhook',
      url: 'https://hooks.example.com/a',
      secret: { envelope: 'sbv1.opaque-to-storage', last4: '…1234' },
    },
    { type: 'log' },
  ],
  enabled: true,
};

describe.each(testBackends(postgresUrl))('alert storage on $kind', (backend) => {
  let options: DatabaseOptions;
  let database: Database;
  let alerts: AlertRepository;

  beforeEach(async () => {
    options = await backend.setUp();
    database = await createDatabase(options);
    alerts = createAlertRepository(database);
  });

  afterEach(async () => {
    await database.close();
    await backend.tearDown();
  });

  it('creates, reads, lists, updates and deletes rules', async () => {
    const created = await alerts.createRule('alr_1', settings, at);
    expect(created).toMatchObject({ ...settings, id: 'alr_1', state: 'ok', stateSince: null });
    expect(await alerts.getRule('alr_1')).toEqual(created);
    await alerts.createRule('alr_2', { ...settings, enabled: false, scope: {} }, at);
    expect((await alerts.listRules()).map((rule) => rule.id)).toEqual(['alr_1', 'alr_2']);
    expect((await alerts.listRules({ enabledOnly: true })).map((rule) => rule.id)).toEqual([
      'alr_1',
    ]);
    const changed = await alerts.updateRule(
      'alr_1',
      { threshold: 0.9, channels: [{ type: 'log' }] },
      new Date(at.getTime() + 1000),
    );
    expect(changed?.before.threshold).toBe(0.5);
    expect(changed?.after).toMatchObject({ threshold: 0.9, channels: [{ type: 'log' }] });
    expect(await alerts.updateRule('alr_missing', { threshold: 1 }, at)).toBeNull();
    expect((await alerts.deleteRule('alr_2'))?.id).toBe('alr_2');
    expect(await alerts.deleteRule('alr_2')).toBeNull();
    expect(await alerts.getRule('alr_2')).toBeNull();
  });

  it('records a transition once, with its deliveries, and appends attempts', async () => {
    const rule = await alerts.createRule('alr_1', settings, at);
    const transition = {
      rule,
      from: 'ok' as const,
      to: 'firing' as const,
      value: 0.75,
      windowFrom: new Date(at.getTime() - 15 * 60_000),
      windowTo: at,
      at,
    };
    const [first, second] = await Promise.all([
      alerts.recordTransition(transition),
      alerts.recordTransition(transition),
    ]);
    const recorded = [first, second].filter((event) => event !== null);
    expect(recorded).toHaveLength(1);
    const event = recorded[0];
    expect(event).toMatchObject({
      ruleId: 'alr_1',
      state: 'firing',
      value: 0.75,
      threshold: 0.5,
      scope: settings.scope,
    });
    expect(event?.deliveries.map((delivery) => [delivery.channel, delivery.type])).toEqual([
      [0, 'webhook'],
      [1, 'log'],
    ]);
    expect(await alerts.getRule('alr_1')).toMatchObject({ state: 'firing', lastValue: 0.75 });

    const delivery = event?.deliveries[0];
    if (delivery === undefined) throw new Error('no delivery');
    await alerts.recordAttempt(
      delivery.id,
      { attempt: 1, at, statusCode: 500, error: 'HTTP 500', durationMs: 12 },
      'pending',
    );
    await alerts.recordAttempt(
      delivery.id,
      { attempt: 2, at, statusCode: 200, error: null, durationMs: 8 },
      'delivered',
    );
    const [listed] = (await alerts.listEvents({ limit: 10, cursor: null })).data;
    expect(listed?.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: [
        { attempt: 1, statusCode: 500, error: 'HTTP 500', durationMs: 12 },
        { attempt: 2, statusCode: 200, error: null, durationMs: 8 },
      ],
    });
    expect(listed?.deliveries[1]).toMatchObject({ status: 'pending', attempts: [] });

    const resolved = await alerts.recordTransition({
      ...transition,
      rule: { ...rule, state: 'firing' },
      from: 'firing',
      to: 'resolved',
      value: null,
      at: new Date(at.getTime() + 60_000),
    });
    expect(resolved).toMatchObject({ state: 'resolved', value: null });
    expect(await alerts.getRule('alr_1')).toMatchObject({ state: 'ok', lastValue: null });
  });

  it('re-wraps sealed webhook secrets in place for a key rotation', async () => {
    const oldKey = keyEncryptionKey(generateKeyEncryptionKey());
    const vault = createVault(oldKey);
    const sealed = vault.seal('whsec_rotate_me', 'alert-rule:alr_1');
    await alerts.createRule(
      'alr_1',
      {
        ...settings,
        channels: [
          { type: 'log' },
          {
            type: 'webhook',
            url: 'https://a.example',
            secret: { envelope: sealed, last4: '…e_me' },
          },
          { type: 'webhook', url: 'https://b.example', secret: null },
        ],
      },
      at,
    );
    const rewrap = (envelope: string) =>
      vault.needsRewrap(envelope) ? vault.rewrap(envelope) : null;
    expect(await alerts.rewrapSecrets(rewrap)).toEqual({ rewrapped: 0, secrets: 1 });
    const newKey = generateKeyEncryptionKey();
    vault.rotateTo(keyEncryptionKey(newKey));
    expect(await alerts.rewrapSecrets(rewrap)).toEqual({ rewrapped: 1, secrets: 1 });
    const [, channel] = (await alerts.getRule('alr_1'))?.channels ?? [];
    if (channel?.type !== 'webhook' || channel.secret === null) throw new Error('no secret');
    expect(channel.secret.envelope).not.toBe(sealed);
    expect(channel.secret.last4).toBe('…e_me');
    // Opens without the old key.
    const newOnly = createVault(keyEncryptionKey(newKey));
    expect(newOnly.open(channel.secret.envelope, 'alert-rule:alr_1')).toBe('whsec_rotate_me');
  });

  it('lists events newest first, filtered, in pages', async () => {
    const rule = await alerts.createRule('alr_1', { ...settings, channels: [] }, at);
    const other = await alerts.createRule('alr_2', { ...settings, channels: [] }, at);
    for (let index = 0; index < 5; index += 1) {
      const state = index % 2 === 0 ? 'ok' : 'firing';
      const target = index === 4 ? other : rule;
      await alerts.recordTransition({
        rule: { ...target, state: index === 4 ? 'ok' : state },
        from: index === 4 ? 'ok' : state,
        to: state === 'ok' || index === 4 ? 'firing' : 'resolved',
        value: index,
        windowFrom: at,
        windowTo: at,
        at: new Date(at.getTime() + index * 1000),
      });
    }
    const firstPage = await alerts.listEvents({ limit: 2, cursor: null });
    expect(firstPage.data.map((event) => event.value)).toEqual([4, 3]);
    const secondPage = await alerts.listEvents({ limit: 2, cursor: firstPage.nextCursor });
    expect(secondPage.data.map((event) => event.value)).toEqual([2, 1]);
    const ruleOnly = await alerts.listEvents({
      ruleId: 'alr_1',
      state: 'firing',
      limit: 10,
      cursor: null,
    });
    expect(ruleOnly.data.map((event) => event.value)).toEqual([2, 0]);
    const window = await alerts.listEvents({
      from: new Date(at.getTime() + 1000),
      to: new Date(at.getTime() + 3000),
      limit: 10,
      cursor: null,
    });
    expect(window.data.map((event) => event.value)).toEqual([2, 1]);
    await expect(alerts.listEvents({ limit: 1, cursor: 'nonsense' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('lets one session at a time hold the evaluation lock', async () => {
    if (backend.kind === 'pglite') {
      // One process owns PGlite: the work just runs.
      expect(await withAlertEvaluationLock(database, () => Promise.resolve(7))).toEqual({
        value: 7,
      });
      return;
    }
    const other = await createDatabase(options);
    try {
      const held = Promise.withResolvers<undefined>();
      const inside = Promise.withResolvers<undefined>();
      const first = withAlertEvaluationLock(database, async () => {
        inside.resolve(undefined);
        await held.promise;
        return 'first';
      });
      await inside.promise;
      expect(await withAlertEvaluationLock(other, () => Promise.resolve('second'))).toBeNull();
      held.resolve(undefined);
      expect(await first).toEqual({ value: 'first' });
      // Released with its transaction: the other session gets it now.
      expect(await withAlertEvaluationLock(other, () => Promise.resolve('second'))).toEqual({
        value: 'second',
      });
    } finally {
      await other.close();
    }
  });
});
