import { GoogleGenAI, Type, type FunctionDeclaration } from '@google/genai';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../emulator-test-client.ts';
import { loadDialectInteractions, splitDialectSse } from './dialect-recordings.ts';

const KEY = 'AIza-emulator-test';
let server: TestEmulator;
let client: GoogleGenAI;

beforeAll(async () => {
  server = await startTestEmulator({ apiKeys: [KEY] });
  client = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.origin } });
});

afterEach(() => {
  server.emulator.clearFaults();
  server.emulator.clearLedger();
});

afterAll(async () => {
  await server.emulator.close();
});

const weather: FunctionDeclaration = {
  name: 'get_weather',
  parameters: {
    type: Type.OBJECT,
    properties: { city: { type: Type.STRING }, days: { type: Type.INTEGER } },
    required: ['city', 'days'],
  },
};

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'x-goog-api-key': KEY },
) {
  return request(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the GenAI client against the Gemini dialect', () => {
  it('parses a synthesized answer whose usage the ledger recorded, translated and priced', async () => {
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello there',
    });
    expect(response.text).toContain('emulated answer');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    const metadata = response.usageMetadata;
    const entry = server.emulator.ledger[0];
    expect(entry).toMatchObject({
      dialect: 'gemini',
      // @google/genai v3 calls the v1 path; the emulator serves v1 and v1beta alike.
      path: '/v1/models/gemini-2.5-flash:generateContent',
      model: 'gemini-2.5-flash',
      stream: false,
      generationId: response.responseId,
      usage: {
        prompt_tokens: metadata?.promptTokenCount,
        completion_tokens: metadata?.candidatesTokenCount,
      },
    });
    // gemini-2.5-flash is priced as google/gemini-2.5-flash ($0.30 / $2.50 per million tokens).
    expect(entry?.costNanoUsd).toBe(
      String(
        (metadata?.promptTokenCount ?? 0) * 300 + (metadata?.candidatesTokenCount ?? 0) * 2500,
      ),
    );
  });

  it('streams text with cumulative usage and a function call from a declaration', async () => {
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Tell me something',
    });
    let text = '';
    const counts: (number | undefined)[] = [];
    const finishes: unknown[] = [];
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      counts.push(chunk.usageMetadata?.candidatesTokenCount);
      finishes.push(chunk.candidates?.[0]?.finishReason);
    }
    expect(text).toContain('emulated answer');
    expect(counts.at(-1)).toBe(text.split(' ').length);
    expect([...counts].sort((left = 0, right = 0) => left - right)).toEqual(counts);
    expect(finishes.at(-1)).toBe('STOP');
    expect(finishes.slice(0, -1).every((finish) => finish === undefined)).toBe(true);
    expect(server.emulator.ledger[0]?.usage?.completion_tokens).toBe(counts.at(-1));

    const calls = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { tools: [{ functionDeclarations: [weather] }] },
    });
    const functionCalls = [];
    for await (const chunk of calls) functionCalls.push(...(chunk.functionCalls ?? []));
    expect(functionCalls).toEqual([{ name: 'get_weather', args: { city: 'example', days: 1 } }]);
  });

  it('frames streams as Gemini does: CRLF events, no [DONE], key in ?key=', async () => {
    const response = await post(
      `/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=${KEY}`,
      { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
      {},
    );
    expect(response.headers['content-type']).toBe('text/event-stream');
    const text = await response.body.text();
    expect(text.endsWith('}\r\n\r\n')).toBe(true);
    expect(text).not.toContain('[DONE]');
    expect(splitDialectSse(text).every((event) => event.startsWith('data: {'))).toBe(true);
  });

  it('replays a recorded stream byte for byte', async () => {
    const recorded = loadDialectInteractions('gemini').find(
      (interaction) =>
        interaction.file === 'gemini/test_google_stream_usage_is_live_mid_stream.yaml',
    );
    const response = await post(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      recorded?.requestBody,
    );
    expect(await response.body.text()).toBe(recorded?.bodyText);
    expect(server.emulator.ledger[0]).toMatchObject({
      recording: 'gemini/test_google_stream_usage_is_live_mid_stream.yaml#0',
      // thoughtsTokenCount (35) counts as completion (reasoning) tokens.
      usage: {
        prompt_tokens: 18,
        completion_tokens: 115,
        completion_tokens_details: { reasoning_tokens: 35 },
      },
    });
  });

  it('answers auth failures, unknown models and faults with google.rpc.Status bodies', async () => {
    const missing = await post(
      '/v1beta/models/gemini-2.5-flash:generateContent',
      { contents: [] },
      {},
    );
    expect(missing.statusCode).toBe(403);
    expect(await missing.body.json()).toMatchObject({
      error: { code: 403, status: 'PERMISSION_DENIED' },
    });
    await expect(
      client.models.generateContent({ model: 'gpt-4o', contents: 'Hi' }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('NOT_FOUND') as unknown,
    });

    server.emulator.addFault({ match: { model: 'gemini-2.5-flash' }, status: 429 });
    const limited = await post('/v1beta/models/gemini-2.5-flash:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    });
    expect(limited.statusCode).toBe(429);
    expect(await limited.body.json()).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        details: expect.arrayContaining([
          expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.RetryInfo' }),
        ]) as unknown,
      },
    });
    server.emulator.addFault({ status: 503 });
    await expect(
      client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' }),
    ).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('UNAVAILABLE') as unknown,
    });

    server.emulator.addFault({ errorChunkAfterChunks: 2 });
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Hi',
    });
    const finishes: unknown[] = [];
    for await (const chunk of stream) finishes.push(chunk.candidates?.[0]?.finishReason);
    expect(finishes).toEqual([undefined, undefined]);
    expect(server.emulator.ledger.map((entry) => [entry.status, entry.outcome])).toEqual([
      [403, 'error'],
      [404, 'error'],
      [429, 'fault'],
      [503, 'fault'],
      [200, 'fault'],
    ]);
  });
});
