// Recommendations on a synthetic traffic mix written to the ledger, on PGlite always and
// PostgreSQL when SIGNALBOX_TEST_DATABASE_URL is set: each workload gets exactly the cheaper
// models that support what it used (tools, structured outputs, image input, reasoning, its
// largest prompt + completion), the saving is the exact nano-USD of its summed token counts at
// the alternative's price, rows from before `required_features` are read from their stored
// decision, and the alternative's observed figures come from the rollups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../contracts/ledger.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { HISTOGRAM_RELATIVE_ERROR } from '../lib/log-histogram.ts';
import { createRoutingCatalog, Feature } from '../routing/routing-catalog.ts';
import {
  createDatabase,
  createLedgerRepository,
  createTrafficProfileRepository,
  type Database,
} from '../storage/index.ts';
import { testBackends } from '../storage/test-backends.ts';
import {
  FEATURE_NAMES,
  findRecommendation,
  recommendationsOver,
  type RecommendationSources,
} from './recommendation-report.ts';
import { recommendationId, type Recommendation } from './recommendations.ts';

const postgresUrl = process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const NOW = Date.parse('2026-07-31T00:00:00.000Z');
const DAY = 86_400_000;

/** A catalogue entry: prices in USD per token (decimal strings), what it supports. */
function model(
  id: string,
  prompt: string,
  completion: string,
  options: { parameters?: string[]; inputs?: string[]; context?: number; request?: string } = {},
): ModelInfo {
  return {
    id,
    name: id,
    created: 1_700_000_000,
    context_length: options.context ?? 128_000,
    architecture: {
      input_modalities: options.inputs ?? ['text'],
      output_modalities: ['text'],
    },
    pricing: {
      prompt,
      completion,
      ...(options.request === undefined ? {} : { request: options.request }),
    },
    top_provider: { max_completion_tokens: 16_000 },
    per_request_limits: null,
    supported_parameters: options.parameters ?? [],
  };
}

const TOOLS = ['tools', 'tool_choice'];
// Per token: 1e-6 USD = 1 000 nano-USD.
const CATALOG: ModelInfo[] = [
  model('acme/big', '0.00001', '0.00003', {
    parameters: [...TOOLS, 'structured_outputs', 'response_format', 'reasoning'],
    inputs: ['text', 'image'],
    context: 400_000,
  }),
  model('acme/mid-tools', '0.000001', '0.000002', { parameters: TOOLS, context: 128_000 }),
  model('acme/cheap-text', '0.0000001', '0.0000002'),
  model('acme/short-tools', '0.0000005', '0.000001', { parameters: TOOLS, context: 8_000 }),
  model('acme/vision-tools', '0.000002', '0.000004', {
    parameters: [...TOOLS, 'structured_outputs', 'response_format'],
    inputs: ['text', 'image'],
  }),
  model('acme/thinker', '0.000003', '0.000005', {
    parameters: ['reasoning', 'include_reasoning'],
  }),
  model('acme/per-request', '0.0000001', '0.0000001', { request: '0.001' }),
  model('acme/pricey', '0.0001', '0.0003', { parameters: TOOLS }),
  model('acme/cheap-text:free', '0', '0'),
  model('openrouter/auto', '-1', '-1', { parameters: TOOLS }),
];

interface Workload {
  key: string;
  model: string;
  count: number;
  features: number | null;
  prompt: (index: number) => number;
  completion: number;
  reasoning?: number;
  /** The stored decision's requirement names, for rows from before `required_features`. */
  decisionRequirements?: string[];
}

const WORKLOADS: Workload[] = [
  {
    key: 'key_tools',
    model: 'acme/big',
    count: 30,
    features: Feature.tools,
    prompt: (i) => 1000 + i,
    completion: 200,
  },
  {
    key: 'key_text',
    model: 'acme/big',
    count: 25,
    features: 0,
    prompt: (i) => 500 + 2 * i,
    completion: 100,
  },
  // One long prompt: only models whose context holds 50 000 + 300 tokens.
  {
    key: 'key_long',
    model: 'acme/big',
    count: 20,
    features: Feature.tools,
    prompt: (i) => (i === 7 ? 50_000 : 400),
    completion: 300,
  },
  {
    key: 'key_image',
    model: 'acme/big',
    count: 20,
    features: Feature.image | Feature.structuredOutputs,
    prompt: () => 800,
    completion: 50,
  },
  // No reasoning asked for, but the answers carried reasoning tokens.
  {
    key: 'key_reasoning',
    model: 'acme/big',
    count: 20,
    features: 0,
    prompt: () => 300,
    completion: 400,
    reasoning: 120,
  },
  // Written before the column: the decision says `tools`.
  {
    key: 'key_legacy',
    model: 'acme/big',
    count: 20,
    features: null,
    prompt: () => 700,
    completion: 70,
    decisionRequirements: ['tools'],
  },
  // Too few requests.
  {
    key: 'key_quiet',
    model: 'acme/big',
    count: 5,
    features: 0,
    prompt: () => 1000,
    completion: 100,
  },
];

/** The ledger's cost of a row on acme/big (10 000 and 30 000 nano-USD per token). */
const bigCost = (prompt: number, completion: number) =>
  BigInt(prompt) * 10_000n + BigInt(completion) * 30_000n;

function row(id: string, at: number, fields: Partial<RequestRecord>): RequestRecord {
  return {
    id,
    createdAt: new Date(at),
    model: 'acme/big',
    provider: 'openrouter',
    servedModel: null,
    status: 'success',
    httpStatus: 200,
    stream: false,
    generationId: null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    latencyMs: 100,
    ttftMs: null,
    costNanoUsd: null,
    costSource: null,
    policy: null,
    policyVersion: null,
    policyVariant: null,
    servedCandidate: 0,
    routingDecision: null,
    keyId: null,
    projectId: null,
    queueWaitMs: null,
    requiredFeatures: null,
    attempts: [],
    ...fields,
  };
}

function ledgerRows(): RequestRecord[] {
  const rows: RequestRecord[] = [];
  for (const workload of WORKLOADS) {
    for (let index = 0; index < workload.count; index += 1) {
      const prompt = workload.prompt(index);
      rows.push(
        row(`${workload.key}-${String(index)}`, NOW - 2 * DAY - index * 60_000, {
          model: workload.model,
          keyId: workload.key,
          projectId: 'proj_1',
          promptTokens: prompt,
          completionTokens: workload.completion,
          reasoningTokens: workload.reasoning ?? 0,
          cachedTokens: 0,
          costNanoUsd: bigCost(prompt, workload.completion),
          costSource: 'provider',
          requiredFeatures: workload.features,
          routingDecision:
            workload.decisionRequirements === undefined
              ? null
              : { requested_model: workload.model, requirements: workload.decisionRequirements },
        }),
      );
    }
  }
  // Traffic before the period never counts.
  rows.push(
    row('old-0', NOW - 40 * DAY, {
      keyId: 'key_text',
      projectId: 'proj_1',
      promptTokens: 9_000_000,
      completionTokens: 1,
      costNanoUsd: 1n,
      requiredFeatures: 0,
    }),
  );
  // The alternative's own traffic: 10 requests, one failed, latencies 100..1000 ms.
  for (let index = 0; index < 10; index += 1)
    rows.push(
      row(`mid-${String(index)}`, NOW - DAY - index * 60_000, {
        model: 'acme/mid-tools',
        keyId: 'key_other',
        status: index === 0 ? 'upstream_error' : 'success',
        httpStatus: index === 0 ? 502 : 200,
        latencyMs: 100 * (index + 1),
        promptTokens: 10,
        completionTokens: 10,
        requiredFeatures: 0,
      }),
    );
  // Policy traffic is routing's choice already: never a current model.
  for (let index = 0; index < 30; index += 1)
    rows.push(
      row(`policy-${String(index)}`, NOW - DAY, {
        model: 'signalbox/auto',
        keyId: 'key_policy',
        promptTokens: 1000,
        completionTokens: 1000,
        costNanoUsd: 1_000_000_000n,
        requiredFeatures: 0,
      }),
    );
  return rows;
}

/** Summed tokens of a workload, and its ledger cost. */
function totals(workload: Workload) {
  let prompt = 0n;
  let cost = 0n;
  for (let index = 0; index < workload.count; index += 1) {
    prompt += BigInt(workload.prompt(index));
    cost += bigCost(workload.prompt(index), workload.completion);
  }
  return { prompt, completion: BigInt(workload.completion * workload.count), cost };
}

const workload = (key: string): Workload => {
  const found = WORKLOADS.find((entry) => entry.key === key);
  if (found === undefined) throw new Error(key);
  return found;
};

describe.each(testBackends(postgresUrl))('recommendations on $kind', (backend) => {
  let database: Database;
  let sources: RecommendationSources;
  let all: Recommendation[];
  const catalog = createRoutingCatalog(CATALOG);
  const byId = new Map(CATALOG.map((entry) => [entry.id, entry]));

  beforeAll(async () => {
    database = await createDatabase(await backend.setUp());
    await createLedgerRepository(database).insertRequests(ledgerRows());
    sources = {
      profiles: createTrafficProfileRepository(database, FEATURE_NAMES),
      catalog: () => catalog,
      lookupModel: (id) => byId.get(id),
    };
    all = await recommendationsOver(sources, {
      from: new Date(NOW - 30 * DAY),
      to: new Date(NOW),
      minRequests: 20,
      perModel: Infinity,
    });
  });

  afterAll(async () => {
    await database.close();
    await backend.tearDown();
  });

  const alternativesOf = (key: string) =>
    all.filter((entry) => entry.keyId === key).map((entry) => entry.alternative);

  it('proposes to a tools workload only cheaper models with tools, largest saving first', () => {
    // Not cheap-text (no tools), not pricey (dearer), not the :free variant or the router.
    expect(alternativesOf('key_tools')).toEqual([
      'acme/short-tools',
      'acme/mid-tools',
      'acme/vision-tools',
    ]);
  });

  it('computes the saving from the real token counts, exactly', () => {
    const expected = totals(workload('key_tools'));
    const mid = all.find(
      (entry) => entry.keyId === 'key_tools' && entry.alternative === 'acme/mid-tools',
    );
    const projected = expected.prompt * 1_000n + expected.completion * 2_000n;
    expect(mid).toMatchObject({
      id: recommendationId('key_tools', 'proj_1', 'acme/big', 'acme/mid-tools'),
      projectId: 'proj_1',
      currentModel: 'acme/big',
      requests: 30,
      currentCostNanoUsd: expected.cost,
      projectedCostNanoUsd: projected,
      savingNanoUsd: expected.cost - projected,
      requirements: {
        tools: true,
        structuredOutput: false,
        imageInput: false,
        reasoning: false,
        maxPromptTokens: 1029,
      },
    });
    expect(mid?.savingPct).toBeCloseTo(
      (Number(expected.cost - projected) / Number(expected.cost)) * 100,
      1,
    );
  });

  it('adds a per-request price once per request', () => {
    const expected = totals(workload('key_text'));
    const entry = all.find(
      (item) => item.keyId === 'key_text' && item.alternative === 'acme/per-request',
    );
    // 100 nano-USD per token each way, plus 0.001 USD (1 000 000 nano-USD) per request.
    expect(entry?.projectedCostNanoUsd).toBe(
      (expected.prompt + expected.completion) * 100n + 25n * 1_000_000n,
    );
  });

  it('leaves out models whose context cannot hold the largest prompt + completion', () => {
    // 50 300 tokens: short-tools (8 000) is out; mid-tools (128 000) stays.
    expect(alternativesOf('key_long')).toEqual(['acme/mid-tools', 'acme/vision-tools']);
    expect(all.find((entry) => entry.keyId === 'key_long')?.requirements.maxPromptTokens).toBe(
      50_000,
    );
  });

  it('needs image input and structured outputs when the traffic used them', () => {
    expect(alternativesOf('key_image')).toEqual(['acme/vision-tools']);
  });

  it('needs reasoning when answers carried reasoning tokens', () => {
    expect(alternativesOf('key_reasoning')).toEqual(['acme/thinker']);
    expect(all.find((entry) => entry.keyId === 'key_reasoning')?.requirements.reasoning).toBe(true);
  });

  it('reads the requirements of rows from before the column from their decision', () => {
    expect(alternativesOf('key_legacy')).not.toContain('acme/cheap-text');
    expect(alternativesOf('key_legacy')).toContain('acme/mid-tools');
  });

  it('leaves out quiet groups, policy traffic and requests before the period', () => {
    expect(alternativesOf('key_quiet')).toEqual([]);
    expect(alternativesOf('key_policy')).toEqual([]);
    // The text workload's largest prompt is inside the period.
    expect(all.find((entry) => entry.keyId === 'key_text')?.requirements.maxPromptTokens).toBe(548);
  });

  it('sorts by saving and limits the alternatives per model', async () => {
    for (let index = 1; index < all.length; index += 1)
      expect((all[index - 1]?.savingNanoUsd ?? 0n) >= (all[index]?.savingNanoUsd ?? 0n)).toBe(true);
    const limited = await recommendationsOver(sources, {
      from: new Date(NOW - 30 * DAY),
      to: new Date(NOW),
      minRequests: 20,
      perModel: 1,
    });
    expect(
      limited.filter((entry) => entry.keyId === 'key_tools').map((entry) => entry.alternative),
    ).toEqual(['acme/short-tools']);
  });

  it('reports what the gateway observed of the alternative, or nothing', () => {
    const mid = all.find(
      (entry) => entry.keyId === 'key_tools' && entry.alternative === 'acme/mid-tools',
    );
    expect(mid?.observed?.requests).toBe(10);
    expect(mid?.observed?.errorRate).toBeCloseTo(0.1, 10);
    // Nearest rank of 100..1000 ms: p50 = 500, p95 = 1000, within the histogram's error.
    expect(Math.abs((mid?.observed?.latencyP50Ms ?? 0) - 500)).toBeLessThanOrEqual(
      500 * HISTOGRAM_RELATIVE_ERROR + 1e-9,
    );
    expect(Math.abs((mid?.observed?.latencyP95Ms ?? 0) - 1000)).toBeLessThanOrEqual(
      1000 * HISTOGRAM_RELATIVE_ERROR + 1e-9,
    );
    const short = all.find(
      (entry) => entry.keyId === 'key_tools' && entry.alternative === 'acme/short-tools',
    );
    expect(short?.observed).toBeNull();
  });

  it('finds one recommendation by its id', async () => {
    const id = recommendationId('key_image', 'proj_1', 'acme/big', 'acme/vision-tools');
    expect((await findRecommendation(sources, id, new Date(NOW)))?.alternative).toBe(
      'acme/vision-tools',
    );
    expect(await findRecommendation(sources, 'rec_00000000000000000000', new Date(NOW))).toBeNull();
  });
});
