/**
 * Shared shapes of the emulator's vendor dialects (OpenAI chat completions, Anthropic Messages,
 * Gemini generateContent). A dialect parses its vendor's request, renders answers and errors in
 * its vendor's framing; dialect-route.ts runs the common flow (auth, faults, replay, ledger).
 */
import type { IncomingMessage } from 'node:http';
import type { Usage } from '../../contracts/chat.ts';
import type { EmulatorCatalogue } from '../emulator-catalogue.ts';
import type { EmulatorLedger } from '../emulator-ledger.ts';
import type { FaultStore } from '../fault-store.ts';
import type { DialectRecordingMatcher } from './dialect-recordings.ts';
import type { TurnInput } from './synthesized-turn.ts';

export type DialectName = 'openai' | 'anthropic' | 'gemini';

/** What the dialect routes need from the emulator. */
export interface DialectContext {
  apiKeys: ReadonlySet<string> | null;
  catalogue(): EmulatorCatalogue;
  faults: FaultStore;
  ledger: EmulatorLedger;
  /** Null when replay is off. */
  recordings: DialectRecordingMatcher | null;
}

/** A routed request: the native model (from the body, or the Gemini path) and whether it streams. */
export interface DialectCall {
  dialect: DialectName;
  model: string;
  stream: boolean;
  path: string;
}

/** One SSE event as wire bytes; `usage` (OpenAI-style, translated) when the event carries usage. */
export interface DialectStreamEvent {
  text: string;
  usage?: Usage;
}

/** An HTTP error in the vendor's own envelope. */
export interface DialectError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A synthesized answer, before faults: a JSON body or SSE events. */
export interface DialectAnswer {
  /** The vendor's id of the answer (`chatcmpl-…`, `msg_…`, Gemini `responseId`). */
  responseId: string;
  /** JSON body text (non-streaming). */
  bodyText: string;
  /** SSE events (streaming). */
  events: DialectStreamEvent[];
  /** Final usage, translated to OpenAI-style counts (without `cost`: the route prices it). */
  usage: Usage;
}

/** Everything that differs between vendors. */
export interface Dialect {
  name: DialectName;
  /**
   * The caller's key, or the vendor's 401 error when it is missing, unknown, or (Anthropic) the
   * `anthropic-version` header is absent.
   */
  authenticate(
    request: IncomingMessage,
    query: URLSearchParams,
    apiKeys: ReadonlySet<string> | null,
  ): { key: string } | { error: DialectError };
  /** The vendor's error envelope for an HTTP status (faults, validation). */
  errorFor(status: number, message?: string): DialectError;
  /** The vendor's 404 for a model name it would never serve, else null. */
  unknownModel(model: string): DialectError | null;
  /** The neutral synthesis input of a request body, or an error message for a 400. */
  turnInput(body: Record<string, unknown>): TurnInput | { invalid: string };
  /** Renders a synthesized turn in the vendor's framing. */
  render(call: DialectCall, turn: RenderedTurn, body: Record<string, unknown>): DialectAnswer;
  /** The event that reports an in-band stream error (`body` from the fault), or null to cut the stream. */
  inBandError(body: unknown): string | null;
  /**
   * Translated usage of a recorded body (JSON) or SSE event's data, or null when it carries none.
   * `previous` is the usage of the stream's earlier events (Anthropic's message_delta needs it).
   */
  usageOf(json: unknown, previous: Usage | null): Usage | null;
  /** Content type of streamed answers. */
  streamContentType: string;
}

/** A synthesized turn plus the serving facts rendering needs. */
export interface RenderedTurn {
  /** Deterministic seed of the conversation. */
  seed: number;
  /** Text in stream-sized pieces; empty for a tool call. */
  textPieces: string[];
  toolCall: { name: string; input: unknown; argumentsText: string } | null;
  finish: 'stop' | 'length' | 'tool';
  promptTokens: number;
  completionTokens: number;
  /** Unix seconds. */
  created: number;
  /** A per-emulator counter, so ids stay unique while content stays deterministic. */
  serial: number;
}
