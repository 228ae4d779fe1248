import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecordedInteractions, type RecordedInteraction } from './recorded-interactions.ts';
import {
  readFixture,
  sseChunks,
  startTestEmulator,
  type TestEmulator,
} from './emulator-test-client.ts';
import { deepEqualJson } from './deep-equal-json.ts';

let server: TestEmulator;

beforeAll(async () => {
  server = await startTestEmulator();
});

afterAll(async () => {
  await server.emulator.close();
});

/** The first interaction of each distinct request body (later ones answer repeats, in order). */
function firstOfEachBody(interactions: readonly RecordedInteraction[]): RecordedInteraction[] {
  const firsts: RecordedInteraction[] = [];
  for (const interaction of interactions) {
    if (!firsts.some((seen) => deepEqualJson(seen.requestBody, interaction.requestBody)))
      firsts.push(interaction);
  }
  return firsts;
}

describe('loadRecordedInteractions', () => {
  it('loads every chat and cache cassette interaction', () => {
    const interactions = loadRecordedInteractions();
    expect(new Set(interactions.map((interaction) => interaction.file)).size).toBe(48);
    expect(interactions).toHaveLength(56);
    expect(interactions.filter((interaction) => interaction.stream)).toHaveLength(7);
    for (const interaction of interactions) {
      expect(interaction.uri).toBe('https://openrouter.ai/api/v1/chat/completions');
      expect(typeof (interaction.requestBody as { model?: unknown }).model).toBe('string');
    }
  });

  it('keeps the recorded SSE text byte-for-byte (compared with the extracted wire text)', () => {
    const streamed = loadRecordedInteractions().find(
      (interaction) =>
        interaction.file === 'chat/test_openrouter_web_search_tool_usage_stream.yaml',
    );
    expect(streamed?.bodyText).toBe(
      readFixture('test_openrouter_web_search_tool_usage_stream.0.sse'),
    );
    expect(streamed?.generationId).toBe('gen-1786465029-CAkqUciXgQW34RmFaTck');
  });
});

describe('replay', () => {
  it('answers every recorded JSON request with the recorded status and body', async () => {
    for (const interaction of firstOfEachBody(loadRecordedInteractions()).filter(
      (item) => !item.stream,
    )) {
      const response = await server.chat(interaction.requestBody);
      expect(response.status, interaction.file).toBe(interaction.status);
      expect(response.headers['content-type']).toBe(interaction.contentType);
      expect(JSON.parse(response.text)).toEqual(JSON.parse(interaction.bodyText));
      expect(response.text).toBe(interaction.bodyText);
      if (interaction.generationId !== null)
        expect(response.headers['x-generation-id']).toBe(interaction.generationId);
    }
  });

  it('answers every recorded stream with identical bytes', async () => {
    const fixtures: Record<string, string> = {
      'chat/test_openrouter_web_search_tool_usage_stream.yaml':
        'test_openrouter_web_search_tool_usage_stream.0.sse',
      'chat/test_openrouter_stream_error.yaml': 'test_openrouter_stream_error.0.sse',
      'cache/test_openrouter_cache_streaming_e2e.yaml': 'test_openrouter_cache_streaming_e2e.0.sse',
      'chat/test_openrouter_streaming_reasoning.yaml': 'test_openrouter_streaming_reasoning.0.sse',
      'chat/test_openrouter_stream_with_native_options.yaml':
        'test_openrouter_stream_with_native_options.0.sse',
      'chat/test_openrouter_stream_with_reasoning.yaml':
        'test_openrouter_stream_with_reasoning.0.sse',
      'chat/test_openrouter_advisor_tool_stream.yaml': 'test_openrouter_advisor_tool_stream.0.sse',
    };
    const streams = loadRecordedInteractions().filter((interaction) => interaction.stream);
    expect(streams.map((interaction) => interaction.file).sort()).toEqual(
      Object.keys(fixtures).sort(),
    );
    for (const interaction of streams) {
      const response = await server.chat(interaction.requestBody);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-generation-id']).toBe(interaction.generationId);
      expect(response.text).toBe(readFixture(fixtures[interaction.file] ?? ''));
    }
  });

  it('matches bodies whatever their key order', async () => {
    const response = await server.chat({
      stream: false,
      tool_choice: 'auto',
      model: 'mistralai/mistral-small',
      tools: [
        {
          type: 'function',
          function: {
            name: 'divide',
            description: 'Divide two numbers.',
            parameters: {
              type: 'object',
              required: ['numerator', 'denominator'],
              properties: {
                on_inf: { type: 'string', enum: ['error', 'infinity'], default: 'infinity' },
                numerator: { type: 'number' },
                denominator: { type: 'number' },
              },
              description: 'Divide two numbers.',
              additionalProperties: false,
            },
          },
        },
      ],
      messages: [{ role: 'user', content: 'What is 123 / 456?' }],
    });
    expect(response.headers['x-generation-id']).toBe('gen-1762047030-dJUcJW4ildNGqK4UV6iJ');
    expect(server.emulator.ledger.at(-1)?.recording).toBe(
      'chat/test_openrouter_tool_calling.yaml#0',
    );
  });

  it('cycles through interactions that share a body, in order', async () => {
    const body = loadRecordedInteractions().find(
      (interaction) => interaction.file === 'chat/test_openrouter_errors_raised.yaml',
    )?.requestBody;
    const fresh = await startTestEmulator();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await fresh.chat(body)).status);
    await fresh.emulator.close();
    expect(statuses).toEqual([429, 429, 429, 429]);
    expect(fresh.emulator.ledger.map((entry) => entry.recording)).toEqual([
      'chat/test_openrouter_errors_raised.yaml#0',
      'chat/test_openrouter_errors_raised.yaml#1',
      'chat/test_openrouter_errors_raised.yaml#2',
      'chat/test_openrouter_errors_raised.yaml#0',
    ]);
    expect(fresh.emulator.ledger.map((entry) => entry.outcome)).toEqual([
      'error',
      'error',
      'error',
      'error',
    ]);
  });

  it('records the usage and exact cost a replayed stream sent', async () => {
    const interaction = loadRecordedInteractions().find(
      (item) => item.file === 'chat/test_openrouter_web_search_tool_usage_stream.yaml',
    );
    server.emulator.clearLedger();
    const response = await server.chat(interaction?.requestBody);
    const usage = sseChunks(response.text).findLast((chunk) => chunk.usage !== undefined)?.usage;
    const entry = server.emulator.ledger[0];
    expect(entry?.usage).toEqual(usage);
    expect(entry?.costNanoUsd).toBe('13317600');
    expect(entry).toMatchObject({
      status: 200,
      stream: true,
      outcome: 'complete',
      generationId: 'gen-1786465029-CAkqUciXgQW34RmFaTck',
    });
  });

  it('records a replayed in-band error as an error outcome with its usage', async () => {
    const interaction = loadRecordedInteractions().find(
      (item) => item.file === 'chat/test_openrouter_stream_error.yaml',
    );
    server.emulator.clearLedger();
    await server.chat(interaction?.requestBody);
    expect(server.emulator.ledger[0]).toMatchObject({
      status: 200,
      outcome: 'error',
      costNanoUsd: '0',
      usage: { prompt_tokens: 43, completion_tokens: 10 },
    });
  });

  it('does not replay when replay is off', async () => {
    const plain = await startTestEmulator({ replay: false });
    try {
      const body = loadRecordedInteractions().find(
        (interaction) => interaction.file === 'chat/test_openrouter_errors_raised.yaml',
      )?.requestBody;
      const response = await plain.chat(body);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.text)).toEqual({
        error: { message: 'No endpoints found for google/gemini-2.0-flash-exp:free.', code: 404 },
        user_id: 'user_emulator',
      });
    } finally {
      await plain.emulator.close();
    }
  });
});
