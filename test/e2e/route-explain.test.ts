/**
 * `POST /v1/route/explain` predicts the real request: for a mixed workload of 1,000 requests
 * (plain models on direct providers and OpenRouter, routing shortcuts, every strategy, an
 * experiment, a filter policy, `signalbox/auto`; JSON and streams; tools, users, provider
 * preferences) with no upstream failures, the model and provider explain names are exactly what
 * the real request then uses — and explain itself writes nothing to the ledger.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import { routingDecisionResponse } from '../../src/http/admin/routing-schemas.ts';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let emulator: Emulator;
let gateway: TestGateway;

const policies = [
  {
    name: 'cheap',
    candidates: [
      { model: 'openai/gpt-4o' },
      { model: 'anthropic/claude-3.5-haiku' },
      { model: 'google/gemini-2.5-flash' },
    ],
    strategy: 'cheapest',
  },
  {
    name: 'fast',
    candidates: [
      { model: 'openai/gpt-4o-mini', providers: ['openai', 'openrouter'] },
      { model: 'anthropic/claude-3.5-haiku' },
      { model: 'google/gemini-2.5-flash', providers: ['openrouter', 'google'] },
    ],
    strategy: 'fastest',
  },
  {
    name: 'bal',
    candidates: [{ model: 'openai/gpt-4o-mini' }, { model: 'google/gemini-2.5-flash' }],
    strategy: 'balanced',
    cost_weight: 0.3,
  },
  {
    name: 'q',
    candidates: [{ model: 'openai/gpt-4o' }, { model: 'anthropic/claude-sonnet-4.5' }],
    strategy: 'quality',
    quality: { 'anthropic/claude-sonnet-4.5': 0.9, 'openai/gpt-4o': 0.9 },
  },
  {
    name: 'w',
    candidates: [
      { model: 'openai/gpt-4o-mini' },
      { model: 'anthropic/claude-3.5-haiku' },
      { model: 'meta-llama/llama-3.1-8b-instruct' },
    ],
    strategy: 'weighted',
    weights: { 'openai/gpt-4o-mini': 2, 'meta-llama/llama-3.1-8b-instruct': 1 },
  },
  {
    name: 'exp',
    candidates: [{ model: 'openai/gpt-4o-mini' }, { model: 'anthropic/claude-3.5-haiku' }],
    strategy: 'ordered',
    variants: [
      { name: 'a', weight: 70 },
      { name: 'b', weight: 30, strategy: 'weighted' },
    ],
  },
  {
    name: 'openai-tools',
    filter: { supports: ['tools'], include: ['openai/gpt-4o*'], max_prompt_usd_per_mtok: 3 },
    strategy: 'cheapest',
  },
];

const models = [
  'openai/gpt-4o-mini',
  'openai/gpt-4o',
  'anthropic/claude-sonnet-4.5',
  'anthropic/claude-3.5-haiku',
  'google/gemini-2.5-flash',
  'meta-llama/llama-3.1-8b-instruct',
  'openai/gpt-4o:nitro',
  ...policies.map((policy) => `signalbox/${policy.name}`),
  'signalbox/auto',
];
const words = ['route', 'cost', 'budget', 'latency', 'model', 'cache', 'stream', 'token', 'answer'];

/** A deterministic workload (mulberry32), so a failure can be replayed. */
function workload(count: number, seed: number): Record<string, unknown>[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const text = Array.from({ length: 3 + Math.floor(random() * 12) }, () => pick(words)).join(' ');
    const body: Record<string, unknown> = {
      model: pick(models),
      messages: [{ role: 'user', content: `${index}: ${text}` }],
      max_tokens: 50 + Math.floor(random() * 450),
    };
    if (random() < 0.3) body.stream = true;
    if (random() < 0.5) body.user = `user-${Math.floor(random() * 20)}`;
    if (random() < 0.2)
      body.tools = [
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
      ];
    const preference = random();
    if (preference < 0.05) body.provider = { order: ['openrouter'] };
    else if (preference < 0.1) body.provider = { ignore: ['openai', 'google'] };
    return body;
  });
}

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; route: string; requestId: string; text: string }> {
  const response = await request(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const route = response.headers['x-signalbox-route'];
  const requestId = response.headers['x-request-id'];
  return {
    status: response.statusCode,
    route: typeof route === 'string' ? route : '',
    requestId: typeof requestId === 'string' ? requestId : '',
    text: await response.body.text(),
  };
}

beforeAll(async () => {
  emulator = createEmulator();
  const origin = await emulator.listen({ port: 0 });
  gateway = await startGateway(
    {
      OPENROUTER_API_KEY: 'sk-or-v1-explain-test-00000000000',
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      OPENAI_API_KEY: 'sk-openai-explain-test',
      OPENAI_BASE_URL: `${origin}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-explain-test',
      ANTHROPIC_BASE_URL: origin,
      GEMINI_API_KEY: 'gemini-explain-test',
      GEMINI_BASE_URL: origin,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    },
    { emulatorOrigin: origin },
  );
  for (const policy of policies) {
    const created = await post('/admin/routing/policies', policy);
    expect(created.status).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

describe('POST /v1/route/explain', () => {
  it('predicts the model and provider of 1,000 real requests, every time', async () => {
    const bodies = workload(1000, 8);
    // Request id → the prediction (the ledger lists requests of one millisecond by id).
    const predicted = new Map<string, string>();
    const strategies = new Set<string>();
    const providers = new Set<string>();
    for (const [index, body] of bodies.entries()) {
      const explained = await post('/v1/route/explain', body);
      expect(explained.status, explained.text).toBe(200);
      const decision = routingDecisionResponse.parse(JSON.parse(explained.text));
      expect(decision.error, `request ${index}`).toBeNull();
      const prediction = `model=${decision.selected_model ?? ''}; provider=${decision.selected_provider ?? ''}`;
      expect(explained.route.endsWith(prediction)).toBe(true);
      const real = await post('/v1/chat/completions', body);
      expect(real.status, `request ${index}: ${real.text.slice(0, 300)}`).toBe(200);
      // The header names the target that served; a fallback would add "; fallback=n".
      expect(real.route, `request ${index}: ${JSON.stringify(body)}`).toBe(explained.route);
      predicted.set(real.requestId, prediction);
      strategies.add(decision.strategy);
      if (decision.selected_provider !== null) providers.add(decision.selected_provider);
    }
    // The workload really was mixed.
    expect(strategies).toEqual(
      new Set(['ordered', 'cheapest', 'fastest', 'balanced', 'quality', 'weighted']),
    );
    expect(providers).toEqual(new Set(['openrouter', 'openai', 'anthropic', 'google']));

    // Explain wrote nothing: the ledger holds the 1,000 real requests, each with the decision
    // explain predicted.
    const rows = await gatewayLedger(gateway);
    expect(rows).toHaveLength(1000);
    const stored = new Map(
      z
        .array(z.looseObject({ id: z.string(), routing_decision: routingDecisionResponse }))
        .parse(rows)
        .map((row) => [
          row.id,
          `model=${row.routing_decision.selected_model ?? ''}; provider=${row.routing_decision.selected_provider ?? ''}`,
        ]),
    );
    expect(predicted.size).toBe(1000);
    expect(stored).toEqual(predicted);
  }, 600_000);

  it('explains a request that cannot be routed, with the error the real request gets', async () => {
    const body = {
      model: 'perceptron/perceptron-mk1',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    const explained = await post('/v1/route/explain', body);
    expect(explained.status).toBe(200);
    const decision = routingDecisionResponse.parse(JSON.parse(explained.text));
    expect(decision.error?.code).toBe('unsupported_capability');
    expect(decision.excluded[0]?.reason_code).toBe('tools_unsupported');
    const real = await post('/v1/chat/completions', body);
    expect(real.status).toBe(400);
    expect(JSON.parse(real.text)).toMatchObject({ error: { code: 'unsupported_capability' } });
    const invalid = await post('/api/v1/route/explain', { model: 'openai/gpt-4o' });
    expect(invalid.status).toBe(400);
  });
});
