/**
 * Loads the real OpenRouter chat-completion recordings in `recordings/openrouter/{chat,cache}/`
 * (pydantic-ai VCR cassettes, see recordings/PROVENANCE.md). Cassette format: `interactions[]`
 * of `{request: {parsed_body, uri}, response: {status: {code}, headers, parsed_body | body.string}}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const RECORDINGS = fileURLToPath(new URL('./recordings/openrouter/', import.meta.url));
const FOLDERS = ['chat', 'cache'] as const;

/** One recorded request/response pair. */
export interface RecordedInteraction {
  /** Cassette path under recordings/openrouter, e.g. `chat/test_openrouter_tool_calling.yaml`. */
  file: string;
  /** 0-based position in the cassette's `interactions`. */
  index: number;
  /** The JSON body the client sent (`request.parsed_body`). */
  requestBody: unknown;
  /** The recorded request URL, e.g. `https://openrouter.ai/api/v1/chat/completions`. */
  uri: string;
  /** Recorded HTTP status. */
  status: number;
  /** Recorded `content-type`, e.g. `application/json` or `text/event-stream`. */
  contentType: string;
  /** True for `text/event-stream` answers. */
  stream: boolean;
  /** The body to send: `JSON.stringify(parsed_body)` for JSON, the raw SSE text for streams. */
  bodyText: string;
  /** The `gen-…` id in the body, null when it has none (errors). */
  generationId: string | null;
}

interface Cassette {
  interactions?: {
    request?: { parsed_body?: unknown; uri?: unknown };
    response?: {
      status?: { code?: unknown };
      headers?: Record<string, unknown>;
      parsed_body?: unknown;
      body?: { string?: unknown };
    };
  }[];
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
}

function generationIdOf(bodyText: string): string | null {
  return /"id":"(gen-[^"]+)"/.exec(bodyText)?.[1] ?? null;
}

function readCassette(file: string): RecordedInteraction[] {
  const cassette = parse(readFileSync(join(RECORDINGS, file), 'utf8')) as Cassette;
  return (cassette.interactions ?? []).map((interaction, index) => {
    const response = interaction.response ?? {};
    const contentType = headerValue(response.headers, 'content-type') ?? 'application/json';
    const stream = contentType.startsWith('text/event-stream');
    const raw = response.body?.string;
    const bodyText =
      stream && typeof raw === 'string' ? raw : JSON.stringify(response.parsed_body ?? null);
    const uri = interaction.request?.uri;
    const status = response.status?.code;
    return {
      file,
      index,
      requestBody: interaction.request?.parsed_body ?? null,
      uri: typeof uri === 'string' ? uri : '',
      status: typeof status === 'number' ? status : 200,
      contentType,
      stream,
      bodyText,
      generationId: generationIdOf(bodyText),
    };
  });
}

let cached: RecordedInteraction[] | undefined;

/**
 * Every recorded chat-completion interaction, cassette by cassette in file-name order.
 * Parsed at the first call (never at import time) and cached.
 * @throws Error when a cassette cannot be read or is not YAML (a broken checkout).
 */
export function loadRecordedInteractions(): RecordedInteraction[] {
  if (cached !== undefined) return cached;
  const interactions: RecordedInteraction[] = [];
  for (const folder of FOLDERS) {
    const names = readdirSync(join(RECORDINGS, folder))
      .filter((name) => name.endsWith('.yaml'))
      .sort();
    for (const name of names) interactions.push(...readCassette(`${folder}/${name}`));
  }
  cached = interactions;
  return interactions;
}

/** Splits SSE text into events, each keeping its terminating blank line (`…\n\n`). */
export function splitSseEvents(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n\n', start); end !== -1; end = text.indexOf('\n\n', start)) {
    events.push(text.slice(start, end + 2));
    start = end + 2;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}
