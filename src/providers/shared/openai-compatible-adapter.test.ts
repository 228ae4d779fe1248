import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ChunkEvent, UpstreamStream } from '../provider-adapter.ts';
import {
  delay,
  readFixture,
  sseBlocks,
  startTestServer,
  type TestHandler,
  type TestServer,
} from './__fixtures__/upstream-test-server.ts';
import { createOpenAICompatibleAdapter } from './openai-compatible-adapter.ts';
import { createUpstreamDispatcher } from './upstream-http.ts';

const SECRET = 'sk-test-0123456789abcdef';
const REQUEST: ChatCompletionRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hi' }],
};
const FAST: UpstreamTimeouts = {
  connectMs: 1_000,
  firstByteMs: 2_000,
  idleMs: 2_000,
  totalMs: 10_000,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(handler: TestHandler, timeouts: UpstreamTimeouts = FAST) {
  const server = await startTestServer(handler);
  const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: timeouts.connectMs });
  cleanups.push(
    () => server.close(),
    () => dispatcher.close(),
  );
  const adapter = createOpenAICompatibleAdapter({
    id: 'custom',
    baseUrl: `${server.origin}/v1`,
    timeouts,
    dispatcher,
    capabilities: { streaming: true, tools: true, reportsCost: false },
    headers: () => ({ authorization: `Bearer ${SECRET}` }),
  });
  return { server, adapter, dispatcher };
}

function sseHead(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

/** Serves a recording one SSE block at a time. */
function replay(name: string): TestHandler {
  return async (_request, response) => {
    sseHead(response);
    for (const block of sseBlocks(readFixture('shared', name))) {
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

async function drain(stream: AsyncIterable<ChunkEvent>): Promise<ChunkEvent[]> {
  const events: ChunkEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function expectSafe(error: SignalboxError, server: TestServer): void {
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(server.origin);
  expect(error.message).not.toMatch(/https?:\/\/|127\.0\.0\.1|authorization/i);
}

describe('createOpenAICompatibleAdapter: chat()', () => {
  it('returns the recorded completion with raw = the upstream bytes', async () => {
    const body = readFixture('shared', 'openai__openai-text.json');
    const { adapter, server } = await setUp((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const result = await adapter.chat(REQUEST);
    expect(result.raw?.equals(body)).toBe(true);
    expect(result.completion.object).toBe('chat.completion');
    expect(result.generationId).toBe(result.completion.id);
    expect(server.requests[0]?.url).toBe('/v1/chat/completions');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('forwards rawBody byte-identical, and serialises when the stream flag must change', async () => {
    const body = readFixture('shared', 'openai__openai-text.json');
    const { adapter, server } = await setUp((request, response) => {
      if (request.headers.accept === 'text/event-stream') {
        return replay('test_run_stream_sync_streams_real_model.0.sse')(request, response);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return undefined;
    });
    const rawBody =
      '{"model":  "gpt-4o-mini",\n "messages": [{"role":"user","content":"Hi"}], "unknown_field": 1}';
    await adapter.chat({ ...REQUEST, unknown_field: 1 }, { rawBody });
    expect(server.requests[0]?.body.toString()).toBe(rawBody);
    const stream = await adapter.openStream({ ...REQUEST, unknown_field: 1 }, { rawBody });
    await drain(stream);
    expect(JSON.parse(server.requests[1]?.body.toString() ?? '')).toEqual({
      ...REQUEST,
      unknown_field: 1,
      stream: true,
    });
  });

  it('rejects a body that is not a chat completion with upstream_invalid_response', async () => {
    const { adapter } = await setUp((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(readFixture('shared', 'test_google_model_stream.0.sse'));
    });
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error.code).toBe('upstream_invalid_response');
  });

  it('maps a recorded error body with its status and retry-after-ms', async () => {
    const { adapter, server } = await setUp((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '3000' });
      response.end(readFixture('shared', 'openai__openai-error.1.json'));
    });
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error).toMatchObject({
      code: 'rate_limited',
      upstreamStatus: 429,
      retryAfterSeconds: 3,
    });
    expectSafe(error, server);
  });
});

describe('createOpenAICompatibleAdapter: openStream()', () => {
  it('yields each event as soon as it arrives', async () => {
    const blocks = sseBlocks(
      readFixture('shared', 'test_run_stream_sync_streams_real_model.0.sse'),
    );
    const requested: (() => void)[] = [];
    const { adapter } = await setUp(async (_request, response) => {
      sseHead(response);
      for (const block of blocks.slice(0, -1)) {
        // The next event is written only after the test has received this one: an adapter
        // that buffered would never see it, and the test would time out.
        const next = new Promise<void>((resolve) => requested.push(resolve));
        response.write(block);
        await next;
      }
      response.end(blocks.at(-1));
    });
    const stream = await adapter.openStream(REQUEST);
    const received: string[] = [];
    for await (const event of stream) {
      received.push(event.raw ?? '');
      requested.shift()?.();
    }
    expect(received).toHaveLength(blocks.length - 1);
    expect(received[0]).toBe(blocks[0]?.slice('data: '.length).trimEnd());
  }, 10_000);

  it('accepts a clean end without a final blank line once the choice finished', async () => {
    const { adapter } = await setUp(replay('openai-compatible__anthropic-fallback-tool-call.sse'));
    const events = await drain(await adapter.openStream(REQUEST));
    expect(events).toHaveLength(8);
    expect(events.at(-1)?.chunk.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('rejects a clean end before any finish with stream_interrupted', async () => {
    const blocks = sseBlocks(
      readFixture('shared', 'test_run_stream_sync_streams_real_model.0.sse'),
    );
    const { adapter } = await setUp((_request, response) => {
      sseHead(response);
      response.end(blocks.slice(0, 3).join(''));
    });
    const stream = await adapter.openStream(REQUEST);
    expect((await failureOf(drain(stream))).code).toBe('stream_interrupted');
  });

  it('rejects with the mapped error, before yielding, when the upstream answers non-2xx', async () => {
    const { adapter } = await setUp((_request, response) => {
      response
        .writeHead(429, { 'content-type': 'application/json' })
        .end(readFixture('shared', 'openai__openai-error.1.json'));
    });
    expect((await failureOf(adapter.openStream(REQUEST))).code).toBe('rate_limited');
  });

  it('reads past [DONE] to the end of the body, so the connection is reused', async () => {
    const { adapter, server, dispatcher } = await setUp(async (request, response) => {
      const bytes = readFixture('shared', 'test_run_stream_sync_streams_real_model.0.sse');
      sseHead(response);
      response.write(bytes);
      // The end of the chunked body comes after [DONE], as it can on a real network.
      if (server.requests.indexOf(request) === 0) await delay(20);
      response.end();
    });
    await drain(await adapter.openStream(REQUEST));
    for (let poll = 0; poll < 200 && (dispatcher.stats[server.origin]?.running ?? 0) > 0; poll += 1)
      await delay(5);
    await drain(await adapter.openStream(REQUEST));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.remotePort).toBe(server.requests[0]?.remotePort);
  });
});

describe('createOpenAICompatibleAdapter: timeouts and failures', () => {
  const firstBlock =
    sseBlocks(readFixture('shared', 'test_run_stream_sync_streams_real_model.0.sse'))[0] ?? '';

  it('times out with upstream_timeout when no headers arrive within firstByteMs', async () => {
    const { adapter, server } = await setUp(() => undefined, { ...FAST, firstByteMs: 150 });
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toBe('Upstream did not answer within the first-byte timeout.');
    expectSafe(error, server);
  });

  it('times out with upstream_timeout when a stream stalls longer than idleMs', async () => {
    const { adapter } = await setUp(
      (_request, response) => {
        sseHead(response);
        response.write(firstBlock);
      },
      { ...FAST, idleMs: 200 },
    );
    const stream = await adapter.openStream(REQUEST);
    const received: ChunkEvent[] = [];
    const error = await failureOf(
      (async () => {
        for await (const event of stream) received.push(event);
      })(),
    );
    expect(received).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'upstream_timeout',
      message: 'Upstream went silent for longer than the idle timeout.',
    });
  });

  it('ends with upstream_timeout when the whole request outlives totalMs, keep-alives or not', async () => {
    const { adapter } = await setUp(
      async (_request, response) => {
        sseHead(response);
        response.write(firstBlock);
        while (!response.destroyed) {
          response.write(': OPENROUTER PROCESSING\n\n');
          await delay(20);
        }
      },
      { ...FAST, totalMs: 300 },
    );
    const stream = await adapter.openStream(REQUEST);
    const error = await failureOf(drain(stream));
    expect(error).toMatchObject({
      code: 'upstream_timeout',
      message: 'Upstream did not finish within the total timeout.',
    });
  });

  it('rejects with stream_interrupted when the socket is destroyed mid-stream', async () => {
    const { adapter, server } = await setUp(async (_request, response) => {
      sseHead(response);
      response.write(firstBlock);
      await delay(20);
      response.socket?.destroy();
    });
    const stream = await adapter.openStream(REQUEST);
    const error = await failureOf(drain(stream));
    expect(error.code).toBe('stream_interrupted');
    expectSafe(error, server);
  });

  it('rejects with upstream_unavailable when nothing listens', async () => {
    const { adapter, server } = await setUp(() => undefined);
    await server.close();
    const error = await failureOf(adapter.chat(REQUEST));
    expect(error.code).toBe('upstream_unavailable');
    expectSafe(error, server);
  });

  it('propagates a client abort mid-stream: client_closed_request, and the upstream sees the close', async () => {
    const { adapter, server } = await setUp((_request, response) => {
      sseHead(response);
      response.write(firstBlock);
    });
    const controller = new AbortController();
    const stream = await adapter.openStream(REQUEST, { signal: controller.signal });
    const error = await failureOf(
      (async () => {
        for await (const _event of stream) controller.abort();
      })(),
    );
    expect(error.code).toBe('client_closed_request');
    await server.requests[0]?.closedEarly;
  });

  it('propagates a client abort before the headers', async () => {
    const { adapter, server } = await setUp(() => undefined);
    const controller = new AbortController();
    const pending = adapter.chat(REQUEST, { signal: controller.signal });
    await delay(50);
    controller.abort();
    expect((await failureOf(pending)).code).toBe('client_closed_request');
    await server.requests[0]?.closedEarly;
  });

  it('close() ends iteration quietly and closes the upstream connection', async () => {
    const { adapter, server } = await setUp((_request, response) => {
      sseHead(response);
      response.write(firstBlock);
    });
    const stream: UpstreamStream = await adapter.openStream(REQUEST);
    const events: ChunkEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      stream.close();
      stream.close();
    }
    expect(events).toHaveLength(1);
    await server.requests[0]?.closedEarly;
  });
});

describe('createOpenAICompatibleAdapter: checkHealth()', () => {
  it('never rejects', async () => {
    const { adapter, server } = await setUp(() => undefined);
    await server.close();
    const health = await adapter.checkHealth();
    expect(health.ok).toBe(false);
    expect(health.message).toMatch(/^upstream_unavailable: /);
  });
});
