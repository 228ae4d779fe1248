/**
 * Renders a synthesized completion in OpenRouter's recorded framing: a `chat.completion` JSON
 * body, or SSE chunks in the 2026 field order (`id, object, created, model, provider, choices`),
 * every delta repeating `"role":"assistant"`, the final usage as a repeat of the finish chunk
 * carrying `usage` (form (b) of docs/upstream-api-notes.md §1.7, the 2026-08 OpenAI-via-OpenRouter recording).
 */
import type { ModelInfo } from '../contracts/model-info.ts';
import { completionUsage } from './completion-usage.ts';
import { DONE_EVENT, type SseEvent, type SseScript } from './sse-script.ts';
import type { SynthesizedCompletion } from './synthesize-completion.ts';

const KEEP_ALIVE: SseEvent = { kind: 'comment', text: ': OPENROUTER PROCESSING\n\n' };
const ARGUMENT_PIECE_CHARACTERS = 12;

/** The `chat.completion` body (key order of the recordings where they show one). */
export function completionJson(completion: SynthesizedCompletion): string {
  const { toolCall } = completion;
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: toolCall === null ? completion.contentPieces.join('') : '',
    refusal: null,
    reasoning: null,
  };
  if (toolCall !== null) {
    message.tool_calls = [
      {
        id: toolCall.id,
        type: 'function',
        index: 0,
        function: { name: toolCall.name, arguments: toolCall.arguments },
      },
    ];
  }
  return JSON.stringify({
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    provider: completion.provider,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        logprobs: null,
        finish_reason: completion.finishReason,
        native_finish_reason: completion.finishReason,
        message,
      },
    ],
    usage: completion.usage,
  });
}

function argumentPieces(text: string): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += ARGUMENT_PIECE_CHARACTERS)
    result.push(text.slice(start, start + ARGUMENT_PIECE_CHARACTERS));
  return result;
}

/** Deltas of the content/tool-call chunks, before the finish chunk. */
function contentDeltas(completion: SynthesizedCompletion): Record<string, unknown>[] {
  const { toolCall } = completion;
  if (toolCall === null)
    return completion.contentPieces.map((piece) => ({ content: piece, role: 'assistant' }));
  const first = {
    index: 0,
    id: toolCall.id,
    type: 'function',
    function: { name: toolCall.name, arguments: '' },
  };
  return [
    { content: '', role: 'assistant', tool_calls: [first] },
    ...argumentPieces(toolCall.arguments).map((piece) => ({
      content: '',
      role: 'assistant',
      tool_calls: [{ index: 0, function: { arguments: piece } }],
    })),
  ];
}

/**
 * The SSE events of a synthesized completion: one or two keep-alive comments, the content (or
 * tool-call) chunks, the finish chunk, the usage chunk, `data: [DONE]`. Chunk JSON is assembled
 * from a shared prefix so each event costs one small JSON.stringify.
 */
export function completionSseScript(
  completion: SynthesizedCompletion,
  model: ModelInfo,
): SseScript {
  const header = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    provider: completion.provider,
  };
  const prefix = `data: ${JSON.stringify(header).slice(0, -1)},"choices":[{"index":0,"delta":`;
  const deltas = contentDeltas(completion);
  const events: SseEvent[] = [KEEP_ALIVE];
  if (deltas.length % 2 === 1) events.push(KEEP_ALIVE);
  for (const delta of deltas) {
    events.push({
      kind: 'data',
      text: `${prefix}${JSON.stringify(delta)},"finish_reason":null,"native_finish_reason":null}]}\n\n`,
    });
  }
  const reason = JSON.stringify(completion.finishReason);
  const finish = `${prefix}{"content":"","role":"assistant"},"finish_reason":${reason},"native_finish_reason":${reason}}]`;
  events.push({ kind: 'data', text: `${finish}}\n\n` });
  events.push({
    kind: 'data',
    text: `${finish},"usage":${JSON.stringify(completion.usage)}}\n\n`,
    usage: completion.usage,
  });
  events.push(DONE_EVENT);
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = completion.usage;
  return {
    events,
    header,
    usageAfter(dataChunksSent) {
      const share = deltas.length === 0 ? 1 : Math.min(1, dataChunksSent / deltas.length);
      return completionUsage(promptTokens, Math.round(completionTokens * share), model);
    },
  };
}
