import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { StreamPart } from '../../contracts/stream-part.ts';
import type { ChunkEvent } from '../provider-adapter.ts';
import { readFixture } from './__fixtures__/upstream-test-server.ts';
import { createSseParser } from './sse-parser.ts';
import { toStreamParts } from './to-stream-parts.ts';

/** The recorded stream's chunks, as openStream would yield them. */
function recordedEvents(folder: 'shared' | 'openrouter', name: string): ChunkEvent[] {
  const parser = createSseParser();
  const events: ChunkEvent[] = [];
  for (const message of parser.push(readFixture(folder, name))) {
    if (message.type !== 'event' || message.data === '[DONE]') continue;
    const chunk = JSON.parse(message.data) as ChatCompletionChunk;
    events.push({ chunk, raw: message.data, usage: chunk.usage ?? null });
  }
  return events;
}

async function* fromArray(
  events: readonly ChunkEvent[],
  failWith?: Error,
): AsyncGenerator<ChunkEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
  if (failWith !== undefined) throw failWith;
}

async function collect(events: AsyncIterable<ChunkEvent>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of toStreamParts(events)) parts.push(part);
  return parts;
}

function ofType<T extends StreamPart['type']>(
  parts: StreamPart[],
  type: T,
): Extract<StreamPart, { type: T }>[] {
  return parts.filter((part): part is Extract<StreamPart, { type: T }> => part.type === type);
}

describe('toStreamParts', () => {
  it('reassembles a streamed OpenAI tool call and reads usage from the choices:[] chunk (shape a)', async () => {
    const parts = await collect(
      fromArray(recordedEvents('shared', 'test_run_stream_sync_streams_real_model.0.sse')),
    );
    expect(parts[0]).toMatchObject({
      type: 'metadata',
      id: 'chatcmpl-Dx0XpqH8w09uBXwq1zFGYdETjtnEl',
      provider: null,
    });
    expect(ofType(parts, 'tool-call-delta')[0]).toMatchObject({
      id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
      name: 'get_capital',
    });
    expect(ofType(parts, 'tool-call')).toEqual([
      {
        type: 'tool-call',
        choiceIndex: 0,
        toolCallIndex: 0,
        id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
        name: 'get_capital',
        arguments: '{"country":"UK"}',
      },
    ]);
    const types = parts.map((part) => part.type);
    expect(types.indexOf('tool-call')).toBeLessThan(types.indexOf('finish'));
    expect(ofType(parts, 'finish')).toEqual([
      { type: 'finish', choiceIndex: 0, finishReason: 'tool_calls', nativeFinishReason: null },
    ]);
    expect(parts.at(-1)).toMatchObject({
      type: 'usage',
      usage: { prompt_tokens: 53, completion_tokens: 15 },
    });
  });

  it('keys tool calls by their index (the call at index 1 of the openai-compatible recording)', async () => {
    const parts = await collect(
      fromArray(recordedEvents('shared', 'openai-compatible__anthropic-fallback-tool-call.sse')),
    );
    expect(
      ofType(parts, 'text-delta')
        .map((part) => part.text)
        .join(''),
    ).toBe('Reading it.');
    expect(ofType(parts, 'tool-call')).toEqual([
      {
        type: 'tool-call',
        choiceIndex: 0,
        toolCallIndex: 1,
        id: 'toolu_sanitized',
        name: 'read_file',
        arguments: '{"path": "a.txt"}',
      },
    ]);
    expect(ofType(parts, 'usage')).toEqual([]);
  });

  it('emits one finish when the finish chunk is repeated to carry usage (shape b)', async () => {
    const parts = await collect(
      fromArray(recordedEvents('openrouter', 'test_openrouter_web_search_tool_usage_stream.0.sse')),
    );
    expect(parts[0]).toMatchObject({
      type: 'metadata',
      id: 'gen-1786465029-CAkqUciXgQW34RmFaTck',
      provider: 'OpenAI',
    });
    expect(ofType(parts, 'finish')).toEqual([
      { type: 'finish', choiceIndex: 0, finishReason: 'stop', nativeFinishReason: 'completed' },
    ]);
    expect(ofType(parts, 'usage')).toHaveLength(1);
    expect(parts.at(-1)).toMatchObject({
      type: 'usage',
      usage: { total_tokens: 8204, cost: 0.0133176 },
    });
  });

  it('reads usage from a chunk whose finish_reason is null (shape c) and yields reasoning deltas', async () => {
    const events = recordedEvents('openrouter', 'test_openrouter_streaming_reasoning.0.sse');
    const usageChunk = events.find(
      (event) => event.chunk.usage !== undefined && event.chunk.usage !== null,
    );
    expect(usageChunk?.chunk.choices[0]?.finish_reason).toBeNull();
    const parts = await collect(fromArray(events));
    expect(ofType(parts, 'reasoning-delta').length).toBeGreaterThan(0);
    expect(ofType(parts, 'text-delta').length).toBeGreaterThan(0);
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: usageChunk?.chunk.usage });
  });

  it('turns the recorded in-band error chunk into a final error part, after its usage', async () => {
    const parts = await collect(
      fromArray(recordedEvents('openrouter', 'test_openrouter_stream_error.0.sse')),
    );
    expect(ofType(parts, 'finish')).toEqual([
      { type: 'finish', choiceIndex: 0, finishReason: 'length', nativeFinishReason: 'length' },
    ]);
    expect(parts.slice(-2)).toEqual([
      {
        type: 'usage',
        usage: expect.objectContaining({ prompt_tokens: 43, completion_tokens: 10 }) as unknown,
      },
      {
        type: 'error',
        code: 'upstream_invalid_request',
        message: 'Upstream: Token limit reached',
        upstreamCode: 400,
      },
    ]);
  });

  it('ends with an error part when the source fails mid-stream', async () => {
    const events = recordedEvents('openrouter', 'test_openrouter_stream_error.0.sse').slice(0, 1);
    const failure = new SignalboxError(
      'stream_interrupted',
      'Upstream connection closed before the stream ended.',
    );
    const parts = await collect(fromArray(events, failure));
    expect(parts.at(-1)).toEqual({
      type: 'error',
      code: 'stream_interrupted',
      message: 'Upstream connection closed before the stream ended.',
      upstreamCode: null,
    });
  });

  it('hands over tool calls of a choice that never finished', async () => {
    const events = recordedEvents('shared', 'test_run_stream_sync_streams_real_model.0.sse').slice(
      0,
      6,
    );
    const parts = await collect(fromArray(events));
    expect(ofType(parts, 'finish')).toEqual([]);
    expect(ofType(parts, 'tool-call')[0]?.arguments).toBe('{"country":"UK"}');
  });
});
