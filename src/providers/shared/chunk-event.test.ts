/**
 * The scan that relays stream events without parsing them must never miss what the gateway reads
 * (usage, in-band errors, finish reasons): checked against every event of real recorded streams
 * (OpenRouter and OpenAI, fixtures with their provenance), parsed in full as the reference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { hasFinished, hasNonNullKey, scanChunkEvent } from './chunk-event.ts';
import { createSseParser } from './sse-parser.ts';

const FIXTURE_DIRECTORIES = [
  path.join(import.meta.dirname, '__fixtures__'),
  path.join(import.meta.dirname, '..', 'openrouter', '__fixtures__'),
];

/** Every chat-chunk `data:` payload of the recorded OpenAI-format streams. */
function recordedEvents(): { file: string; data: string }[] {
  const events: { file: string; data: string }[] = [];
  for (const directory of FIXTURE_DIRECTORIES) {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.sse'))) {
      const parser = createSseParser();
      const messages = [...parser.push(readFileSync(path.join(directory, file))), ...parser.end()];
      for (const message of messages) {
        if (message.type !== 'event' || message.data === '[DONE]') continue;
        const parsed = JSON.parse(message.data) as { object?: unknown };
        if (parsed.object === 'chat.completion.chunk') events.push({ file, data: message.data });
      }
    }
  }
  return events;
}

describe('scanning recorded stream events', () => {
  const events = recordedEvents();

  it('covers real streams with usage, errors and finish reasons', () => {
    const chunks = events.map(({ data }) => JSON.parse(data) as ChatCompletionChunk);
    expect(new Set(events.map(({ file }) => file)).size).toBeGreaterThanOrEqual(6);
    expect(chunks.filter((chunk) => chunk.usage != null).length).toBeGreaterThanOrEqual(6);
    expect(chunks.filter((chunk) => chunk.error !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(
      chunks.filter((chunk) => chunk.choices.some((choice) => choice.finish_reason != null)).length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('finds every usage, error and finish reason a full parse finds, and defers the rest', () => {
    let deferred = 0;
    for (const { data } of events) {
      const reference = JSON.parse(data) as ChatCompletionChunk;
      const event = scanChunkEvent(data, { parse: false });
      expect(event.raw).toBe(data);
      expect(event.usage).toEqual(reference.usage ?? null);
      expect(event.error !== undefined).toBe(reference.error !== undefined);
      expect(hasFinished(event)).toBe(
        reference.choices.some((choice) => typeof choice.finish_reason === 'string'),
      );
      if (!hasNonNullKey(data, '"finish_reason"') && reference.usage == null) deferred += 1;
      // Deferred or not, the chunk read later is the one the text holds.
      expect(event.chunk).toEqual(reference);
    }
    // Most events of a stream are plain deltas: the point of the scan.
    expect(deferred / events.length).toBeGreaterThan(0.5);
  });

  it('classifies an in-band error like the adapter always did', () => {
    const withError = events.find(({ data }) => hasNonNullKey(data, '"error"'));
    const event = scanChunkEvent(withError?.data ?? '', { parse: false });
    expect(event.error).toBeInstanceOf(SignalboxError);
  });
});

describe('hasNonNullKey', () => {
  it('tells a key with a value from a null one, a value of the same text and escaped text', () => {
    expect(hasNonNullKey('{"usage":{"prompt_tokens":1}}', '"usage"')).toBe(true);
    expect(hasNonNullKey('{"usage" : null}', '"usage"')).toBe(false);
    expect(hasNonNullKey('{"usage":null,"x":{"usage":3}}', '"usage"')).toBe(true);
    expect(hasNonNullKey('{"content":"usage"}', '"usage"')).toBe(false);
    expect(hasNonNullKey('{"content":"say \\"usage\\": 1"}', '"usage"')).toBe(false);
    expect(hasNonNullKey('{"finish_reason":"stop"}', '"finish_reason"')).toBe(true);
    expect(hasNonNullKey('{"a":1}', '"finish_reason"')).toBe(false);
  });
});

describe('scanChunkEvent', () => {
  const delta =
    '{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}';

  it('rejects an event cut short before relaying it', () => {
    expect(() => scanChunkEvent(delta.slice(0, -3), { parse: false })).toThrow(
      expect.objectContaining({ code: 'upstream_invalid_response' }) as Error,
    );
  });

  it('parses every event when asked (the first of a stream)', () => {
    const broken = '{"id": }';
    expect(() => scanChunkEvent(broken, { parse: true })).toThrow(SignalboxError);
    const deferred = scanChunkEvent(broken, { parse: false });
    expect(() => deferred.chunk).toThrow(
      expect.objectContaining({ code: 'upstream_invalid_response' }) as Error,
    );
  });

  it('rewrites usage when told to, and then relays the chunk re-serialised', () => {
    const withUsage =
      '{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}';
    const event = scanChunkEvent(withUsage, {
      parse: false,
      mapUsage: (usage) => ({ ...usage, total_tokens: 6 }),
    });
    expect(event.raw).toBeNull();
    expect(event.usage?.total_tokens).toBe(6);
  });
});
