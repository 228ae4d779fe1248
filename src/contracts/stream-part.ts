/**
 * Typed stream parts (docs/conventions.md §6): what `chatStream()` yields to library users,
 * whatever the upstream dialect. Errors are parts, usage arrives in its own part near the end.
 */
import type { FinishReason, Usage } from './chat.ts';

export type StreamPart =
  /** First part: the upstream's response id (OpenRouter `gen-…`), model and provider. */
  | { type: 'metadata'; id: string; model: string; provider: string | null; created: number }
  | { type: 'text-delta'; choiceIndex: number; text: string }
  | { type: 'reasoning-delta'; choiceIndex: number; text: string }
  /**
   * A piece of a tool call. `id` and `name` arrive on the first piece of a call;
   * `argumentsDelta` pieces concatenate to the JSON arguments string.
   */
  | {
      type: 'tool-call-delta';
      choiceIndex: number;
      toolCallIndex: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  /** A complete tool call, emitted once its choice finishes (arguments reassembled). */
  | {
      type: 'tool-call';
      choiceIndex: number;
      toolCallIndex: number;
      id: string;
      name: string;
      arguments: string;
    }
  | { type: 'usage'; usage: Usage }
  | {
      type: 'finish';
      choiceIndex: number;
      finishReason: FinishReason | null;
      nativeFinishReason: string | null;
    }
  /** An in-band error after the stream began (e.g. OpenRouter's error chunk). Ends the stream. */
  | { type: 'error'; code: string; message: string; upstreamCode: number | string | null };
