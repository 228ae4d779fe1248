/**
 * Gemini `streamGenerateContent?alt=sse` events → Chat Completions chunks (API-NOTES §4). Each
 * event is a whole `GenerateContentResponse` (CRLF framing, no `[DONE]`); per candidate its text
 * becomes `content`, thought parts `reasoning`, each `functionCall` one whole tool call delta
 * (Gemini streams calls whole; index = running count per candidate), and `finishReason` the
 * finish. `usageMetadata` is cumulative in every event, so only the last one counts: it goes out
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
import { parseEventJson } from '../shared/translated-adapter.ts';
import {
  geminiResponseSchema,
  type GeminiCandidate,
  type GeminiUsageMetadata,
} from './gemini-api.ts';
import { mapGeminiUsage, toToolCall } from './convert-from-gemini-response.ts';
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

  function chunk(choices: ChatCompletionChunkChoice[]): ChatCompletionChunk {
    return { id, object: 'chat.completion.chunk', created, model, choices };
  }

  function choiceOf(candidate: GeminiCandidate, position: number): ChatCompletionChunkChoice {
    const index = candidate.index ?? position;
    const delta: ChatCompletionChunkChoice['delta'] = started ? {} : { role: 'assistant' };
    const toolCalls: ToolCallDelta[] = [];
    for (const part of candidate.content?.parts ?? []) {
      const count = toolCallCounts.get(index) ?? 0;
      const toolCall = toToolCall(part, count);
      if (toolCall !== null) {
        toolCallCounts.set(index, count + 1);
        toolCalls.push({ ...toolCall, index: count });
      } else if (typeof part.text === 'string' && part.text !== '') {
        const key = part.thought === true ? 'reasoning' : 'content';
        delta[key] = (typeof delta[key] === 'string' ? delta[key] : '') + part.text;
      }
    }
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    const native = candidate.finishReason ?? null;
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
      return usage === undefined ? [] : [{ ...chunk([]), usage: mapGeminiUsage(usage) }];
    },
  };
}
