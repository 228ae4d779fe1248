/**
 * Public types of the OpenRouter emulator (see index.ts). The wire formats it serves follow
 * OpenRouter's OpenAPI spec and the recorded traffic in `recordings/` (PROVENANCE.md there).
 */
import type { Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';

export interface EmulatorOptions {
  /**
   * Catalogue served at /api/v1/models and used for prices; default: the shipped snapshot
   * src/catalog/snapshot/models-snapshot-2026-05.json (`{data: ModelInfo[]}`).
   */
  models?: ModelInfo[];
  /**
   * If given, only these bearer keys are accepted (others: 401 `User not found.`);
   * default: any non-empty bearer. A missing header gets 401 `No cookie auth credentials found`.
   */
  apiKeys?: readonly string[];
  /** Replay recorded interactions (default true). */
  replay?: boolean;
  /**
   * Milliseconds after a generation ends before `/api/v1/generation` finds it (404 until then),
   * as OpenRouter's own record appears a few seconds late; default 0.
   */
  generationLookupDelayMs?: number;
  /**
   * Most ledger entries (and /generation records) kept; the oldest are dropped beyond it so a
   * long benchmark cannot exhaust memory. Default 100 000. /key and /credits totals stay exact.
   */
  ledgerLimit?: number;
}

/** One chat request the emulator received, and exactly what it answered. */
export interface EmulatorLedgerEntry {
  /** The `gen-…` id sent (body `id`, `X-Generation-Id`), null when the answer carried none. */
  generationId: string | null;
  /**
   * The API dialect the request used: absent for OpenRouter's own API; `openai`, `anthropic` or
   * `gemini` for the vendor dialects (src/emulator/dialects/), whose `generationId` is the
   * vendor's answer id (`chatcmpl-…`, `msg_…`, Gemini `responseId`) and whose `usage` is the
   * vendor's usage translated to OpenAI-style counts (`cost` added when the catalogue prices it).
   */
  dialect?: 'openai' | 'anthropic' | 'gemini';
  /** ISO 8601 time the request arrived. */
  receivedAt: string;
  /**
   * OpenRouter's app attribution headers as received (`HTTP-Referer`, `X-OpenRouter-Title`, else
   * the legacy `X-Title`); absent for the vendor dialects.
   */
  attribution?: { referer: string | null; title: string | null };
  /** Request path as received, e.g. `/api/v1/chat/completions`. */
  path: string;
  /** The body's `model`, null when absent. */
  model: string | null;
  /** The body's `stream === true`. */
  stream: boolean;
  /** HTTP status sent (0 until the response headers are written). */
  status: number;
  /** The JSON body exactly as received (parsed); the raw text when it was not JSON. */
  requestBody: unknown;
  /** The usage sent (for streams, the last chunk that carried `usage`), null when none was sent. */
  usage: Usage | null;
  /** `usage.cost` as sent, in nano-USD as an exact decimal string; null when no cost was sent. */
  costNanoUsd: string | null;
  /**
   * What the account was charged for this generation, nano-USD as an exact decimal string: the
   * cost sent, or — for a stream cut short before its usage chunk (connection reset, stall,
   * malformed event, client gone) — the cost of the tokens generated until then, as OpenRouter
   * bills a cancelled generation (its `/generation` record says the same). Null when nothing was
   * billed (an HTTP error, or no generation started).
   */
  billedCostNanoUsd: string | null;
  /** `<cassette path under recordings/openrouter>#<interaction index>` when replayed, else null. */
  recording: string | null;
  /**
   * `fault`: a programmed fault applied; `error`: an HTTP error status or an in-band stream error
   * was sent; `complete`: a normal answer.
   */
  outcome: 'complete' | 'fault' | 'error';
}

/** A fault programmed through `addFault` or `POST /__emulator/faults`. */
export interface Fault {
  /** Which chat requests it applies to (absent = all). */
  match?: { model?: string; stream?: boolean };
  /** How many matching requests it applies to; default 1; 0 = unlimited. */
  times?: number;
  /** Answer with this HTTP error status instead (e.g. 429, 402, 401, 500, 502, 503). */
  status?: number;
  /** Error body; default: OpenRouter's error body for `status` (real messages, docs/upstream-api-notes.md §1.8). */
  body?: unknown;
  /** Extra response headers (e.g. `{"retry-after":"2"}`). */
  headers?: Record<string, string>;
  /** Milliseconds to wait before sending the response headers. */
  delayBeforeHeadersMs?: number;
  /** Streams: milliseconds to wait after the headers and keep-alive comment, before the first data chunk. */
  delayBeforeFirstTokenMs?: number;
  /** Streams: milliseconds to wait before each data chunk after the first (a slow stream). */
  delayBetweenChunksMs?: number;
  /** Streams: after N data chunks, stop sending but keep the connection open until the client leaves. */
  stallAfterChunks?: number;
  /** Streams: after N data chunks, destroy the socket (connection reset). */
  resetAfterChunks?: number;
  /** Streams: after N data chunks, send an in-band error chunk with usage, then `data: [DONE]`. */
  errorChunkAfterChunks?: number;
  /**
   * Streams: after N data chunks (0 = before any content), send one `data:` event whose JSON is
   * cut off mid-object, then end the response: the whole malformed body has arrived at once.
   */
  malformedChunkAfterChunks?: number;
  /** Synthesized answers: this many words instead of 5–24 (a long answer, e.g. to test backpressure). */
  answerWords?: number;
  /** Synthesized streams: words per content chunk instead of 3 (fewer, larger events). */
  answerPieceWords?: number;
}

export interface Emulator {
  /** Starts listening (default host 127.0.0.1, port 0); resolves to the origin, e.g. `http://127.0.0.1:41234`. */
  listen(options?: { port?: number | undefined; host?: string | undefined }): Promise<string>;
  /** Stops listening and destroys open connections (stalled streams included). */
  close(): Promise<void>;
  /** Every chat request received, in order of arrival. */
  readonly ledger: readonly EmulatorLedgerEntry[];
  /**
   * Arms a fault for the next matching chat requests (same rules as POST /__emulator/faults).
   * @throws TypeError when a field has the wrong type (e.g. a negative count, a status outside 100-599).
   */
  addFault(fault: Fault): void;
  /** Disarms every fault. */
  clearFaults(): void;
  /** Empties the ledger (in place) and the /key and /credits spend totals. */
  clearLedger(): void;
}
