/**
 * Chat Completions chunk events → typed StreamParts (src/contracts/stream-part.ts), for library
 * users of `chatStream()`. Order: `metadata` first; text/reasoning/tool-call deltas as they come;
 * per choice, when its `finish_reason` arrives, one complete `tool-call` per call (arguments
 * reassembled from the fragments, keyed by choice and tool-call index) then `finish`; one `usage`
 * at the end; an in-band or transport error becomes a final `error` part.
 *
 * Final usage is read from whichever chunk carries it (docs/upstream-api-notes.md §1.7): (a) `choices: []` plus
 * `usage`, (b) a repeated finish chunk plus `usage`, (c) a `finish_reason: null` chunk plus
 * `usage`. When several chunks carry usage, the last one wins (it is cumulative).
 */
import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  FinishReason,
  Usage,
} from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { StreamPart } from '../../contracts/stream-part.ts';
import type { ChunkEvent } from '../provider-adapter.ts';
import {
  errorCodeForStatus,
  isRecord,
  sanitizeUpstreamMessage,
  statusFromErrorCode,
} from './map-upstream-error.ts';

interface ToolCallState {
  choiceIndex: number;
  toolCallIndex: number;
  id: string;
  name: string;
  arguments: string;
}

const FINISH_REASONS: ReadonlySet<string> = new Set([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'error',
]);

function defaultFinishReason(finishReason: string): FinishReason | null {
  return FINISH_REASONS.has(finishReason) ? (finishReason as FinishReason) : null;
}

export interface ToStreamPartsOptions {
  /** Upstream `finish_reason` → normalised reason; default keeps the five OpenAI/OpenRouter values, else null. */
  mapFinishReason?: ((finishReason: string) => FinishReason | null) | undefined;
}

/** Maps a chunk stream to StreamParts. Never throws: a failing source ends with an `error` part. */
export async function* toStreamParts(
  events: AsyncIterable<ChunkEvent>,
  options: ToStreamPartsOptions = {},
): AsyncGenerator<StreamPart> {
  const mapFinishReason = options.mapFinishReason ?? defaultFinishReason;
  const toolCalls = new Map<string, ToolCallState>();
  const finishedChoices = new Set<number>();
  let started = false;
  let usage: Usage | null = null;
  try {
    for await (const { chunk, error } of events) {
      if (!started) {
        started = true;
        yield metadataPart(chunk);
      }
      if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
      for (const choice of chunk.choices) {
        yield* choiceParts(choice, toolCalls, finishedChoices, mapFinishReason);
      }
      if (isRecord(chunk.error)) {
        yield* flushToolCalls(toolCalls, null);
        if (usage !== null) yield { type: 'usage', usage };
        yield inBandErrorPart(chunk.error, error);
        return;
      }
    }
  } catch (error) {
    yield* flushToolCalls(toolCalls, null);
    if (usage !== null) yield { type: 'usage', usage };
    yield transportErrorPart(error);
    return;
  }
  // A choice that never sent finish_reason still hands over the calls it made.
  yield* flushToolCalls(toolCalls, null);
  if (usage !== null) yield { type: 'usage', usage };
}

function metadataPart(chunk: ChatCompletionChunk): StreamPart {
  return {
    type: 'metadata',
    id: chunk.id,
    model: chunk.model,
    provider: typeof chunk.provider === 'string' ? chunk.provider : null,
    created: chunk.created,
  };
}

function* choiceParts(
  choice: ChatCompletionChunkChoice,
  toolCalls: Map<string, ToolCallState>,
  finishedChoices: Set<number>,
  mapFinishReason: (finishReason: string) => FinishReason | null,
): Generator<StreamPart> {
  const choiceIndex = choice.index;
  const delta = choice.delta as ChatCompletionChunkChoice['delta'] | undefined;
  if (delta !== undefined) {
    if (typeof delta.reasoning === 'string' && delta.reasoning !== '') {
      yield { type: 'reasoning-delta', choiceIndex, text: delta.reasoning };
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      yield { type: 'text-delta', choiceIndex, text: delta.content };
    }
    for (const call of delta.tool_calls ?? []) {
      yield toolCallDeltaPart(choiceIndex, call, toolCalls);
    }
  }
  const finishReason = choice.finish_reason;
  // Some upstreams repeat the finish chunk to carry usage (docs/upstream-api-notes.md §1.7 b): one finish per choice.
  if (typeof finishReason === 'string' && !finishedChoices.has(choiceIndex)) {
    finishedChoices.add(choiceIndex);
    yield* flushToolCalls(toolCalls, choiceIndex);
    yield {
      type: 'finish',
      choiceIndex,
      finishReason: mapFinishReason(finishReason),
      nativeFinishReason:
        typeof choice.native_finish_reason === 'string' ? choice.native_finish_reason : null,
    };
  }
}

function toolCallDeltaPart(
  choiceIndex: number,
  call: NonNullable<ChatCompletionChunkChoice['delta']['tool_calls']>[number],
  toolCalls: Map<string, ToolCallState>,
): StreamPart {
  // Gemini's OpenAI-compatible endpoint omits `index`; such calls arrive whole, one per position.
  const toolCallIndex =
    typeof call.index === 'number' ? call.index : countCalls(toolCalls, choiceIndex);
  const key = `${choiceIndex}:${toolCallIndex}`;
  let state = toolCalls.get(key);
  if (state === undefined) {
    state = { choiceIndex, toolCallIndex, id: '', name: '', arguments: '' };
    toolCalls.set(key, state);
  }
  const argumentsDelta = call.function?.arguments ?? '';
  state.arguments += argumentsDelta;
  const part: Extract<StreamPart, { type: 'tool-call-delta' }> = {
    type: 'tool-call-delta',
    choiceIndex,
    toolCallIndex,
    argumentsDelta,
  };
  if (typeof call.id === 'string' && call.id !== '' && state.id === '') {
    state.id = call.id;
    part.id = call.id;
  }
  const name = call.function?.name;
  if (typeof name === 'string' && name !== '' && state.name === '') {
    state.name = name;
    part.name = name;
  }
  return part;
}

function countCalls(toolCalls: Map<string, ToolCallState>, choiceIndex: number): number {
  let count = 0;
  for (const state of toolCalls.values()) if (state.choiceIndex === choiceIndex) count += 1;
  return count;
}

/** Emits and forgets the complete calls of one choice (or of every choice when null). */
function* flushToolCalls(
  toolCalls: Map<string, ToolCallState>,
  choiceIndex: number | null,
): Generator<StreamPart> {
  for (const [key, state] of toolCalls) {
    if (choiceIndex !== null && state.choiceIndex !== choiceIndex) continue;
    toolCalls.delete(key);
    yield {
      type: 'tool-call',
      choiceIndex: state.choiceIndex,
      toolCallIndex: state.toolCallIndex,
      // Upstreams that send no call id (Gemini's compatibility layer) still need a stable one.
      id: state.id === '' ? `call_${state.choiceIndex}_${state.toolCallIndex}` : state.id,
      name: state.name,
      arguments: state.arguments,
    };
  }
}

/** The chunk's error as a part; its code is the classified one the event carries, when it does. */
function inBandErrorPart(
  error: NonNullable<ChatCompletionChunk['error']>,
  classified: SignalboxError | undefined,
): StreamPart {
  const upstreamCode = error.code ?? null;
  if (classified !== undefined) {
    return { type: 'error', code: classified.code, message: classified.message, upstreamCode };
  }
  const message =
    typeof error.message === 'string' && error.message.trim() !== ''
      ? error.message
      : 'Stream error';
  return {
    type: 'error',
    code: errorCodeForStatus(statusFromErrorCode(upstreamCode)),
    message: `Upstream: ${sanitizeUpstreamMessage(message)}`,
    upstreamCode,
  };
}

function transportErrorPart(error: unknown): StreamPart {
  const signalboxError =
    error instanceof SignalboxError
      ? error
      : new SignalboxError('stream_interrupted', 'The upstream stream failed.', { cause: error });
  return {
    type: 'error',
    code: signalboxError.code,
    message: signalboxError.message,
    upstreamCode: null,
  };
}
