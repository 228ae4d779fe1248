/**
 * End to end: `GET /metrics` of a demo gateway after chat traffic through the official `openai`
 * client, parsed with a Prometheus text-format parser: request, token, cost and attempt counters
 * agree with the ledger, histograms are there, labels carry no request ids; the admin key is
 * needed on the main port and not on SIGNALBOX_METRICS_PORT.
 */
import OpenAI from 'openai';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson } from '../helpers/json-call.ts';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

type Json = Record<string, unknown>;

let gateway: TestGateway;
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5'];

beforeAll(async () => {
  gateway = await startGateway({ SIGNALBOX_METRICS_PORT: '0' });
  const client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < 6; index += 1) {
    const stream = await client.chat.completions.create({
      model: MODELS[index % MODELS.length] ?? '',
      messages: [{ role: 'user', content: `Metrics request ${String(index)}` }],
      max_completion_tokens: 30,
      stream: true,
    });
    let chunks = 0;
    for await (const chunk of stream) chunks += chunk.choices.length;
    expect(chunks).toBeGreaterThan(0);
  }
});

afterAll(async () => {
  await gateway.close();
});

async function scrape(url: string, key: string | null) {
  const response = await request(url, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type']),
    text: await response.body.text(),
  };
}

function family(families: PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

function total(found: PrometheusFamily, match: Record<string, string> = {}): number {
  return found.metrics
    .filter((sample) =>
      Object.entries(match).every(([name, value]) => sample.labels?.[name] === value),
    )
    .reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
}

/**
 * Observations of a histogram, from its `_count` lines (the parser keeps only one label set's
 * buckets of a histogram whose `le` label comes first, as prom-client writes it).
 */
function observations(text: string, name: string): number {
  return [...text.matchAll(new RegExp(`^${name}_count(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

describe('GET /metrics', () => {
  it('counts requests, tokens, cost and attempts as the ledger does', async () => {
    // Reading the ledger commits it first: then nothing is left in the journal.
    const ledger = await gatewayLedger(gateway);
    const scraped = await scrape(`${gateway.url}/metrics`, gateway.key);
    expect(scraped.status).toBe(200);
    expect(scraped.contentType).toContain('text/plain');
    const families = parsePrometheusTextFormat(scraped.text);
    expect(ledger).toHaveLength(6);
    const requests = family(families, 'signalbox_requests_total');
    expect(requests.type).toBe('COUNTER');
    for (const model of MODELS)
      expect(total(requests, { model, status: 'success', route: '/v1/chat/completions' })).toBe(
        ledger.filter((row) => row.model === model).length,
      );
    const prompt = ledger.reduce((sum, row) => sum + (row.usage.prompt_tokens ?? 0), 0);
    expect(total(family(families, 'signalbox_tokens_total'), { type: 'prompt' })).toBe(prompt);
    const cost = ledger.reduce((sum, row) => sum + (row.cost_nanousd ?? 0), 0) / 1e9;
    expect(total(family(families, 'signalbox_cost_usd_total'))).toBeCloseTo(cost, 9);
    expect(total(family(families, 'signalbox_upstream_attempts_total'))).toBe(
      ledger.reduce((sum, row) => sum + row.attempts.length, 0),
    );
    const latency = family(families, 'signalbox_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    expect(observations(scraped.text, 'signalbox_request_duration_seconds')).toBe(6);
    expect(family(families, 'signalbox_time_to_first_token_seconds').type).toBe('HISTOGRAM');
    expect(total(family(families, 'signalbox_circuit_state'), { provider: 'openrouter' })).toBe(0);
    expect(family(families, 'signalbox_ledger_flush_duration_seconds').type).toBe('HISTOGRAM');
    expect(total(family(families, 'signalbox_ledger_backlog_records'))).toBe(0);
    expect(family(families, 'process_cpu_seconds_total').type).toBe('COUNTER');
    const http = family(families, 'signalbox_http_requests_total');
    expect(total(http, { route: '/v1/chat/completions', status_code: '200' })).toBe(6);
    // Bounded labels: no request id, no URL with a query anywhere.
    for (const row of ledger) expect(scraped.text).not.toContain(row.id);
  });

  it('counts rate-limit rejections and shows the use of a budget', async () => {
    const post = async (path: string, body: unknown, key: string) => {
      const answer = await callJson(gateway, 'POST', path, body, key);
      return { status: answer.status, body: answer.body as Json };
    };
    const created = await post(
      '/admin/keys',
      { name: 'metered', rpm: 1, budget: { limit_usd: 1, period: 'day' } },
      gateway.key,
    );
    expect(created.status).toBe(201);
    const key = String(created.body.key);
    const chat = { model: MODELS[0], messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 };
    expect((await post('/v1/chat/completions', chat, key)).status).toBe(200);
    expect((await post('/v1/chat/completions', chat, key)).status).toBe(429);
    await expect
      .poll(async () => {
        const families = parsePrometheusTextFormat(
          (await scrape(`${gateway.url}/metrics`, gateway.key)).text,
        );
        return {
          rejected: total(family(families, 'signalbox_rate_limit_rejections_total'), {
            limit: 'rpm',
          }),
          used: total(family(families, 'signalbox_budget_used_ratio'), { scope: 'key' }),
        };
      })
      .toMatchObject({ rejected: 1, used: expect.any(Number) as number });
    const families = parsePrometheusTextFormat(
      (await scrape(`${gateway.url}/metrics`, gateway.key)).text,
    );
    const used = total(family(families, 'signalbox_budget_used_ratio'), { scope: 'key' });
    // One small request of a $1 budget: spent, and far from all of it.
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThan(0.01);
  });

  it('needs an admin key on the main port, none on the metrics port', async () => {
    expect((await scrape(`${gateway.url}/metrics`, null)).status).toBe(401);
    expect((await scrape(`${gateway.url}/metrics`, 'sb-wrong-key-000000000000')).status).toBe(401);
    const port = gateway.app.metricsPort;
    expect(port).not.toBeNull();
    const open = await scrape(`http://127.0.0.1:${String(port)}/metrics`, null);
    expect(open.status).toBe(200);
    expect(parsePrometheusTextFormat(open.text).length).toBeGreaterThan(10);
  });
});
