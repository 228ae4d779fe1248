/**
 * End to end: recommendations from real traffic on a demo gateway. A virtual key sends tool
 * calls to openai/gpt-4o through the official `openai` client; `GET /admin/recommendations`
 * proposes only cheaper catalogue models with tool calling, its figures agree with the ledger,
 * and `POST /admin/recommendations/{id}/experiment` turns one into a policy with `control` and
 * `candidate` variants — audited — whose traffic the existing experiment report then measures.
 */
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentResponse } from '../../src/http/admin/routing-schemas.ts';
import {
  experimentResultResponse,
  recommendationsResponse,
} from '../../src/http/admin/recommendation-schemas.ts';
import type { ModelInfo } from '../../src/contracts/model-info.ts';
import { aggregateCostNanoUsd } from '../../src/pricing/cost.ts';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

type Json = Record<string, unknown>;

let gateway: TestGateway;
let keyId = '';
let clientKey = '';
const MODEL = 'openai/gpt-4o';
const TRAFFIC = 6;
const tools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
    },
  },
];

async function call(method: string, path: string, body?: unknown, key = gateway.key) {
  const response = await request(`${gateway.url}${path}`, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Json };
}

beforeAll(async () => {
  gateway = await startGateway();
  const created = await call('POST', '/admin/keys', { name: 'recs' });
  expect(created.status).toBe(201);
  keyId = String(created.body.id);
  clientKey = String(created.body.key);
  const client = new OpenAI({ apiKey: clientKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < TRAFFIC; index += 1) {
    await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `What is the weather in city ${String(index)}?` }],
      tools,
      max_completion_tokens: 60,
    });
  }
});

afterAll(async () => {
  await gateway.close();
});

async function catalogueModel(id: string): Promise<ModelInfo> {
  const response = await call('GET', `/v1/models/${id}`);
  expect(response.status).toBe(200);
  return response.body as unknown as ModelInfo;
}

describe('recommendations from real traffic', () => {
  it('proposes only cheaper models with tool calling, with the ledger’s figures', async () => {
    const { status, body } = await call(
      'GET',
      `/admin/recommendations?min_requests=${String(TRAFFIC)}&per_model=10`,
    );
    expect(status).toBe(200);
    const report = recommendationsResponse.parse(body);
    const mine = report.recommendations.filter((entry) => entry.scope.key_id === keyId);
    expect(mine.length).toBeGreaterThan(0);

    const rows = (await gatewayLedger(gateway)).filter((row) => row.model === MODEL);
    expect(rows).toHaveLength(TRAFFIC);
    const prompt = rows.reduce((total, row) => total + (row.usage.prompt_tokens ?? 0), 0);
    const completion = rows.reduce((total, row) => total + (row.usage.completion_tokens ?? 0), 0);
    const ledgerCost = rows.reduce((total, row) => total + BigInt(row.cost_nanousd ?? 0), 0n);
    const maxPrompt = Math.max(...rows.map((row) => row.usage.prompt_tokens ?? 0));

    for (const entry of mine) {
      expect(entry).toMatchObject({
        scope: { key_id: keyId, project_id: null },
        current_model: MODEL,
        requests: TRAFFIC,
        requirements: {
          tools: true,
          structured_output: false,
          image_input: false,
          reasoning: false,
          max_prompt_tokens: maxPrompt,
        },
        current_cost_usd: Number(ledgerCost) / 1e9,
      });
      const alternative = await catalogueModel(entry.alternative.model);
      expect(alternative.supported_parameters).toContain('tools');
      const projected = aggregateCostNanoUsd(
        { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        alternative.pricing,
        TRAFFIC,
        maxPrompt,
      );
      expect(entry.alternative.projected_cost_usd).toBe(Number(projected) / 1e9);
      expect(entry.alternative.saving_usd).toBe(Number(ledgerCost - (projected ?? 0n)) / 1e9);
      expect(entry.alternative.saving_usd).toBeGreaterThan(0);
      expect(entry.alternative.observed.requests).toBe(0);
      expect(entry.alternative.observed.latency_p50_ms).toBeNull();
    }
    // Largest saving first.
    const savings = report.recommendations.map((entry) => entry.alternative.saving_usd);
    expect(savings).toEqual([...savings].sort((left, right) => right - left));
  });

  it('turns a recommendation into a measured experiment, audited', async () => {
    const report = recommendationsResponse.parse(
      (await call('GET', `/admin/recommendations?min_requests=${String(TRAFFIC)}&per_model=1`))
        .body,
    );
    const chosen = report.recommendations.find((entry) => entry.scope.key_id === keyId);
    expect(chosen).toBeDefined();
    const id = chosen?.id ?? '';

    const started = await call('POST', `/admin/recommendations/${id}/experiment`, {
      traffic_pct: 50,
      policy: 'gpt4o-trial',
    });
    expect(started.status).toBe(200);
    const result = experimentResultResponse.parse(started.body);
    expect(result).toMatchObject({
      recommendation_id: id,
      model: 'signalbox/gpt4o-trial',
      traffic_pct: 50,
      results_path: '/admin/routing/policies/gpt4o-trial/experiment',
      policy: {
        name: 'gpt4o-trial',
        version: 1,
        variants: [
          { name: 'control', weight: 50, candidates: [{ model: MODEL }] },
          {
            name: 'candidate',
            weight: 50,
            candidates: [{ model: chosen?.alternative.model }, { model: MODEL }],
          },
        ],
      },
    });

    // A second call replaces the policy: a new version.
    const again = await call('POST', `/admin/recommendations/${id}/experiment`, {
      traffic_pct: 40,
      policy: 'gpt4o-trial',
    });
    expect(again.status).toBe(200);
    expect(experimentResultResponse.parse(again.body).policy.version).toBe(2);

    const audit = await call('GET', '/admin/audit?limit=50');
    const rows = (audit.body.data as Json[]).filter(
      (row) => row.action === 'recommendations.experiment',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      target_type: 'recommendation',
      target_id: id,
      after: { policy: 'gpt4o-trial', version: 2, traffic_pct: 40 },
    });

    // Traffic through the policy, one sticky user per request: both variants get some.
    const client = new OpenAI({ apiKey: clientKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    for (let index = 0; index < 24; index += 1) {
      await client.chat.completions.create({
        model: 'signalbox/gpt4o-trial',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools,
        safety_identifier: `user-${String(index)}`,
        max_completion_tokens: 30,
      });
    }
    const measured = experimentResponse.parse((await call('GET', result.results_path)).body);
    const byName = new Map(measured.variants.map((variant) => [variant.name, variant]));
    expect((byName.get('control')?.requests ?? 0) + (byName.get('candidate')?.requests ?? 0)).toBe(
      24,
    );
    expect(byName.get('candidate')?.requests).toBeGreaterThan(0);
    expect(byName.get('control')?.requests).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown recommendation and refuses a bad body', async () => {
    const missing = await call('POST', '/admin/recommendations/rec_0000/experiment', {});
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'recommendation_not_found' } });
    const bad = await call('POST', '/admin/recommendations/rec_0000/experiment', {
      traffic_pct: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { param: 'traffic_pct' } });
  });
});
