/**
 * The real vendor recordings in `recordings/{openai,anthropic,gemini}/` (pydantic-ai VCR
 * cassettes, see recordings/PROVENANCE.md) and the matcher that replays them: a request whose
 * JSON body deep-equals a recorded `request.parsed_body`, for the same model and streaming mode,
 * gets the recorded status, content type and bytes (SSE event by event). Interactions sharing a
 * body answer in order, cycling.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCassette, type CassetteInteraction } from '../read-cassette.ts';
import type { Usage } from '../../contracts/chat.ts';
import { deepEqualJson } from '../deep-equal-json.ts';
import type { Dialect, DialectName, DialectStreamEvent } from './dialect-types.ts';

const RECORDINGS = fileURLToPath(new URL('../recordings/', import.meta.url));

/** One recorded exchange of a vendor dialect. */
export interface DialectInteraction extends CassetteInteraction {
  /** The native model: the body's `model`, or for Gemini the one in the URL path. */
  model: string;
}

/** A recorded interaction ready to send. */
export interface DialectReplay {
  interaction: DialectInteraction;
  /** SSE events for streams, null for JSON answers. */
  events: DialectStreamEvent[] | null;
  /** The translated usage the answer carries (for streams, the last event's), or null. */
  usage: Usage | null;
}

const ENDPOINTS: Record<DialectName, RegExp> = {
  openai: /^https:\/\/api\.openai\.com\/v1\/chat\/completions$/,
  anthropic: /^https:\/\/api\.anthropic\.com\/v1\/messages(\?beta=true)?$/,
  gemini: /\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent\?alt=sse)$/,
};

function readDialectCassette(dialect: DialectName, name: string): DialectInteraction[] {
  return readCassette(RECORDINGS, `${dialect}/${name}`).map((interaction) => {
    const body = interaction.requestBody;
    const bodyModel: unknown =
      typeof body === 'object' && body !== null ? Reflect.get(body, 'model') : undefined;
    const pathModel = ENDPOINTS.gemini.exec(interaction.uri)?.[1];
    return {
      ...interaction,
      model:
        dialect === 'gemini' ? (pathModel ?? '') : typeof bodyModel === 'string' ? bodyModel : '',
    };
  });
}

const cache = new Map<DialectName, DialectInteraction[]>();

/**
 * Every recorded interaction of a dialect (any endpoint), cassette by cassette in file-name order.
 * Parsed at the first call and cached.
 * @throws Error when a cassette cannot be read or is not YAML (a broken checkout).
 */
export function loadDialectInteractions(dialect: DialectName): DialectInteraction[] {
  const cached = cache.get(dialect);
  if (cached !== undefined) return cached;
  const names = readdirSync(join(RECORDINGS, dialect))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const interactions = names.flatMap((name) => readDialectCassette(dialect, name));
  cache.set(dialect, interactions);
  return interactions;
}

/** Whether an interaction was recorded on the dialect's replayed endpoint. */
export function isReplayedEndpoint(dialect: DialectName, interaction: DialectInteraction): boolean {
  return ENDPOINTS[dialect].test(interaction.uri);
}

/** Splits SSE text into events, each keeping its blank line (`\n\n`, or Gemini's `\r\n\r\n`). */
export function splitDialectSse(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n\n', start);
    const crlf = text.indexOf('\r\n\r\n', start);
    const candidates = [lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4].filter(
      (end) => end !== -1,
    );
    if (candidates.length === 0) break;
    const end = Math.min(...candidates);
    events.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}

/** The JSON of an SSE event's `data:` line, or null (comments, `[DONE]`, non-JSON). */
export function eventData(event: string): unknown {
  const line = event.split(/\r?\n/).find((item) => item.startsWith('data:'));
  if (line === undefined) return null;
  try {
    return JSON.parse(line.slice(5)) as unknown;
  } catch {
    return null;
  }
}

function toReplay(dialect: Dialect, interaction: DialectInteraction): DialectReplay {
  if (!interaction.stream) {
    const usage = dialect.usageOf(JSON.parse(interaction.bodyText), null);
    return { interaction, events: null, usage };
  }
  let usage: Usage | null = null;
  const events = splitDialectSse(interaction.bodyText).map((text) => {
    const found = dialect.usageOf(eventData(text), usage);
    if (found === null) return { text };
    usage = found;
    return { text, usage: found };
  });
  return { interaction, events, usage };
}

interface Group {
  key: string;
  requestBody: unknown;
  members: DialectReplay[];
  next: number;
}

export interface DialectRecordingMatcher {
  /** The recording answering this request, or null; advances the group's cycle. */
  match(dialect: Dialect, model: string, stream: boolean, body: unknown): DialectReplay | null;
}

/** A matcher over the shipped recordings; each dialect's cassettes are parsed at its first match. */
export function createDialectRecordingMatcher(): DialectRecordingMatcher {
  const indexes = new Map<DialectName, Group[]>();
  const indexOf = (dialect: Dialect): Group[] => {
    let groups = indexes.get(dialect.name);
    if (groups !== undefined) return groups;
    groups = [];
    for (const interaction of loadDialectInteractions(dialect.name)) {
      if (!isReplayedEndpoint(dialect.name, interaction)) continue;
      const key = `${interaction.model} ${String(interaction.stream)}`;
      const replay = toReplay(dialect, interaction);
      const group = groups.find(
        (item) => item.key === key && deepEqualJson(item.requestBody, interaction.requestBody),
      );
      if (group === undefined)
        groups.push({ key, requestBody: interaction.requestBody, members: [replay], next: 0 });
      else group.members.push(replay);
    }
    indexes.set(dialect.name, groups);
    return groups;
  };
  return {
    match(dialect, model, stream, body) {
      const key = `${model} ${String(stream)}`;
      const group = indexOf(dialect).find(
        (item) => item.key === key && deepEqualJson(item.requestBody, body),
      );
      if (group === undefined) return null;
      const member = group.members[group.next % group.members.length] ?? null;
      group.next += 1;
      return member;
    },
  };
}
