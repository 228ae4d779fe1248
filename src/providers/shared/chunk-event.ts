/**
 * Chunk events, and the scan that lets an OpenAI-compatible stream be relayed without parsing
 * every event. A streamed answer is mostly content deltas the gateway forwards untouched; what it
 * needs from the stream (usage, an in-band error, a finish reason) sits in a few events. The scan
 * looks for those keys with a non-null value; only events that have one are parsed when they
 * arrive, the others keep their text and parse their chunk the first time something reads it.
 *
 * The scan never misses: inside a JSON string a quote is always escaped (`\"`), so the exact text
 * `"usage"` followed by `:` can only be an object key. It can over-find (a nested key of the same
 * name), which only costs a parse.
 */
import type { ChatCompletionChunk, Usage } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ChunkEvent } from '../provider-adapter.ts';
import { inBandChunkError } from './map-upstream-error.ts';
import { asChatCompletionChunk } from './openai-compatible-api.ts';

/** An event for a chunk already in memory, its in-band error (if any) classified. */
export function chunkEvent(chunk: ChatCompletionChunk, raw: string | null = null): ChunkEvent {
  const usage = chunk.usage ?? null;
  const error = chunk.error === undefined ? undefined : inBandChunkError(chunk.error);
  return error === undefined ? { chunk, raw, usage } : { chunk, raw, usage, error };
}

/** Parses one event's JSON data. @throws SignalboxError `upstream_invalid_response`. */
export function parseEventJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    throw new SignalboxError(
      'upstream_invalid_response',
      'Upstream sent a stream event that is not JSON.',
      { cause: error },
    );
  }
}

/**
 * Parses one `data:` payload into a chat chunk.
 * @throws SignalboxError `upstream_invalid_response` when it is not JSON or not a chunk.
 */
export function parseChunk(data: string): ChatCompletionChunk {
  const chunk = asChatCompletionChunk(parseEventJson(data));
  if (chunk === null) {
    throw new SignalboxError(
      'upstream_invalid_response',
      'Upstream sent a stream event that is not a chat chunk.',
    );
  }
  return chunk;
}

/**
 * An event relayed as its text, with nothing the gateway needs in it (the scan found no usage,
 * error or finish reason): `chunk` is parsed on first access.
 * Reading `chunk` can throw SignalboxError `upstream_invalid_response`.
 */
class DeferredChunkEvent implements ChunkEvent {
  readonly raw: string;
  readonly usage = null;
  #chunk: ChatCompletionChunk | undefined;

  constructor(raw: string) {
    this.raw = raw;
  }

  get chunk(): ChatCompletionChunk {
    this.#chunk ??= parseChunk(this.raw);
    return this.#chunk;
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/** Whether `text` has the object key `quotedKey` (with its quotes) with a value other than null. */
export function hasNonNullKey(text: string, quotedKey: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(quotedKey, from);
    if (at < 0) return false;
    let index = at + quotedKey.length;
    while (isSpace(text.charCodeAt(index))) index += 1;
    from = index;
    if (text.charCodeAt(index) !== COLON) continue; // the same text as a value, not a key
    index += 1;
    while (isSpace(text.charCodeAt(index))) index += 1;
    if (!text.startsWith('null', index)) return true;
    from = index + 4;
  }
}

/** Whether an event's text can hold what the gateway reads from a stream. */
function mayHoldSignals(data: string): boolean {
  return (
    hasNonNullKey(data, '"finish_reason"') ||
    hasNonNullKey(data, '"usage"') ||
    hasNonNullKey(data, '"error"')
  );
}

/** Whether the text is framed as a JSON object: `{` … `}` around optional whitespace. */
function isObjectFramed(data: string): boolean {
  let start = 0;
  let end = data.length - 1;
  while (start < end && isSpace(data.charCodeAt(start))) start += 1;
  while (end > start && isSpace(data.charCodeAt(end))) end -= 1;
  return data.charCodeAt(start) === OPEN_BRACE && data.charCodeAt(end) === CLOSE_BRACE;
}

export interface ScanOptions {
  /** Parse whatever the scan says (the first event of a stream: its id and errors are read). */
  parse: boolean;
  /** Rewrites `usage`; a rewritten chunk's `raw` becomes null. */
  mapUsage?: ((usage: Usage) => Usage) | undefined;
}

/**
 * One OpenAI-compatible stream event from its `data:` text. Every event must be framed as a JSON
 * object (an event cut short is caught here, not forwarded); events that can hold usage, an error
 * or a finish reason — and every event when `options.parse` — are parsed now, the rest later.
 * @throws SignalboxError `upstream_invalid_response`
 */
export function scanChunkEvent(data: string, options: ScanOptions): ChunkEvent {
  if (!isObjectFramed(data)) {
    throw new SignalboxError(
      'upstream_invalid_response',
      'Upstream sent a stream event that is not JSON.',
    );
  }
  if (!options.parse && !mayHoldSignals(data)) return new DeferredChunkEvent(data);
  const chunk = parseChunk(data);
  let raw: string | null = data;
  if (options.mapUsage !== undefined && chunk.usage !== undefined && chunk.usage !== null) {
    chunk.usage = options.mapUsage(chunk.usage);
    raw = null;
  }
  return chunkEvent(chunk, raw);
}

/** Whether any choice of an event has finished (a deferred event never has: the scan said so). */
export function hasFinished(event: ChunkEvent): boolean {
  if (event instanceof DeferredChunkEvent) return false;
  return event.chunk.choices.some((choice) => typeof choice.finish_reason === 'string');
}
