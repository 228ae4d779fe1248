/**
 * Loads the real OpenRouter chat-completion recordings in `recordings/openrouter/{chat,cache}/`
 * (pydantic-ai VCR cassettes, see recordings/PROVENANCE.md). Cassette format: `interactions[]`
 * of `{request: {parsed_body, uri}, response: {status: {code}, headers, parsed_body | body.string}}`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCassette, type CassetteInteraction } from './read-cassette.ts';

const RECORDINGS = fileURLToPath(new URL('./recordings/openrouter/', import.meta.url));
const FOLDERS = ['chat', 'cache'] as const;

/** One recorded request/response pair. */
export interface RecordedInteraction extends CassetteInteraction {
  /** The `gen-…` id in the body, null when it has none (errors). */
  generationId: string | null;
}

function generationIdOf(bodyText: string): string | null {
  return /"id":"(gen-[^"]+)"/.exec(bodyText)?.[1] ?? null;
}

function readOpenRouterCassette(file: string): RecordedInteraction[] {
  return readCassette(RECORDINGS, file).map((interaction) => ({
    ...interaction,
    generationId: generationIdOf(interaction.bodyText),
  }));
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
    for (const name of names) interactions.push(...readOpenRouterCassette(`${folder}/${name}`));
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
