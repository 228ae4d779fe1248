/**
 * End to end: alert rules on a demo gateway with a real webhook receiver (node:http on port 0,
 * allowlisted through SIGNALBOX_ALLOWED_PRIVATE_HOSTS). Traffic through the official `openai`
 * client pushes a rule's error rate past its threshold (emulator faults) — the rule fires, the
 * receiver verifies the HMAC signature — then successful traffic brings it back and it resolves;
 * a receiver answering 500 then 200 gets a retry, both attempts visible in the events API; a
 * webhook URL the SSRF guard refuses is a 400; a key's budget use fires a budget rule; secrets
 * never come back (rules, audit log) and survive a vault key rotation.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/alerts/webhook-signature.ts';
import { alertEventSchema, alertRuleSchema } from '../../src/http/admin/alert-schemas.ts';
import { addEmulatorFault, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

const SECRET = 'whsec_e2e_0123456789abcdef';
const MODEL = 'openai/gpt-4o-mini';

let gateway: TestGateway;
let receiver: Server;
let hookUrl = '';
/** What the receiver got, and the statuses it answers next (then 200). */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const answers: number[] = [];

beforeAll(async () => {
  receiver = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      received.push({ headers: incoming.headers, body });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
  gateway = await startGateway({
    SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    SIGNALBOX_ALERTS_INTERVAL_MS: '0',
    SIGNALBOX_ALERTS_WEBHOOK_BACKOFF_MS: '20',
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function admin(method: string, path: string, body?: unknown) {
  const response = await request(`${gateway.url}/admin${path}`, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${gateway.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

async function chat(count: number): Promise<void> {
  const client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < count; index += 1) {
    await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: `alert ${String(index)}` }] })
      .catch(() => undefined);
  }
}

async function evaluate() {
  const evaluation = await gateway.app.alerts.evaluate();
  await evaluation.delivered;
  return evaluation;
}

describe('alerts', () => {
  it('fires past the threshold with a signed webhook, and resolves when the metric comes back', async () => {
    const created = await admin('POST', '/alerts/rules', {
      name: 'gpt-4o-mini errors',
      metric: 'error_rate',
      scope: { model: MODEL },
      window_minutes: 60,
      operator: '>',
      threshold: 0.5,
      channels: [{ type: 'webhook', url: hookUrl, secret: SECRET }, { type: 'log' }],
    });
    expect(created.status).toBe(201);
    const rule = alertRuleSchema.parse(created.body);
    expect(rule.channels[0]).toEqual({ type: 'webhook', url: hookUrl, secret_last4: '…cdef' });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);

    // No traffic yet: no data, nothing fires.
    expect((await evaluate()).events).toEqual([]);

    await addEmulatorFault(gateway.emulatorOrigin, {
      status: 400,
      times: 2,
      match: { model: MODEL },
    });
    await chat(3); // two errors, one success: 0.67
    const firing = await evaluate();
    expect(firing.events.map((event) => [event.state, event.value])).toEqual([['firing', 2 / 3]]);
    expect(received).toHaveLength(1);
    const delivery = received[0];
    if (delivery === undefined) throw new Error('no delivery');
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        body: delivery.body,
        timestamp: delivery.headers['x-signalbox-timestamp'] as string | undefined,
        signature: delivery.headers['x-signalbox-signature'] as string | undefined,
      }),
    ).toBe(true);
    expect(
      verifyWebhookSignature({
        secret: 'another secret',
        body: delivery.body,
        timestamp: delivery.headers['x-signalbox-timestamp'] as string | undefined,
        signature: delivery.headers['x-signalbox-signature'] as string | undefined,
      }),
    ).toBe(false);
    expect(JSON.parse(delivery.body)).toMatchObject({
      event: 'firing',
      rule: {
        id: rule.id,
        name: 'gpt-4o-mini errors',
        metric: 'error_rate',
        scope: { model: MODEL },
      },
      value: 2 / 3,
      threshold: 0.5,
      operator: '>',
      window: { minutes: 60 },
    });

    // A vault key rotation re-wraps the sealed webhook secret with the providers' keys.
    const rotation = await admin('POST', '/vault/rotate');
    expect(rotation.status).toBe(200);
    expect(rotation.body).toMatchObject({ generated: true, rewrapped: 1, secrets: 1 });

    await chat(3); // two errors in six: 0.33
    const resolved = await evaluate();
    expect(resolved.events.map((event) => [event.state, event.value])).toEqual([
      ['resolved', 2 / 6],
    ]);
    const resolvedDelivery = received[1];
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        body: resolvedDelivery?.body ?? '',
        timestamp: resolvedDelivery?.headers['x-signalbox-timestamp'] as string | undefined,
        signature: resolvedDelivery?.headers['x-signalbox-signature'] as string | undefined,
      }),
    ).toBe(true);
    expect(received.map((entry) => (JSON.parse(entry.body) as { event: string }).event)).toEqual([
      'firing',
      'resolved',
    ]);

    const events = await admin('GET', `/alerts/events?rule_id=${rule.id}`);
    expect(events.status).toBe(200);
    const listed = (events.body.data as unknown[]).map((event) => alertEventSchema.parse(event));
    expect(listed.map((event) => event.state)).toEqual(['resolved', 'firing']);
    expect(listed[1]?.deliveries).toMatchObject([
      {
        type: 'webhook',
        status: 'delivered',
        attempts: [{ attempt: 1, status_code: 200, error: null }],
      },
      { type: 'log', status: 'delivered' },
    ]);
    const firingOnly = await admin('GET', `/alerts/events?rule_id=${rule.id}&state=firing`);
    expect((firingOnly.body.data as unknown[]).length).toBe(1);
    expect((await admin('GET', `/alerts/rules/${rule.id}`)).body).toMatchObject({ state: 'ok' });
    expect((await admin('DELETE', `/alerts/rules/${rule.id}`)).status).toBe(200);
  });

  it('retries a webhook answering 500, and records both attempts', async () => {
    received.length = 0;
    answers.push(500);
    const created = await admin('POST', '/alerts/rules', {
      name: 'any traffic',
      metric: 'requests',
      window_minutes: 60,
      operator: '>=',
      threshold: 1,
      channels: [{ type: 'webhook', url: hookUrl }],
    });
    expect(created.status).toBe(201);
    const evaluation = await evaluate();
    expect(evaluation.events).toHaveLength(1);
    expect(received).toHaveLength(2);
    expect(received[0]?.body).toBe(received[1]?.body);
    expect(received[0]?.headers['x-signalbox-signature']).toBeUndefined();
    const events = await admin('GET', `/alerts/events?rule_id=${String(created.body.id)}`);
    const [event] = (events.body.data as unknown[]).map((entry) => alertEventSchema.parse(entry));
    expect(event?.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: [
        { attempt: 1, status_code: 500, error: 'HTTP 500' },
        { attempt: 2, status_code: 200, error: null },
      ],
    });
    expect((await admin('DELETE', `/alerts/rules/${String(created.body.id)}`)).status).toBe(200);
  });

  it('fires on a key’s budget use, read from the budget store', async () => {
    const key = await admin('POST', '/keys', {
      name: 'budgeted',
      role: 'client',
      budget: { limit_usd: 1, period: 'day' },
    });
    expect(key.status).toBe(201);
    const keyId = String(key.body.id);
    const created = await admin('POST', '/alerts/rules', {
      name: 'budget',
      metric: 'budget_used_pct',
      scope: { key_id: keyId },
      operator: '>',
      threshold: 0,
      channels: [{ type: 'log' }],
    });
    expect(created.status).toBe(201);
    expect((await evaluate()).events).toEqual([]);
    const client = new OpenAI({
      apiKey: String(key.body.key),
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
    await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'spend a little' }],
    });
    const firing = await evaluate();
    const spend = (await admin('GET', `/keys/${keyId}`)).body.spend_usd as number;
    expect(spend).toBeGreaterThan(0);
    expect(firing.events).toHaveLength(1);
    expect(firing.events[0]?.value).toBeCloseTo(spend * 100, 6);
    expect((await admin('DELETE', `/alerts/rules/${String(created.body.id)}`)).status).toBe(200);
  });

  it('refuses webhook URLs the SSRF guard refuses, and bad rules', async () => {
    const metadata = await admin('POST', '/alerts/rules', {
      name: 'exfiltrate',
      metric: 'requests',
      operator: '>',
      threshold: 0,
      channels: [
        { type: 'log' },
        { type: 'webhook', url: 'http://169.254.169.254/latest/meta-data' },
      ],
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_request', param: 'channels[1].url' },
    });
    const localhost = await admin('POST', '/alerts/rules', {
      name: 'local',
      metric: 'requests',
      operator: '>',
      threshold: 0,
      channels: [{ type: 'webhook', url: 'http://localhost:9/hook' }],
    });
    expect(localhost.status).toBe(400);
    const budget = await admin('POST', '/alerts/rules', {
      name: 'budget',
      metric: 'budget_used_pct',
      operator: '>',
      threshold: 80,
    });
    expect(budget.body).toMatchObject({ error: { code: 'invalid_request', param: 'scope' } });
    const unknown = await admin('POST', '/alerts/rules', {
      name: 'x',
      metric: 'cpu',
      operator: '>',
      threshold: 1,
    });
    expect(unknown.body).toMatchObject({ error: { code: 'invalid_request', param: 'metric' } });
    expect((await admin('GET', '/alerts/rules/alr_missing')).body).toMatchObject({
      error: { code: 'alert_rule_not_found' },
    });
  });

  it('keeps a webhook secret across a PATCH that omits it, and never shows it', async () => {
    const created = await admin('POST', '/alerts/rules', {
      name: 'spend',
      metric: 'spend_usd',
      operator: '>',
      threshold: 100,
      channels: [{ type: 'webhook', url: hookUrl, secret: SECRET }],
    });
    const id = String(created.body.id);
    const renamed = await admin('PATCH', `/alerts/rules/${id}`, {
      threshold: 50,
      channels: [{ type: 'webhook', url: hookUrl }],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ threshold: 50, channels: [{ secret_last4: '…cdef' }] });
    const cleared = await admin('PATCH', `/alerts/rules/${id}`, {
      channels: [{ type: 'webhook', url: hookUrl, secret: null }],
    });
    expect(cleared.body).toMatchObject({ channels: [{ secret_last4: null }] });
    const hijack = await admin('PATCH', `/alerts/rules/${id}`, {
      channels: [{ type: 'webhook', url: 'http://10.0.0.1/hook' }],
    });
    expect(hijack.status).toBe(400);
    expect((await admin('GET', '/alerts/rules')).body.data).toHaveLength(1);
    expect((await admin('DELETE', `/alerts/rules/${id}`)).status).toBe(200);
    expect((await admin('GET', `/alerts/rules/${id}`)).status).toBe(404);

    const audit = await admin('GET', '/audit?target=alert_rule&limit=200');
    const actions = (audit.body.data as { action: string; target_id: string }[])
      .filter((row) => row.target_id === id)
      .map((row) => row.action);
    expect(actions).toEqual([
      'alerts.rules.delete',
      'alerts.rules.update',
      'alerts.rules.update',
      'alerts.rules.create',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });
});
