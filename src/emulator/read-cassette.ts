/**
 * Reads a pydantic-ai VCR cassette (see recordings/PROVENANCE.md): `interactions[]` of
 * `{request: {parsed_body, uri}, response: {status: {code}, headers, parsed_body | body.string}}`.
 * Shared by the OpenRouter recordings and the vendor dialects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One recorded request/response pair, as the cassette has it. */
export interface CassetteInteraction {
  /** Cassette path relative to the recordings folder it was read from. */
  file: string;
  /** 0-based position in the cassette's `interactions`. */
  index: number;
  /** The JSON body the client sent (`request.parsed_body`). */
  requestBody: unknown;
  /** The recorded request URL. */
  uri: string;
  /** Recorded HTTP status. */
  status: number;
  /** Recorded `content-type`, e.g. `application/json` or `text/event-stream`. */
  contentType: string;
  /** True for `text/event-stream` answers. */
  stream: boolean;
  /** The body to send: `JSON.stringify(parsed_body)` for JSON, the raw SSE text for streams. */
  bodyText: string;
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

/**
 * @param folder absolute path of the recordings folder; `file` is relative to it.
 * @throws Error when the cassette cannot be read or is not YAML (a broken checkout).
 */
export function readCassette(folder: string, file: string): CassetteInteraction[] {
  const cassette = parse(readFileSync(join(folder, file), 'utf8')) as Cassette;
  return (cassette.interactions ?? []).map((interaction, index) => {
    const response = interaction.response ?? {};
    const contentType = headerValue(response.headers, 'content-type') ?? 'application/json';
    const stream = contentType.startsWith('text/event-stream');
    const raw = response.body?.string;
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
      bodyText:
        stream && typeof raw === 'string' ? raw : JSON.stringify(response.parsed_body ?? null),
    };
  });
}
