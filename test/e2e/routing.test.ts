/**
 * End to end: routing policies through the admin API and the official `openai` client — a policy
 * addressed as `signalbox/<name>` (JSON and stream), the `x-signalbox-route` header, the decision
 * stored with the request, requirement and cost-cap errors, versions and rollback, test against a
 * draft, experiments with per-variant figures and promotion, decision analytics.
 */
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decisionsResponse,
  experimentResponse,
  policyListResponse,
  policyTestResponse,
  policyVersionResponse,
  policyVersionsResponse,
  routingDecisionResponse,
  storedPolicyResponse,
} from '../../src/http/admin/routing-schemas.ts';
import { addEmulatorFault, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startGateway();
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
});

/** The error body every failure has (docs/errors.md). */
const errorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A ledger row as `/admin/requests` shows it (the fields this suite reads). */
const requestRow = z.looseObject({
  id: z.string(),
  model: z.string(),
  status: z.string(),
  http_status: z.number(),
  policy: z
    .object({ name: z.string(), version: z.number().nullable(), variant: z.string().nullable() })
    .nullable(),
  served_candidate: z.number().nullable(),
  routing_decision: routingDecisionResponse.nullable(),
});
const requestPage = z.object({ data: z.array(requestRow), next_cursor: z.string().nullable() });

/**
 * Calls the gateway and checks the answer against `schema` (the admin API's published schemas:
 * a response that does not match them fails the test).
 */
async function call<Schema extends z.ZodType>(
  schema: Schema,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; json: z.output<Schema> }> {
  const response = await request(`${gateway.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${gateway.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await response.body.json();
  return { status: response.statusCode, headers: response.headers, json: schema.parse(json) };
}

const support = {
  name: 'support',
  description: 'Cheap first, a better model as the fallback.',
  candidates: [{ model: 'openai/gpt-4o' }, { model: 'openai/gpt-4o-mini' }],
  strategy: 'cheapest',
  fallbacks: 1,
};

describe('routing policies end to end', () => {
  it('creates a policy and serves signalbox/<name> through the openai client (JSON)', async () => {
    const created = await call(storedPolicyResponse, 'POST', '/admin/routing/policies', support);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ...support, version: 1, updated_by: 'master' });

    const { data, response } = await client.chat.completions
      .create({ model: 'signalbox/support', messages: [{ role: 'user', content: 'Hello!' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(response.headers.get('x-signalbox-route')).toBe(
      'policy=support@1; model=openai/gpt-4o-mini; provider=openrouter',
    );
    const requestId = response.headers.get('x-request-id') ?? '';
    const stored = await call(requestRow, 'GET', `/admin/requests/${requestId}`);
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({
      id: requestId,
      model: 'signalbox/support',
      policy: { name: 'support', version: 1, variant: null },
      served_candidate: 0,
      routing_decision: {
        requested_model: 'signalbox/support',
        selected_model: 'openai/gpt-4o-mini',
        selected_provider: 'openrouter',
        fallback_models: [{ model: 'openai/gpt-4o', provider: 'openrouter' }],
        policy: { name: 'support', version: 1, variant: null },
        strategy: 'cheapest',
      },
    });
    const listed = await call(requestPage, 'GET', '/admin/requests?limit=1');
    expect(listed.json.data[0]?.routing_decision?.selected_model).toBe('openai/gpt-4o-mini');
    expect((await call(errorBody, 'GET', '/admin/requests/req_missing')).status).toBe(404);
  });

  it('streams signalbox/<name> through the openai client', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'signalbox/support',
        messages: [{ role: 'user', content: 'Stream a sentence.' }],
        stream: true,
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/\S/);
    expect(response.headers.get('x-signalbox-route')).toBe(
      'policy=support@1; model=openai/gpt-4o-mini; provider=openrouter',
    );
  });

  it('puts x-signalbox-route on plain models too, and answers an unknown policy 404', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(response.headers.get('x-signalbox-route')).toBe(
      'model=openai/gpt-4o; provider=openrouter',
    );
    const missing = await client.chat.completions
      .create({ model: 'signalbox/nope', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses tools on a catalogued model without tool support (400, not a silent 200)', async () => {
    const refused = await call(errorBody, 'POST', '/v1/chat/completions', {
      model: 'perceptron/perceptron-mk1',
      messages: [{ role: 'user', content: 'Call the tool.' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      tool_choice: 'required',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({
      code: 'unsupported_capability',
      type: 'invalid_request_error',
      param: 'tools',
      metadata: {
        requirements: ['tools'],
        excluded: [
          {
            model: 'perceptron/perceptron-mk1',
            provider: 'openrouter',
            reason_code: 'tools_unsupported',
          },
        ],
      },
    });
    expect(refused.json.error.message).toContain(
      'perceptron/perceptron-mk1 does not support tool calling',
    );
    expect(refused.headers['x-signalbox-route']).toBe(
      'model=perceptron/perceptron-mk1; provider=none',
    );
    // The refused request is in the ledger with its decision.
    const rows = await call(requestPage, 'GET', '/admin/requests?limit=1');
    expect(rows.json.data[0]).toMatchObject({
      status: 'unsupported_capability',
      http_status: 400,
      routing_decision: { selected_model: null, error: { code: 'unsupported_capability' } },
    });
  });

  it('caps the cost per request with x-signalbox-max-cost-usd', async () => {
    const body = {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 1000,
    };
    const refused = await call(errorBody, 'POST', '/v1/chat/completions', body, {
      'x-signalbox-max-cost-usd': '0.001',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('cost_limit_exceeded');
    expect(refused.json.error.message).toContain(
      'openai/gpt-4o on openrouter, may cost up to $0.0100',
    );
    const allowed = await call(z.unknown(), 'POST', '/v1/chat/completions', body, {
      'x-signalbox-max-cost-usd': '0.02',
    });
    expect(allowed.status).toBe(200);
    const bad = await call(errorBody, 'POST', '/v1/chat/completions', body, {
      'x-signalbox-max-cost-usd': 'lots',
    });
    expect(bad.json.error).toMatchObject({
      code: 'invalid_request',
      param: 'x-signalbox-max-cost-usd',
    });
  });

  it('versions every change, lists the versions with their diff, and rolls back', async () => {
    const updated = await call(storedPolicyResponse, 'PUT', '/admin/routing/policies/support', {
      ...support,
      strategy: 'ordered',
    });
    expect(updated.json).toMatchObject({ version: 2, strategy: 'ordered' });
    const { headers } = await client.chat.completions
      .create({ model: 'signalbox/support', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse()
      .then(({ response }) => ({ headers: response.headers }));
    expect(headers.get('x-signalbox-route')).toBe(
      'policy=support@2; model=openai/gpt-4o; provider=openrouter',
    );
    const versions = await call(
      policyVersionsResponse,
      'GET',
      '/admin/routing/policies/support/versions',
    );
    expect(
      versions.json.data.map((entry) => [entry.version, entry.action, entry.created_by]),
    ).toEqual([
      [1, 'create', 'master'],
      [2, 'update', 'master'],
    ]);
    expect(versions.json.data[1]?.diff).toEqual([
      { path: 'strategy', before: 'cheapest', after: 'ordered' },
    ]);
    const rolledBack = await call(
      storedPolicyResponse,
      'POST',
      '/admin/routing/policies/support/rollback',
      {
        version: 1,
      },
    );
    expect(rolledBack.json).toMatchObject({ version: 3, strategy: 'cheapest' });
    expect(
      (await call(storedPolicyResponse, 'GET', '/admin/routing/policies/support')).json.version,
    ).toBe(3);
  });

  it('tests the current version or a draft against sample requests, writing nothing', async () => {
    const before = (await call(requestPage, 'GET', '/admin/requests?limit=200')).json.data.length;
    const current = await call(policyTestResponse, 'POST', '/admin/routing/policies/support/test', {
      requests: [
        { messages: [{ role: 'user', content: 'a' }] },
        { messages: [{ role: 'user', content: 'b' }], provider: { ignore: ['openrouter'] } },
      ],
    });
    expect(current.status).toBe(200);
    expect(current.json.policy).toEqual({ name: 'support', version: 3, draft: false });
    expect(current.json.decisions[0]?.selected_model).toBe('openai/gpt-4o-mini');
    expect(current.json.decisions[1]?.error?.code).toBe('upstream_unavailable');
    const draft = await call(policyTestResponse, 'POST', '/admin/routing/policies/support/test', {
      policy: { ...support, strategy: 'ordered' },
      request: { messages: [{ role: 'user', content: 'a' }] },
    });
    expect(draft.json.policy).toEqual({ name: 'support', version: 4, draft: true });
    expect(draft.json.decisions[0]?.selected_model).toBe('openai/gpt-4o');
    const invalid = await call(errorBody, 'POST', '/admin/routing/policies/support/test', {
      policy: { ...support, strategy: 'nope' },
      request: { messages: [{ role: 'user', content: 'a' }] },
    });
    expect(invalid.json.error).toMatchObject({ code: 'invalid_request', param: 'strategy' });
    expect((await call(requestPage, 'GET', '/admin/requests?limit=200')).json.data.length).toBe(
      before,
    );
    expect(
      (await call(storedPolicyResponse, 'GET', '/admin/routing/policies/support')).json.version,
    ).toBe(3);
  });

  it('runs an experiment: sticky variants, per-variant figures, promotion as a new version', async () => {
    const experiment = {
      name: 'exp',
      candidates: [{ model: 'openai/gpt-4o-mini' }, { model: 'anthropic/claude-3.5-haiku' }],
      strategy: 'cheapest',
      variants: [
        { name: 'control', weight: 50 },
        {
          name: 'haiku',
          weight: 50,
          strategy: 'ordered',
          candidates: [{ model: 'anthropic/claude-3.5-haiku' }],
        },
      ],
    };
    expect(
      (await call(storedPolicyResponse, 'POST', '/admin/routing/policies', experiment)).status,
    ).toBe(201);
    const seen = new Map<string, string>();
    for (let index = 0; index < 24; index += 1) {
      const user = `user-${index % 8}`;
      const { response } = await client.chat.completions
        .create({
          model: 'signalbox/exp',
          safety_identifier: user,
          messages: [{ role: 'user', content: `q${index}` }],
        })
        .withResponse();
      const route = response.headers.get('x-signalbox-route') ?? '';
      const variant = /variant=([^;]+)/.exec(route)?.[1] ?? '';
      // The same user always lands in the same variant.
      if (seen.has(user)) expect(variant).toBe(seen.get(user));
      seen.set(user, variant);
      expect(route).toContain(
        variant === 'haiku' ? 'model=anthropic/claude-3.5-haiku' : 'model=openai/gpt-4o-mini',
      );
    }
    expect(new Set(seen.values())).toEqual(new Set(['control', 'haiku']));
    const figures = await call(experimentResponse, 'GET', '/admin/routing/policies/exp/experiment');
    expect(figures.status).toBe(200);
    const variants = figures.json.variants;
    expect(variants.map((entry) => entry.name).sort()).toEqual(['control', 'haiku']);
    expect(variants.reduce((total, entry) => total + entry.requests, 0)).toBe(24);
    for (const entry of variants) {
      expect(entry.weight).toBe(50);
      expect(entry.error_rate).toBe(0);
      expect(entry.fallback_rate).toBe(0);
      expect(entry.latency_p50_ms).toBeGreaterThanOrEqual(0);
      expect(entry.latency_p95_ms).toBeGreaterThanOrEqual(entry.latency_p50_ms ?? 0);
      expect(entry.cost_nanousd).toBeGreaterThan(0);
    }
    const promoted = await call(
      storedPolicyResponse,
      'POST',
      '/admin/routing/policies/exp/experiment/promote',
      {
        variant: 'haiku',
      },
    );
    expect(promoted.json).toMatchObject({
      version: 2,
      strategy: 'ordered',
      candidates: [{ model: 'anthropic/claude-3.5-haiku' }],
    });
    expect(promoted.json.variants).toBeUndefined();
    const decisions = await call(decisionsResponse, 'GET', '/admin/routing/decisions?policy=exp');
    expect(decisions.json.requests).toBe(24);
    const selected = Object.fromEntries(
      decisions.json.models.map((entry) => [entry.model, entry.selected]),
    );
    expect(
      (selected['openai/gpt-4o-mini'] ?? 0) + (selected['anthropic/claude-3.5-haiku'] ?? 0),
    ).toBe(24);
  });

  it("hands a slow stream to the next target after the policy's ttft_timeout_ms; the header says a fallback served", async () => {
    const hurry = {
      name: 'hurry',
      candidates: [{ model: 'openai/gpt-4o' }, { model: 'openai/gpt-4o-mini' }],
      ttft_timeout_ms: 300,
    };
    expect(
      (await call(storedPolicyResponse, 'POST', '/admin/routing/policies', hurry)).status,
    ).toBe(201);
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      delayBeforeFirstTokenMs: 3000,
      times: 1,
    });
    const started = Date.now();
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'signalbox/hurry',
        messages: [{ role: 'user', content: 'Quick!' }],
        stream: true,
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/\S/);
    // The configured fallback TTFT is 5 s; the policy's 300 ms decided.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(response.headers.get('x-signalbox-route')).toBe(
      'policy=hurry@1; model=openai/gpt-4o-mini; provider=openrouter; fallback=1',
    );
    const stored = await call(
      requestRow,
      'GET',
      `/admin/requests/${response.headers.get('x-request-id') ?? ''}`,
    );
    expect(stored.json.served_candidate).toBe(1);
    expect(stored.json.routing_decision?.selected_model).toBe('openai/gpt-4o');
  });

  it('answers admin errors in the usual shape', async () => {
    expect(
      (await call(errorBody, 'POST', '/admin/routing/policies', support)).json.error.code,
    ).toBe('conflict');
    expect((await call(errorBody, 'GET', '/admin/routing/policies/missing')).json.error.code).toBe(
      'policy_not_found',
    );
    const invalid = await call(errorBody, 'POST', '/admin/routing/policies', {
      name: 'bad',
      candidates: [],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.param).toBe('candidates');
    expect(
      (await call(errorBody, 'GET', '/admin/routing/decisions?from=yesterday')).json.error.param,
    ).toBe('from');
    const deleted = await call(policyVersionResponse, 'DELETE', '/admin/routing/policies/support');
    expect(deleted.json).toMatchObject({ action: 'delete', version: 4, policy: null });
    expect(
      (await call(policyListResponse, 'GET', '/admin/routing/policies')).json.data.map(
        (entry) => entry.name,
      ),
    ).toEqual(['exp', 'hurry']);
    const anonymous = await request(`${gateway.url}/admin/routing/policies`);
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
  });
});
