import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFixture } from './__fixtures__/upstream-test-server.ts';
import { createSseParser, type SseMessage } from './sse-parser.ts';

const folders = ['shared', 'openrouter'] as const;
const recordings = folders.flatMap((folder) =>
  readdirSync(new URL(`../${folder}/__fixtures__/`, import.meta.url))
    .filter((name) => name.endsWith('.sse'))
    .map((name) => ({ folder, name, bytes: readFixture(folder, name) })),
);

function parseInPieces(pieces: readonly Uint8Array[]): SseMessage[] {
  const parser = createSseParser();
  const messages: SseMessage[] = [];
  for (const piece of pieces) messages.push(...parser.push(piece));
  messages.push(...parser.end());
  return messages;
}

function byteByByte(bytes: Buffer): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let index = 0; index < bytes.length; index += 1)
    pieces.push(bytes.subarray(index, index + 1));
  return pieces;
}

/** Deterministic pseudo-random splits (mulberry32), so a failure can be replayed. */
function randomSplits(bytes: Buffer, seed: number): Uint8Array[] {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = 1 + Math.floor(next() * 40);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}

/**
 * An independent reading of these recordings: every event is one `data: ` line. A last event
 * with no blank line after it (the vercel openai-compatible recording ends `data: [DONE]\n`)
 * is dropped, as the standard says.
 */
function dataLines(text: string): string[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));
  return /(\r\n|\r|\n){2}$/.test(text) ? lines : lines.slice(0, -1);
}

describe('createSseParser on the recorded streams', () => {
  it('has recordings to read', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(10);
  });

  for (const { folder, name, bytes } of recordings) {
    describe(`${folder}/${name}`, () => {
      const whole = parseInPieces([bytes]);

      it('yields one event per data line, with the exact payload text', () => {
        const events = whole.filter((message) => message.type === 'event');
        expect(events.map((event) => event.data)).toEqual(dataLines(bytes.toString('utf8')));
      });

      it('gives the same items byte by byte, in random splits, and as text', () => {
        expect(parseInPieces(byteByByte(bytes))).toEqual(whole);
        for (const seed of [1, 2, 3])
          expect(parseInPieces(randomSplits(bytes, seed))).toEqual(whole);
        const parser = createSseParser();
        expect([...parser.push(bytes.toString('utf8')), ...parser.end()]).toEqual(whole);
      });

      it('gives the same items with CRLF and with CR line endings, split anywhere', () => {
        const text = bytes.toString('utf8').replace(/\r\n/g, '\n');
        const crlf = Buffer.from(text.replace(/\n/g, '\r\n'));
        const cr = Buffer.from(text.replace(/\n/g, '\r'));
        expect(parseInPieces(byteByByte(crlf))).toEqual(whole);
        expect(parseInPieces(randomSplits(crlf, 7))).toEqual(whole);
        expect(parseInPieces(randomSplits(cr, 8))).toEqual(whole);
      });
    });
  }

  it('reports the 17 keep-alive comments of test_openrouter_stream_error', () => {
    const messages = parseInPieces([
      readFixture('openrouter', 'test_openrouter_stream_error.0.sse'),
    ]);
    const comments = messages.filter((message) => message.type === 'comment');
    expect(comments).toHaveLength(17);
    expect(new Set(comments.map((comment) => comment.text))).toEqual(
      new Set(['OPENROUTER PROCESSING']),
    );
    // All 17 come before the first event.
    expect(messages.slice(0, 17).every((message) => message.type === 'comment')).toBe(true);
  });

  it('keeps multi-byte UTF-8 intact when it is split between chunks', () => {
    const bytes = readFixture('openrouter', 'test_openrouter_stream_with_native_options.0.sse');
    expect(bytes.length).toBeGreaterThan(bytes.toString('utf8').length);
    const events = parseInPieces(byteByByte(bytes)).filter((message) => message.type === 'event');
    expect(events.map((event) => event.data)).toEqual(dataLines(bytes.toString('utf8')));
  });

  it('reads the Gemini recording, whose events end in CRLF', () => {
    const bytes = readFixture('shared', 'test_google_model_stream.0.sse');
    expect(bytes.includes('\r\n\r\n')).toBe(true);
    const events = parseInPieces(randomSplits(bytes, 5)).filter(
      (message) => message.type === 'event',
    );
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) expect(() => JSON.parse(event.data) as unknown).not.toThrow();
  });
});

describe('createSseParser per the WHATWG rules', () => {
  const parse = (text: string): SseMessage[] => parseInPieces([Buffer.from(text)]);

  it('joins multi-line data with LF and reads event, id and retry', () => {
    expect(parse('event: update\nid: 7\nretry: 1500\ndata: a\ndata:b\ndata\n\n')).toEqual([
      { type: 'event', event: 'update', id: '7', retry: 1500, data: 'a\nb\n' },
    ]);
  });

  it('strips one space after the colon only, and ignores unknown fields and bad retry values', () => {
    expect(parse('data:  two spaces\nfoo: bar\nretry: 1x\n\n')).toEqual([
      { type: 'event', data: ' two spaces' },
    ]);
  });

  it('keeps the last event id for later events and resets the event type', () => {
    expect(parse('event: a\nid: 1\ndata: x\n\ndata: y\n\n')).toEqual([
      { type: 'event', event: 'a', id: '1', data: 'x' },
      { type: 'event', id: '1', data: 'y' },
    ]);
  });

  it('dispatches nothing for a blank line without data', () => {
    expect(parse('event: ping\n\n\n')).toEqual([]);
  });

  it('handles a CRLF whose CR ends one chunk and LF starts the next', () => {
    expect(
      parseInPieces([
        Buffer.from('data: a\r'),
        Buffer.from('\n\r'),
        Buffer.from('\ndata: b\r\n\r\n'),
      ]),
    ).toEqual([
      { type: 'event', data: 'a' },
      { type: 'event', data: 'b' },
    ]);
  });

  it('drops a leading byte-order mark', () => {
    expect(parse('\uFEFFdata: x\n\n')).toEqual([{ type: 'event', data: 'x' }]);
  });

  it('drops an unterminated event at the end but still reports a final comment', () => {
    expect(parse('data: complete\n\ndata: partial')).toEqual([{ type: 'event', data: 'complete' }]);
    expect(parse(': keep-alive')).toEqual([{ type: 'comment', text: 'keep-alive' }]);
  });
});
