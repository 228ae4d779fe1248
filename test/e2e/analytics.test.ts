/**
 * End to end: the admin analytics API of a demo gateway, driven by the official `openai` client,
 * checked against the ledger (`/admin/requests`) — usage totals per model, the cost split, the
 * performance report's shape — and the reconciliation report against the emulator's billing.
 */
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  costResponse,
  performanceResponse,
  reconciliationResponse,
  usageResponse,
} from '../../src/http/admin/analytics-schemas.ts';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5'];
const started = new Date();

beforeAll(async () => {
  gateway = await startGateway();
  const client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < 8; index += 1) {
    const model = MODELS[index % MODELS.length] ?? '';
    const messages = [{ role: 'user' as const, content: `Analytics request ${String(index)}` }];
    if (index % 2 === 0) {
      await client.chat.completions.create({ model, messages, max_completion_tokens: 40 });
    } else {
      const stream = await client.chat.completions.create({
        model,
        messages,
        max_completion_tokens: 40,
        stream: true,
      });
      let chunks = 0;
      for await (const chunk of stream) chunks += chunk.choices.length;
      expect(chunks).toBeGreaterThan(0);
    }
  }
});

afterAll(async () => {
  await gateway.close();
});

async function get(path: string, key: string | null = gateway.key) {
  const response = await request(`${gateway.url}${path}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.statusCode, body: await response.body.json() };
}

const range = () =>
  `from=${encodeURIComponent(new Date(started.getTime() - 60_000).toISOString())}` +
  `&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;

describe('admin analytics', () => {
  it('answers usage per model equal to the ledger', async () => {
    const ledger = await gatewayLedger(gateway);
    const { status, body } = await get(
      `/admin/analytics/usage?interval=minute&group_by=model&${range()}`,
    );
    expect(status).toBe(200);
    const report = usageResponse.parse(body);
    expect(report.totals.requests).toBe(ledger.length);
    for (const model of MODELS) {
      const rows = ledger.filter((row) => row.model === model);
      const series = report.series.find((entry) => entry.group === model);
      expect(series?.points.reduce((total, point) => total + point.requests, 0)).toBe(rows.length);
      expect(series?.points.reduce((total, point) => total + point.prompt_tokens, 0)).toBe(
        rows.reduce((total, row) => total + (row.usage.prompt_tokens ?? 0), 0),
      );
      const cost = rows.reduce((total, row) => total + BigInt(row.cost_nanousd ?? 0), 0n);
      expect(series?.points.reduce((total, point) => total + BigInt(point.cost_nanousd), 0n)).toBe(
        cost,
      );
    }
  });

  it('splits costs by source and reports performance per model', async () => {
    const ledger = await gatewayLedger(gateway);
    const costs = costResponse.parse(
      (await get(`/admin/analytics/costs?interval=hour&${range()}`)).body,
    );
    expect(costs.totals.by_source.provider.requests).toBe(
      ledger.filter((row) => row.cost_source === 'provider').length,
    );
    const performance = performanceResponse.parse(
      (await get(`/admin/analytics/performance?interval=hour&group_by=model&${range()}`)).body,
    );
    expect(performance.totals.requests).toBe(ledger.length);
    expect(performance.totals.latency_ms_p50).not.toBeNull();
    expect(performance.totals.error_rate).toBe(0);
  });

  it('measures computed costs against the upstream’s own figures', async () => {
    const { status, body } = await get(`/admin/analytics/reconciliation?${range()}`);
    expect(status).toBe(200);
    const report = reconciliationResponse.parse(body);
    expect(report.count + report.skipped).toBe(8);
    expect(report.count).toBeGreaterThan(0);
    // The emulator bills from the catalogue's prices: the computed figures agree within 1 %.
    expect(report.max_relative_error).toBeLessThanOrEqual(0.01);
    expect(report.within_1_percent).toBe(1);
  });

  it('needs an admin credential and refuses a bad query', async () => {
    expect((await get('/admin/analytics/usage', null)).status).toBe(401);
    const bad = await get('/admin/analytics/usage?interval=week');
    expect(bad.status).toBe(400);
    const tooMany = await get(
      `/admin/analytics/usage?interval=minute&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { param: 'from', code: 'invalid_request' } });
  });
});
