import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { loadRecordedInteractions } from './recorded-interactions.ts';
import {
  TEST_API_KEY,
  readFixture,
  sseChunks,
  sseEvents,
  startTestEmulator,
  type TestEmulator,
} from './emulator-test-client.ts';

let server: TestEmulator;
const question = {
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'Tell me a long story about gateways.' }],
};
const streamed = { ...question, stream: true };

beforeAll(async () => {
  server = await startTestEmulator({ replay: false });
});

afterEach(() => {
  server.emulator.clearFaults();
  server.emulator.clearLedger();
});

afterAll(async () => {
  await server.emulator.close();
});

/** Reads a stream until it ends or fails; returns the text received and the error, if any. */
async function readStream(
  body: unknown,
  options: { headersTimeout?: number; bodyTimeout?: number },
): Promise<{ text: string; error: unknown }> {
  const response = await request(`${server.origin}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...options,
  });
  let text = '';
  try {
    for await (const chunk of response.body) text += (chunk as Buffer).toString('utf8');
    return { text, error: null };
  } catch (error) {
    return { text, error };
  }
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

describe('HTTP error faults', () => {
  it('answer 429 with the given headers and the recorded upstream rate-limit body, once by default', async () => {
    server.emulator.addFault({ status: 429, headers: { 'retry-after': '2' } });
    const limited = await server.chat(question);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(JSON.parse(limited.text)).toEqual({
      error: {
        code: 429,
        message: 'Provider returned error',
        metadata: {
          provider_name: 'OpenAI',
          raw: 'openai/gpt-4o-mini is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations',
        },
      },
      user_id: 'user_emulator',
    });
    expect((await server.chat(question)).status).toBe(200);
    expect(server.emulator.ledger.map((entry) => [entry.status, entry.outcome])).toEqual([
      [429, 'fault'],
      [200, 'complete'],
    ]);
    expect(server.emulator.ledger[0]).toMatchObject({
      usage: null,
      costNanoUsd: null,
      generationId: null,
    });
  });

  it('give 402 the real insufficient-credits message and accept a custom body', async () => {
    server.emulator.addFault({ status: 402 });
    const credits = JSON.parse((await server.chat({ ...question, max_tokens: 32000 })).text) as {
      error: { message: string; code: number };
    };
    expect(credits.error.code).toBe(402);
    expect(credits.error.message).toBe(
      'This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 0. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account',
    );
    server.emulator.addFault({ status: 503, body: { error: { message: 'custom', code: 503 } } });
    const custom = await server.chat(question);
    expect(custom.status).toBe(503);
    expect(JSON.parse(custom.text)).toEqual({ error: { message: 'custom', code: 503 } });
  });

  it('match by model and stream, repeat `times` (0 = unlimited) and are programmable over HTTP', async () => {
    const programmed = await server.call('/__emulator/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        match: { model: 'openai/gpt-4o', stream: false },
        status: 500,
        times: 0,
      }),
    });
    expect(programmed.status).toBe(201);
    expect((await server.chat(question)).status).toBe(200);
    expect((await server.chat({ ...question, model: 'openai/gpt-4o', stream: true })).status).toBe(
      200,
    );
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await server.chat({ ...question, model: 'openai/gpt-4o' })).status).toBe(500);
    expect((await server.call('/__emulator/faults', { method: 'DELETE' })).status).toBe(204);
    expect((await server.chat({ ...question, model: 'openai/gpt-4o' })).status).toBe(200);
  });

  it('reject an invalid fault with 400', async () => {
    const response = await server.call('/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify({ status: 'soon' }),
    });
    expect(response.status).toBe(400);
    expect(() => {
      server.emulator.addFault({ times: -1 });
    }).toThrow(TypeError);
  });
});

describe('timing faults', () => {
  it('delay the response headers', async () => {
    server.emulator.addFault({ delayBeforeHeadersMs: 10_000 });
    await expect(
      request(`${server.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
        body: JSON.stringify(question),
        headersTimeout: 100,
      }),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    server.emulator.addFault({ delayBeforeHeadersMs: 20 });
    expect((await server.chat(question)).status).toBe(200);
    expect(server.emulator.ledger.at(-1)?.outcome).toBe('fault');
  });

  it('delay the first token after the headers and keep-alive comment', async () => {
    server.emulator.addFault({ delayBeforeFirstTokenMs: 10_000 });
    const { text, error } = await readStream(streamed, { bodyTimeout: 150 });
    expect(errorCode(error)).toBe('UND_ERR_BODY_TIMEOUT');
    expect(text.startsWith(': OPENROUTER PROCESSING\n\n')).toBe(true);
    expect(text).not.toContain('data:');
  });
});

describe('stream faults', () => {
  it('slow a stream down: wait before every chunk after the first', async () => {
    server.emulator.addFault({ delayBetweenChunksMs: 40 });
    const started = Date.now();
    const { text, error } = await readStream(streamed, {});
    expect(error).toBeNull();
    const chunks = sseChunks(text).length;
    expect(chunks).toBeGreaterThan(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual((chunks - 1) * 40 - 5);
    expect(sseEvents(text).at(-1)).toBe('data: [DONE]');
  });

  it('stall after N chunks with the connection left open', async () => {
    server.emulator.addFault({ stallAfterChunks: 2 });
    const { text, error } = await readStream(streamed, { bodyTimeout: 300 });
    expect(errorCode(error)).toBe('UND_ERR_BODY_TIMEOUT');
    expect(sseChunks(text)).toHaveLength(2);
    expect(server.emulator.ledger[0]).toMatchObject({
      status: 200,
      outcome: 'fault',
      usage: null,
      costNanoUsd: null,
    });
  });

  it('reset the connection after N chunks', async () => {
    server.emulator.addFault({ resetAfterChunks: 1, match: { stream: true } });
    const { text, error } = await readStream(streamed, {});
    expect(error).not.toBeNull();
    expect(sseChunks(text)).toHaveLength(1);
    expect(server.emulator.ledger[0]).toMatchObject({ outcome: 'fault', usage: null });
  });

  it('send an in-band error chunk with usage after N chunks, then [DONE]', async () => {
    server.emulator.addFault({ errorChunkAfterChunks: 2 });
    const { text, error } = await readStream(streamed, {});
    expect(error).toBeNull();
    const chunks = sseChunks(text);
    expect(chunks).toHaveLength(3);
    const errorChunk = chunks[2];
    expect(errorChunk?.error).toEqual({ code: 502, message: 'Provider disconnected unexpectedly' });
    expect(errorChunk?.choices).toEqual([
      {
        index: 0,
        delta: { content: '', role: 'assistant' },
        finish_reason: null,
        native_finish_reason: null,
      },
    ]);
    expect(sseEvents(text).at(-1)).toBe('data: [DONE]');
    const entry = server.emulator.ledger[0];
    expect(entry?.usage).toEqual(errorChunk?.usage);
    expect(entry?.costNanoUsd).not.toBeNull();
    expect(entry?.outcome).toBe('fault');
  });

  it('send a malformed data event after N chunks (0 = before any content) and end the body', async () => {
    for (const after of [0, 2]) {
      server.emulator.clearLedger();
      server.emulator.addFault({ malformedChunkAfterChunks: after });
      const { text, error } = await readStream(streamed, {});
      expect(error).toBeNull();
      const events = sseEvents(text).filter((event) => event.startsWith('data:'));
      expect(events).toHaveLength(after + 1);
      expect(() => {
        JSON.parse(events.at(-1)?.slice(6) ?? '');
      }).toThrow(SyntaxError);
      expect(text).not.toContain('[DONE]');
      expect(server.emulator.ledger[0]).toMatchObject({ outcome: 'fault', usage: null });
    }
  });

  it('bill a stream cut short for the tokens generated so far, and say so in /generation', async () => {
    server.emulator.addFault({ resetAfterChunks: 2, match: { stream: true } });
    const { text } = await readStream(streamed, {});
    const id = sseChunks(text)[0]?.id as string;
    const entry = server.emulator.ledger[0];
    expect(entry).toMatchObject({ usage: null, costNanoUsd: null });
    expect(entry?.billedCostNanoUsd).toMatch(/^[1-9]\d*$/);
    const generation = JSON.parse((await server.call(`/api/v1/generation?id=${id}`)).text) as {
      data: { total_cost: number; cancelled: boolean; tokens_prompt: number };
    };
    expect(generation.data.cancelled).toBe(true);
    expect(generation.data.tokens_prompt).toBeGreaterThan(0);
    expect(BigInt(Math.round(generation.data.total_cost * 1e9))).toBe(
      BigInt(entry?.billedCostNanoUsd ?? '-1'),
    );
    const key = JSON.parse((await server.call('/api/v1/key')).text) as { data: { usage: number } };
    expect(Math.round(key.data.usage * 1e9)).toBe(Number(entry?.billedCostNanoUsd));
  });

  it('find a generation only after generationLookupDelayMs', async () => {
    const late = await startTestEmulator({ replay: false, generationLookupDelayMs: 300 });
    try {
      const completion = JSON.parse((await late.chat(question)).text) as { id: string };
      expect((await late.call(`/api/v1/generation?id=${completion.id}`)).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await late.call(`/api/v1/generation?id=${completion.id}`)).status).toBe(200);
    } finally {
      await late.emulator.close();
    }
  });

  it('apply to replayed recordings too (stall after 2 chunks of the recorded stream)', async () => {
    const replaying = await startTestEmulator();
    try {
      const interaction = loadRecordedInteractions().find(
        (item) => item.file === 'cache/test_openrouter_cache_streaming_e2e.yaml',
      );
      replaying.emulator.addFault({ stallAfterChunks: 2 });
      const response = await request(`${replaying.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
        body: JSON.stringify(interaction?.requestBody),
        bodyTimeout: 300,
      });
      let text = '';
      await expect(
        (async () => {
          for await (const chunk of response.body) text += (chunk as Buffer).toString('utf8');
        })(),
      ).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
      const recorded = readFixture('test_openrouter_cache_streaming_e2e.0.sse');
      const upToSecondChunk = recorded.slice(
        0,
        recorded.indexOf('data: ', recorded.indexOf('data: ') + 1),
      );
      expect(text).toBe(recorded.slice(0, recorded.indexOf('\n\n', upToSecondChunk.length) + 2));
    } finally {
      await replaying.emulator.close();
    }
  });
});
