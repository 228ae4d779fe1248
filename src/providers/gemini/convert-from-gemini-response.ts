/**
 * Gemini `GenerateContentResponse` → Chat Completions answer (docs/upstream-api-notes.md §4). Per candidate:
 * `text` parts → `content`, `thought: true` parts → `reasoning`, `functionCall` parts →
 * `tool_calls` (`arguments` = JSON of `args`; id = Gemini's `id`, or a synthesized `call_…`;
 * the part's `thoughtSignature` kept in `extra_content.google.thought_signature`, Gemini's own
 * OpenAI-compatibility field, and sent back by convert-to-gemini-messages.ts). A prompt blocked
 * before any candidate becomes one empty choice with `content_filter`.
 * A `thoughtSignature` on a text part (not a call) is not carried over.
 */
import { randomBytes } from 'node:crypto';
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ToolCall,
  Usage,
} from '../../contracts/chat.ts';
import {
  geminiResponseSchema,
  type GeminiPart,
  type GeminiResponse,
  type GeminiUsageMetadata,
} from './gemini-api.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';

/**
 * usageMetadata → usage, in tokens: prompt = promptTokenCount (it includes cached tokens) +
 * toolUsePromptTokenCount; completion = candidatesTokenCount + thoughtsTokenCount (thoughts are
 * billed as output); `cached_tokens` = cachedContentTokenCount; `reasoning_tokens` = thoughts.
 */
export function mapGeminiUsage(metadata: GeminiUsageMetadata): Usage {
  const prompt = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  const completion = (metadata.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: metadata.totalTokenCount ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: metadata.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/** A tool call id for a call Gemini gave none: `call_` + 24 hex characters. */
export function synthesizeToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/** A `functionCall` part → a Chat Completions tool call (id synthesized when absent). */
export function toToolCall(part: GeminiPart, index: number): ToolCall | null {
  const call = part.functionCall;
  // A name-less call is a piece of a streamed call (gemini-stream-translator.ts handles those).
  if (call?.name === undefined) return null;
  const toolCall: ToolCall & { extra_content?: unknown } = {
    id: call.id ?? synthesizeToolCallId(),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
    index,
  };
  if (part.thoughtSignature !== undefined) {
    toolCall.extra_content = { google: { thought_signature: part.thoughtSignature } };
  }
  return toolCall;
}

/** The parsed body → a ChatCompletion, or null when it is not a GenerateContentResponse. */
export function convertFromGeminiResponse(body: unknown): ChatCompletion | null {
  const parsed = geminiResponseSchema.safeParse(body);
  if (
    !parsed.success ||
    (parsed.data.candidates === undefined && parsed.data.promptFeedback === undefined)
  ) {
    return null;
  }
  const response = parsed.data;
  const choices = (response.candidates ?? []).map((candidate, position) => {
    let content: string | null = null;
    let reasoning: string | null = null;
    const toolCalls: ToolCall[] = [];
    for (const part of candidate.content?.parts ?? []) {
      const toolCall = toToolCall(part, toolCalls.length);
      if (toolCall !== null) toolCalls.push(toolCall);
      else if (typeof part.text === 'string') {
        if (part.thought === true) reasoning = (reasoning ?? '') + part.text;
        else content = (content ?? '') + part.text;
      }
    }
    const native = candidate.finishReason ?? null;
    const choice: ChatCompletionChoice = {
      index: candidate.index ?? position,
      message: {
        role: 'assistant',
        content,
        ...(reasoning === null ? {} : { reasoning }),
        ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
      },
      finish_reason: native === null ? null : mapGeminiFinishReason(native, toolCalls.length > 0),
      native_finish_reason: native,
    };
    return choice;
  });
  if (choices.length === 0) choices.push(blockedChoice(response));
  return {
    id: response.responseId ?? '',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? '',
    system_fingerprint: null,
    choices,
    ...(response.usageMetadata === undefined
      ? {}
      : { usage: mapGeminiUsage(response.usageMetadata) }),
  };
}

function blockedChoice(response: GeminiResponse): ChatCompletionChoice {
  return {
    index: 0,
    message: { role: 'assistant', content: null },
    finish_reason: 'content_filter',
    native_finish_reason: response.promptFeedback?.blockReason ?? null,
  };
}
