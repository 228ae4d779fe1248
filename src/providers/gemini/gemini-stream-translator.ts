/**
 * Gemini `streamGenerateContent?alt=sse` events → Chat Completions chunks (docs/upstream-api-notes.md §4). Each
 * event is a whole `GenerateContentResponse` (CRLF framing, no `[DONE]`); per candidate its text
 * becomes `content`, thought parts `reasoning`, each whole `functionCall` one whole tool call
 * delta (index = running count per candidate), and `finishReason` the finish. A Gemini 3 call
 * with streamed arguments (`willContinue`/`partialArgs`, closed by a bare `functionCall: {}`)
 * becomes a first delta with id, name and thoughtSignature, then argument pieces that concatenate
 * to its JSON arguments (gemini-arguments-accumulator.ts); a call still open at the finish or at
 * the end of the body is closed there. `usageMetadata` is cumulative in every event, so only the last one counts: it goes out
 * in a final usage-only chunk (`choices: []`) when the body ends. An event carrying `error` (a
 * `google.rpc.Status`) becomes an in-band error chunk.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ToolCallDelta,
} from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { isRecord } from '../shared/map-upstream-error.ts';
import type { StreamTranslator } from '../shared/translated-adapter.ts';
import { parseEventJson } from '../shared/chunk-event.ts';
import {
  geminiResponseSchema,
  type GeminiCandidate,
  type GeminiPart,
  type GeminiUsageMetadata,
} from './gemini-api.ts';
import { mapGeminiUsage, toToolCall } from './convert-from-gemini-response.ts';
import {
  createGeminiArgumentsAccumulator,
  type GeminiArgumentsAccumulator,
} from './gemini-arguments-accumulator.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';

/** A translator for one stream. */
export function createGeminiStreamTranslator(): StreamTranslator {
  let id = '';
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let usage: GeminiUsageMetadata | undefined;
  let complete = false;
  let started = false;
  const toolCallCounts = new Map<number, number>();
  /** Per candidate index: the call whose arguments are still streaming. */
  const openCalls = new Map<number, { index: number; accumulator: GeminiArgumentsAccumulator }>();

  function closeCall(candidateIndex: number): ToolCallDelta[] {
    const open = openCalls.get(candidateIndex);
    if (open === undefined) return [];
    openCalls.delete(candidateIndex);
    const piece = open.accumulator.close();
    return piece === '' ? [] : [{ index: open.index, function: { arguments: piece } }];
  }

  function functionCallDeltas(candidateIndex: number, part: GeminiPart): ToolCallDelta[] {
    const call = part.functionCall;
    if (call === undefined) return [];
    if (call.name === undefined) {
      const open = openCalls.get(candidateIndex);
      if (call.partialArgs === undefined && call.willContinue !== true) {
        return closeCall(candidateIndex);
      }
      if (open === undefined) {
        throw new SignalboxError(
          'upstream_invalid_response',
          'Upstream streamed function-call arguments without starting a call.',
        );
      }
      const piece = open.accumulator.push(call.partialArgs ?? []);
      const deltas: ToolCallDelta[] =
        piece === '' ? [] : [{ index: open.index, function: { arguments: piece } }];
      return call.willContinue === true ? deltas : [...deltas, ...closeCall(candidateIndex)];
    }
    const deltas = closeCall(candidateIndex);
    const count = toolCallCounts.get(candidateIndex) ?? 0;
    const toolCall = toToolCall(part, count);
    if (toolCall === null) return deltas;
    toolCallCounts.set(candidateIndex, count + 1);
    if (call.willContinue !== true) return [...deltas, { ...toolCall, index: count }];
    const accumulator = createGeminiArgumentsAccumulator();
    openCalls.set(candidateIndex, { index: count, accumulator });
    const first = accumulator.push(call.partialArgs ?? []);
    return [
      ...deltas,
      { ...toolCall, index: count, function: { name: toolCall.function.name, arguments: first } },
    ];
  }

  function chunk(choices: ChatCompletionChunkChoice[]): ChatCompletionChunk {
    return { id, object: 'chat.completion.chunk', created, model, choices };
  }

  function choiceOf(candidate: GeminiCandidate, position: number): ChatCompletionChunkChoice {
    const index = candidate.index ?? position;
    const delta: ChatCompletionChunkChoice['delta'] = started ? {} : { role: 'assistant' };
    const toolCalls: ToolCallDelta[] = [];
    for (const part of candidate.content?.parts ?? []) {
      if (part.functionCall !== undefined) {
        toolCalls.push(...functionCallDeltas(index, part));
      } else if (typeof part.text === 'string' && part.text !== '') {
        const key = part.thought === true ? 'reasoning' : 'content';
        delta[key] = (typeof delta[key] === 'string' ? delta[key] : '') + part.text;
      }
    }
    const native = candidate.finishReason ?? null;
    if (native !== null) toolCalls.push(...closeCall(index));
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    if (native !== null) complete = true;
    return {
      index,
      delta,
      finish_reason:
        native === null
          ? null
          : mapGeminiFinishReason(native, (toolCallCounts.get(index) ?? 0) > 0),
      ...(native === null ? {} : { native_finish_reason: native }),
    };
  }

  return {
    get complete() {
      return complete;
    },
    push(message) {
      const value = parseEventJson(message.data);
      if (isRecord(value) && isRecord(value.error)) {
        complete = true;
        const code = typeof value.error.code === 'number' ? value.error.code : 502;
        const text = typeof value.error.message === 'string' ? value.error.message : 'Stream error';
        return [{ ...chunk([]), error: { code, message: text } }];
      }
      const parsed = geminiResponseSchema.safeParse(value);
      if (!parsed.success) {
        throw new SignalboxError(
          'upstream_invalid_response',
          'Upstream sent a stream event that is not a Gemini response.',
        );
      }
      const response = parsed.data;
      if (response.responseId !== undefined) id = response.responseId;
      if (response.modelVersion !== undefined) model = response.modelVersion;
      if (response.usageMetadata !== undefined) usage = response.usageMetadata;
      const choices = (response.candidates ?? []).map(choiceOf);
      if (choices.length === 0 && response.promptFeedback?.blockReason !== undefined) {
        complete = true;
        choices.push({
          index: 0,
          delta: {},
          finish_reason: 'content_filter',
          native_finish_reason: response.promptFeedback.blockReason,
        });
      }
      if (choices.length === 0) return [];
      started = true;
      return [chunk(choices)];
    },
    end() {
      const closing: ChatCompletionChunkChoice[] = [];
      for (const candidateIndex of [...openCalls.keys()]) {
        const toolCalls = closeCall(candidateIndex);
        if (toolCalls.length > 0) {
          closing.push({
            index: candidateIndex,
            delta: { tool_calls: toolCalls },
            finish_reason: null,
          });
        }
      }
      const chunks = closing.length === 0 ? [] : [chunk(closing)];
      if (usage !== undefined) chunks.push({ ...chunk([]), usage: mapGeminiUsage(usage) });
      return chunks;
    },
  };
}
