/**
 * An SSE answer as a list of events, ready for the SSE writer. Built from a synthesized
 * completion or split from a recorded stream. Event texts are complete wire bytes
 * (`: OPENROUTER PROCESSING\n\n`, `data: {…}\n\n`, `data: [DONE]\n\n`).
 */
import type { Usage } from '../contracts/chat.ts';

export interface SseEvent {
  kind: 'comment' | 'data' | 'done';
  text: string;
  /** The `usage` this data chunk carries, if any. */
  usage?: Usage;
}

/** The fields every chunk of one stream repeats (for the in-band error chunk). */
export interface ChunkHeader {
  id: string;
  object: string;
  created: number;
  model: string;
  provider?: string;
}

export interface SseScript {
  events: readonly SseEvent[];
  header: ChunkHeader;
  /** The usage an in-band error chunk sent after `dataChunksSent` data chunks reports. */
  usageAfter(dataChunksSent: number): Usage | null;
}

/** In-band error `{code, message}` as in the recorded test_openrouter_stream_error stream. */
export interface InBandError {
  code: number | string;
  message: string;
  [extra: string]: unknown;
}

/**
 * The recorded in-band error chunk (test_openrouter_stream_error.0.sse: `error` plus `usage`,
 * `finish_reason: null`, HTTP status still 200), in the 2026 field order.
 */
export function errorChunkEvent(
  header: ChunkHeader,
  error: InBandError,
  usage: Usage | null,
): SseEvent {
  const chunk: Record<string, unknown> = {
    ...header,
    error,
    choices: [
      {
        index: 0,
        delta: { content: '', role: 'assistant' },
        finish_reason: null,
        native_finish_reason: null,
      },
    ],
  };
  if (usage !== null) chunk.usage = usage;
  return usage === null
    ? { kind: 'data', text: `data: ${JSON.stringify(chunk)}\n\n` }
    : { kind: 'data', text: `data: ${JSON.stringify(chunk)}\n\n`, usage };
}

/**
 * A `data:` event whose chunk JSON stops mid-object (what a proxy cutting an event, or a buggy
 * upstream, sends): the stream's header fields, then an unterminated content string.
 */
export function malformedChunkEvent(header: ChunkHeader): SseEvent {
  const prefix = JSON.stringify(header).slice(0, -1);
  return { kind: 'data', text: `data: ${prefix},"choices":[{"index":0,"delta":{"content":"\n\n` };
}

export const DONE_EVENT: SseEvent = { kind: 'done', text: 'data: [DONE]\n\n' };

/**
 * Classifies split recorded events; `usage` is parsed only from chunks that mention it. An
 * in-band error programmed into a replayed stream reports the recording's final usage.
 */
export function recordedSseScript(texts: readonly string[]): SseScript {
  const events: SseEvent[] = [];
  let header: ChunkHeader = { id: '', object: 'chat.completion.chunk', created: 0, model: '' };
  let headerFound = false;
  for (const text of texts) {
    if (text.startsWith('data: [DONE]')) {
      events.push({ kind: 'done', text });
      continue;
    }
    if (!text.startsWith('data:')) {
      events.push({ kind: 'comment', text });
      continue;
    }
    const needsParse = !headerFound || text.includes('"usage"');
    const chunk = needsParse
      ? (JSON.parse(text.slice(5)) as Partial<ChunkHeader> & { usage?: Usage | null })
      : null;
    if (chunk !== null && !headerFound) {
      header = {
        id: chunk.id ?? '',
        object: chunk.object ?? 'chat.completion.chunk',
        created: chunk.created ?? 0,
        model: chunk.model ?? '',
      };
      if (chunk.provider !== undefined) header.provider = chunk.provider;
      headerFound = true;
    }
    const usage = chunk?.usage;
    events.push(
      usage === undefined || usage === null
        ? { kind: 'data', text }
        : { kind: 'data', text, usage },
    );
  }
  const finalUsage = events.findLast((event) => event.usage !== undefined)?.usage ?? null;
  return { events, header, usageAfter: () => finalUsage };
}
