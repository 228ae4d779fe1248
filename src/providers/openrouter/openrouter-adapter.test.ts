import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ChatCompletionRequest } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { StreamPart } from '../../contracts/stream-part.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { createOpenRouterProvider } from '../index.ts';
import type { ChunkEvent } from '../provider-adapter.ts';
import {
  delay,
  readFixture,
  sseBlocks,
  startTestServer,
  type TestHandler,
  type TestServer,
} from '../shared/__fixtures__/upstream-test-server.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { createOpenRouterAdapter } from './openrouter-adapter.ts';

const API_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const REQUEST: ChatCompletionRequest = {
  model: 'mistralai/mistral-small',
  messages: [{ role: 'user', content: 'Hi' }],
};
const TIMEOUTS: UpstreamTimeouts = {
  connectMs: 1_000,
  firstByteMs: 2_000,
  idleMs: 2_000,
  totalMs: 10_000,
};
const GENERATION_ID = 'gen-1762047030-dJUcJW4ildNGqK4UV6iJ';

interface CassetteInteraction {
  response: { status: { code: number }; parsed_body: unknown };
}
interface ObservedEntry {
  status: number;
  body?: unknown;
  data?: unknown;
  endpoint: string;
}

function cassette(name: string): CassetteInteraction[] {
  return (
    parseYaml(readFixture('openrouter', name).toString('utf8')) as {
      interactions: CassetteInteraction[];
    }
  ).interactions;
}

const observed = (
  JSON.parse(readFixture('openrouter', 'observed-responses-from-issues.json').toString('utf8')) as {
    entries: ObservedEntry[];
  }
).entries;

function observedBody(status: number, endpointPart: string): unknown {
  const entry = observed.find(
    (candidate) => candidate.status === status && candidate.endpoint.includes(endpointPart),
  );
  if (entry?.body === undefined) throw new Error(`no observed ${status} body for ${endpointPart}`);
  return entry.body;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(handler: TestHandler) {
  const server = await startTestServer(handler);
  const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: TIMEOUTS.connectMs });
  cleanups.push(
    () => server.close(),
    () => dispatcher.close(),
  );
  const adapter = createOpenRouterAdapter({
    apiKey: API_KEY,
    baseUrl: `${server.origin}/api/v1/`,
    appUrl: 'https://example.org/app',
    appTitle: 'Signalbox Test',
    timeouts: TIMEOUTS,
    dispatcher,
  });
  return { server, adapter };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): TestHandler {
  return (_request, response) => {
    response
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  };
}

function replay(name: string, headers: Record<string, string> = {}): TestHandler {
  return async (_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...headers,
    });
    for (const block of sseBlocks(readFixture('openrouter', name))) {
      response.write(block);
      await delay(1);
    }
    response.end();
  };
}

async function failureOf(promise: Promise<unknown>): Promise<SignalboxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignalboxError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function expectSafe(error: SignalboxError, server: TestServer): void {
  expect(error.message.startsWith('Upstream: ')).toBe(true);
  expect(error.message).not.toContain(API_KEY);
  expect(error.message).not.toContain(server.origin);
  expect(error.message).not.toMatch(/https?:\/\//);
}

describe('createOpenRouterAdapter: requests', () => {
  it('sends the auth and attribution headers, and forwards rawBody unchanged', async () => {
    const completion = cassette('test_openrouter_tool_calling.yaml')[0]?.response.parsed_body;
    const { adapter, server } = await setUp(json(200, completion));
    const rawBody = Buffer.from(
      '{"model":"mistralai/mistral-small",  "messages":[{"role":"user","content":"Hi"}]}',
    );
    await adapter.chat(REQUEST, { rawBody });
    const received = server.requests[0];
    expect(received?.url).toBe('/api/v1/chat/completions');
    expect(received?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'http-referer': 'https://example.org/app',
      'x-openrouter-title': 'Signalbox Test',
      'x-title': 'Signalbox Test',
      'content-type': 'application/json',
    });
    expect(received?.body.equals(rawBody)).toBe(true);
  });

  it('returns the recorded tool-call completion; the generation id comes from X-Generation-Id, else the body', async () => {
    const completion = cassette('test_openrouter_tool_calling.yaml')[0]?.response.parsed_body;
    const { adapter } = await setUp(
      json(200, completion, { 'x-generation-id': 'gen-from-header' }),
    );
    const result = await adapter.chat(REQUEST);
    expect(result.generationId).toBe('gen-from-header');
    expect(result.completion.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('divide');
    expect(result.raw?.toString()).toBe(JSON.stringify(completion));

    const { adapter: withoutHeader } = await setUp(json(200, completion));
    expect((await withoutHeader.chat(REQUEST)).generationId).toBe(GENERATION_ID);
    expect(withoutHeader.capabilities.reportsCost).toBe(true);
  });
});

describe('createOpenRouterAdapter: error answers', () => {
  it('maps the recorded 429 "Provider returned error" with its retry-after', async () => {
    const interaction = cassette('test_openrouter_errors_raised.yaml')[0];
    const { adapter, server } = await setUp(
      json(429, interaction?.response.parsed_body, { 'retry-after': '7' }),
    );
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      upstreamStatus: 429,
      retryAfterSeconds: 7,
    });
    expect(error.message).toBe(
      'Upstream: Provider returned error: google/gemini-2.0-flash-exp:free is temporarily rate-limited upstream. ' +
        'Please retry shortly, or add your own key to accumulate your rate limits: [url]',
    );
    expectSafe(error, server);
  });

  it.each([
    [401, 'unknown / revoked key', 'upstream_auth_failed', 502, 'Upstream: User not found.'],
    [
      401,
      'no / empty Authorization',
      'upstream_auth_failed',
      502,
      'Upstream: No cookie auth credentials found',
    ],
    [
      402,
      'POST /api/v1/chat/completions',
      'upstream_insufficient_credits',
      502,
      'Upstream: This request requires more credits',
    ],
    [
      404,
      'POST /api/v1/chat/completions',
      'model_not_found',
      404,
      'Upstream: No endpoints found for stepfun/step-3.5-flash:free.',
    ],
    [
      400,
      'upstream provider rejected',
      'upstream_invalid_request',
      400,
      'supports at most 1 image per prompt.',
    ],
  ])(
    'maps the observed %i body (%s) to %s',
    async (status, endpoint, code, clientStatus, message) => {
      const { adapter, server } = await setUp(json(status, observedBody(status, endpoint)));
      const error = await failureOf(adapter.chat(REQUEST));
      expect(error).toMatchObject({ code, status: clientStatus, upstreamStatus: status });
      expect(error.message).toContain(message);
      expectSafe(error, server);
    },
  );

  it('maps a 200 answer whose body is an error object (no choices) as that error', async () => {
    const interaction = cassette('test_openrouter_errors_raised.yaml')[0];
    const { adapter } = await setUp(json(200, interaction?.response.parsed_body));
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error).toMatchObject({ code: 'rate_limited', upstreamStatus: 429 });
  });

  it('rejects openStream with the mapped error before any event', async () => {
    const { adapter } = await setUp(json(402, observedBody(402, 'POST /api/v1/chat/completions')));
    expect((await failureOf(adapter.openStream({ ...REQUEST, stream: true }))).code).toBe(
      'upstream_insufficient_credits',
    );
  });
});

describe('createOpenRouterAdapter: streams', () => {
  const chatRecordings = readdirSync(new URL('./__fixtures__/', import.meta.url)).filter(
    (name) => name.endsWith('.sse') && !name.startsWith('test_openai_responses'),
  );

  it.each(chatRecordings)(
    'replays %s: one event per data chunk, raw = the payload text',
    async (name) => {
      const { adapter } = await setUp(replay(name, { 'x-generation-id': 'gen-header' }));
      const stream = await adapter.openStream({ ...REQUEST, stream: true });
      expect(stream.generationId).toBe('gen-header');
      const events: ChunkEvent[] = [];
      for await (const event of stream) events.push(event);
      const payloads = sseBlocks(readFixture('openrouter', name))
        .filter((block) => block.startsWith('data: ') && !block.startsWith('data: [DONE]'))
        .map((block) => block.slice('data: '.length).trimEnd());
      expect(events.map((event) => event.raw)).toEqual(payloads);
    },
  );

  it('yields the recorded in-band error chunk, and chatStream turns it into an error part', async () => {
    const { adapter } = await setUp(replay('test_openrouter_stream_error.0.sse'));
    const events: ChunkEvent[] = [];
    for await (const event of await adapter.openStream({ ...REQUEST, stream: true }))
      events.push(event);
    expect(events.at(-1)?.chunk.error).toEqual({ code: 400, message: 'Token limit reached' });

    const parts: StreamPart[] = [];
    for await (const part of adapter.chatStream({ ...REQUEST, stream: true })) parts.push(part);
    expect(parts[0]).toMatchObject({
      type: 'metadata',
      id: 'gen-1762179802-UN8pkJI4AGZvryk0kFnb',
      provider: 'Minimax',
    });
    expect(parts.at(-1)).toEqual({
      type: 'error',
      code: 'upstream_invalid_request',
      message: 'Upstream: Token limit reached',
      upstreamCode: 400,
    });
  });
});

describe('createOpenRouterAdapter: models and health', () => {
  it('lists the recorded 356 models', async () => {
    const { adapter, server } = await setUp((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(readFixture('openrouter', 'models-snapshot-2026-05.json'));
    });
    const models = await adapter.listModels();
    expect(models).toHaveLength(356);
    expect(models.find((model) => model.id === 'openai/gpt-4o')?.pricing.prompt).toBe('0.0000025');
    expect(server.requests[0]?.url).toBe('/api/v1/models');
  });

  it('is healthy when GET /key answers, unhealthy (never rejecting) when it is refused', async () => {
    const keyData = observed.find((entry) =>
      entry.endpoint.startsWith('GET /api/v1/auth/key'),
    )?.data;
    const { adapter, server } = await setUp(json(200, { data: keyData }));
    expect(await adapter.checkHealth()).toMatchObject({ ok: true });
    expect(server.requests[0]?.url).toBe('/api/v1/key');

    const { adapter: rejected } = await setUp(
      json(401, observedBody(401, 'unknown / revoked key')),
    );
    expect(await rejected.checkHealth()).toMatchObject({
      ok: false,
      message: 'upstream_auth_failed: upstream answered HTTP 401',
    });
  });
});

describe('createOpenRouterProvider (library entry)', () => {
  it('builds a working adapter with defaults for everything but the key and URL', async () => {
    const completion = cassette('test_openrouter_tool_calling.yaml')[0]?.response.parsed_body;
    const server = await startTestServer(json(200, completion));
    cleanups.push(() => server.close());
    const provider = createOpenRouterProvider({
      apiKey: API_KEY,
      baseUrl: `${server.origin}/api/v1`,
      timeouts: { totalMs: 5_000 },
    });
    expect(provider.id).toBe('openrouter');
    expect((await provider.chat(REQUEST)).completion.id).toBe(GENERATION_ID);
    expect(server.requests[0]?.headers['x-title']).toBe('Signalbox');
  });
});
