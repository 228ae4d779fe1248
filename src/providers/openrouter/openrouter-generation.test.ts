// The OpenRouter adapter's fetchGeneration and onGeneration against a real emulator (the spec's
// GenerationResponse shape), and against a test server for the error answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalboxError } from '../../contracts/errors.ts';
import { createEmulator } from '../../emulator/index.ts';
import type { Emulator } from '../../emulator/index.ts';
import { reportedCostNanoUsd } from '../../pricing/cost.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import { startTestServer } from '../shared/__fixtures__/upstream-test-server.ts';
import { createOpenRouterAdapter } from './openrouter-adapter.ts';

const KEY = 'sk-or-v1-generation-test-0123456789';
const timeouts = { connectMs: 2_000, firstByteMs: 5_000, idleMs: 5_000, totalMs: 10_000 };
const question = {
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Tell me a long story about signal boxes.' }],
};

function adapterFor(baseUrl: string): ProviderAdapter {
  return createOpenRouterAdapter({
    apiKey: KEY,
    baseUrl,
    appUrl: 'https://example.test',
    appTitle: 'test',
    timeouts,
  });
}

describe('OpenRouter fetchGeneration against the emulator', () => {
  let emulator: Emulator;
  let adapter: ProviderAdapter;

  beforeAll(async () => {
    emulator = createEmulator({ apiKeys: [KEY], replay: false });
    adapter = adapterFor(`${await emulator.listen()}/api/v1`);
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('names the generation from the headers, and reads back exactly what was billed', async () => {
    const announced: string[] = [];
    const result = await adapter.chat(question, {
      onGeneration: (id) => announced.push(id),
    });
    expect(announced).toEqual([result.generationId]);
    const cost = await adapter.fetchGeneration?.(result.generationId ?? '');
    const usage = result.completion.usage;
    expect(cost).toEqual({
      generationId: result.generationId,
      costNanoUsd: reportedCostNanoUsd(usage),
      promptTokens: usage?.prompt_tokens,
      completionTokens: usage?.completion_tokens,
      reasoningTokens: 0,
      cachedTokens: 0,
      model: 'openai/gpt-4o-mini',
      cancelled: false,
    });
    expect(await adapter.fetchGeneration?.('gen-0-unknown')).toBeNull();
  });

  it('reads what a stream cut short was billed, though it never reported it', async () => {
    emulator.addFault({ resetAfterChunks: 2, match: { stream: true } });
    const announced: string[] = [];
    const stream = await adapter.openStream(
      { ...question, stream: true },
      { onGeneration: (id) => announced.push(id) },
    );
    await expect(
      (async () => {
        for await (const event of stream) expect(event.chunk.usage ?? null).toBeNull();
      })(),
    ).rejects.toMatchObject({ code: 'stream_interrupted' });
    expect(announced).toEqual([stream.generationId]);
    const entry = emulator.ledger.find((item) => item.generationId === stream.generationId);
    const cost = await adapter.fetchGeneration?.(stream.generationId ?? '');
    expect(cost?.cancelled).toBe(true);
    expect(cost?.costNanoUsd).toBe(BigInt(entry?.billedCostNanoUsd ?? '-1'));
    expect(cost?.costNanoUsd).toBeGreaterThan(0n);
  });
});

describe('OpenRouter fetchGeneration error answers', () => {
  it('maps 429 with its retry-after, and refuses a body that is not a generation', async () => {
    const answers = [
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: '{"error":{"code":429,"message":"Rate limit exceeded"}}',
      },
      { status: 200, headers: {}, body: '{"data":{"total_cost":1}}' },
    ];
    const server = await startTestServer((request, response) => {
      expect(request.url).toBe('/api/v1/generation?id=gen-1%2F2');
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      const answer = answers.shift();
      response.writeHead(answer?.status ?? 500, {
        'content-type': 'application/json',
        ...answer?.headers,
      });
      response.end(answer?.body ?? '');
    });
    try {
      const adapter = adapterFor(`${server.origin}/api/v1`);
      const limited = await adapter.fetchGeneration?.('gen-1/2').catch((error: unknown) => error);
      expect(limited).toBeInstanceOf(SignalboxError);
      expect(limited).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 3 });
      await expect(adapter.fetchGeneration?.('gen-1/2')).rejects.toMatchObject({
        code: 'upstream_invalid_response',
      });
    } finally {
      await server.close();
    }
  });
});
