/**
 * Fuzzing the stream readers with random and truncated input (issue 7, defect 9): the SSE parser,
 * the OpenAI-compatible event reader, and the Anthropic and Gemini translators behind the
 * translated reader, fed mutations of real recorded streams (seeded, so every run sees the same
 * cases) in random pieces. Whatever the bytes, a reader yields chunks or fails with a
 * SignalboxError — never another exception, never an unhandled one (vitest fails the run on any).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { createAnthropicStreamTranslator } from './anthropic/anthropic-stream-translator.ts';
import { createGeminiStreamTranslator } from './gemini/gemini-stream-translator.ts';
import type { ChunkEvent, UpstreamStream } from './provider-adapter.ts';
import {
  createRandom,
  mutateSse,
  randomPieces,
  type Random,
} from './shared/__fixtures__/fuzz-input.ts';
import { startTestServer } from './shared/__fixtures__/upstream-test-server.ts';
import { createOpenAICompatibleAdapter } from './shared/openai-compatible-adapter.ts';
import { createSseParser, type SseMessage } from './shared/sse-parser.ts';
import { toStreamParts } from './shared/to-stream-parts.ts';
import { createTranslatedStream } from './shared/translated-adapter.ts';
import { createUpstreamEventStream } from './shared/upstream-event-stream.ts';
import {
  createUpstreamDispatcher,
  mapTransportError,
  type UpstreamResponse,
} from './shared/upstream-http.ts';

function fixture(folder: string, name: string): string {
  return readFileSync(new URL(`./${folder}/__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** `*.chunks.txt` (one event JSON per line) framed as the upstream sends it. */
function framed(text: string, frame: (json: string) => string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(frame)
    .join('');
}

const OPENAI_SEEDS = [
  fixture('openrouter', 'test_openrouter_stream_with_reasoning.0.sse'),
  fixture('openrouter', 'test_openrouter_stream_error.0.sse'),
  fixture('openrouter', 'test_openrouter_advisor_tool_stream.0.sse'),
  fixture('openrouter', 'test_openrouter_cache_streaming_e2e.0.sse'),
  fixture('shared', 'openai-compatible__anthropic-fallback-tool-call.sse'),
  fixture('shared', 'test_run_stream_sync_streams_real_model.0.sse'),
];
const ANTHROPIC_SEEDS = [
  fixture('anthropic', 'test_anthropic_model_thinking_part_redacted_stream.0.sse'),
  fixture('anthropic', 'tool_use_response.txt'),
  framed(fixture('anthropic', 'anthropic-text.chunks.txt'), (json) => {
    const type = (JSON.parse(json) as { type: string }).type;
    return `event: ${type}\ndata: ${json}\n\n`;
  }),
];
const GEMINI_SEEDS = [
  fixture('gemini', 'test_google_model_stream.0.sse'),
  fixture('gemini', 'test_google_streaming_tool_call_thought_signature.0.sse'),
  framed(
    fixture('gemini', 'google-stream-tool-call-arguments.chunks.txt'),
    (json) => `data: ${json}\r\n\r\n`,
  ),
];

const NEVER = new AbortController().signal;

/** An UpstreamResponse over in-memory pieces, as the readers see an undici body. */
function fakeResponse(pieces: readonly Buffer[]): UpstreamResponse {
  const body = Readable.from(pieces);
  return {
    status: 200,
    headers: {},
    firstByteMs: 0,
    body: body as unknown as UpstreamResponse['body'],
    readBody: () => Promise.reject(new Error('not used by stream readers')),
    discard: () => {
      if (!body.destroyed) body.destroy();
    },
    drain: () => {
      body.resume();
    },
    toError: (error, phase) => mapTransportError(error, phase, undefined, NEVER),
  };
}

interface Outcome {
  events: ChunkEvent[];
  error: unknown;
}

/** Reads a stream to its end, closing it early after `closeAfter` events when given. */
async function read(stream: UpstreamStream, closeAfter: number | null): Promise<Outcome> {
  const events: ChunkEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      if (events.length === closeAfter) stream.close();
    }
    return { events, error: null };
  } catch (error) {
    return { events, error };
  } finally {
    stream.close();
  }
}

function expectReadable(outcome: Outcome): void {
  if (outcome.error !== null) expect(outcome.error).toBeInstanceOf(SignalboxError);
  // These bodies never fail in transport: a lost connection here would be bad bytes misreported.
  if (outcome.error instanceof SignalboxError && outcome.error.code === 'stream_interrupted')
    expect(outcome.error.cause).toBeUndefined();
  for (const event of outcome.events) expectChunkOrDeferredFailure(event);
}

/**
 * An event's chunk is readable, or — for an event relayed as its text and parsed on first read —
 * reading it fails with `upstream_invalid_response`, never anything else.
 */
function expectChunkOrDeferredFailure(event: ChunkEvent): void {
  let chunk: ChunkEvent['chunk'];
  try {
    chunk = event.chunk;
  } catch (error) {
    expect(error).toBeInstanceOf(SignalboxError);
    expect(error).toMatchObject({ code: 'upstream_invalid_response' });
    expect(event.raw).not.toBeNull();
    return;
  }
  expect(Array.isArray(chunk.choices)).toBe(true);
}

type Open = (response: UpstreamResponse) => UpstreamStream;

async function fuzzReader(seeds: readonly string[], open: Open, cases: number, seed: number) {
  const random = createRandom(seed);
  const failures = new Map<string, number>();
  for (let index = 0; index < cases; index += 1) {
    const pieces = randomPieces(mutateSse(random.pick(seeds), random), random);
    const closeAfter = random.next() < 0.1 ? 1 + random.int(5) : null;
    const outcome = await read(open(fakeResponse(pieces)), closeAfter);
    expectReadable(outcome);
    if (outcome.error instanceof SignalboxError)
      failures.set(outcome.error.code, (failures.get(outcome.error.code) ?? 0) + 1);
    // The library's typed parts over the same bytes (every third case, to stay fast): never a
    // throw, at most a final `error` part.
    if (index % 3 !== 0) continue;
    const parts = [];
    for await (const part of toStreamParts(open(fakeResponse(pieces)))) parts.push(part);
    expect(parts.slice(0, -1).some((part) => part.type === 'error')).toBe(false);
  }
  return failures;
}

function parseAll(pieces: readonly (Buffer | string)[]): SseMessage[] {
  const parser = createSseParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

function seedText(random: Random): Buffer {
  return mutateSse(random.pick([...OPENAI_SEEDS, ...ANTHROPIC_SEEDS, ...GEMINI_SEEDS]), random);
}

describe('stream readers under random and truncated input', () => {
  it('the SSE parser never throws, and any split of the bytes parses like the whole', () => {
    const random = createRandom(0x5eed);
    for (let index = 0; index < 2000; index += 1) {
      const bytes = seedText(random);
      expect(parseAll(randomPieces(bytes, random))).toEqual(parseAll([bytes]));
    }
  });

  it('the OpenAI-compatible event reader fails only with SignalboxError', async () => {
    const failures = await fuzzReader(
      OPENAI_SEEDS,
      (response) => createUpstreamEventStream(response, { generationId: null }),
      1000,
      0xc0ffee,
    );
    // The mutations must actually reach the failure paths, or this test proves nothing.
    expect(failures.get('upstream_invalid_response')).toBeGreaterThan(30);
    expect(failures.get('stream_interrupted')).toBeGreaterThan(30);
  });

  it('the Anthropic translator fails only with SignalboxError', async () => {
    const failures = await fuzzReader(
      ANTHROPIC_SEEDS,
      (response) => createTranslatedStream(response, createAnthropicStreamTranslator()),
      800,
      0xa17,
    );
    expect(failures.get('upstream_invalid_response')).toBeGreaterThan(30);
  });

  it('the Gemini translator fails only with SignalboxError', async () => {
    const failures = await fuzzReader(
      GEMINI_SEEDS,
      (response) => createTranslatedStream(response, createGeminiStreamTranslator()),
      800,
      0x9e31,
    );
    expect(failures.get('upstream_invalid_response')).toBeGreaterThan(30);
  });

  it('over real undici bodies that arrived whole, cut short by a reader that gives up', async () => {
    const random = createRandom(0xbad5);
    const bodies: Buffer[] = [];
    const server = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(bodies.shift() ?? Buffer.alloc(0));
    });
    const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: 1_000 });
    const adapter = createOpenAICompatibleAdapter({
      id: 'fuzz',
      baseUrl: server.origin,
      timeouts: { connectMs: 1_000, firstByteMs: 2_000, idleMs: 2_000, totalMs: 5_000 },
      dispatcher,
      capabilities: { streaming: true, tools: false, reportsCost: false },
      headers: () => ({}),
    });
    try {
      for (let index = 0; index < 100; index += 1) {
        bodies.push(mutateSse(random.pick(OPENAI_SEEDS), random));
        const stream = await adapter.openStream({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
        });
        // Let the whole body arrive before reading: the state in which a cut once crashed.
        await new Promise((resolve) => setTimeout(resolve, 2));
        expectReadable(await read(stream, random.next() < 0.3 ? 1 : null));
      }
    } finally {
      await dispatcher.close();
      await server.close();
    }
  });
});

describe('a translator that meets bytes it did not expect', () => {
  it('reports them as upstream_invalid_response, never as a lost connection', async () => {
    const outcome = await read(
      createTranslatedStream(fakeResponse([Buffer.from('data: {}\n\n')]), {
        complete: false,
        push: () => {
          throw new TypeError("Cannot read properties of null (reading 'type')");
        },
        end: () => [],
      }),
      null,
    );
    expect(outcome.error).toBeInstanceOf(SignalboxError);
    expect(outcome.error).toMatchObject({ code: 'upstream_invalid_response' });
  });
});
