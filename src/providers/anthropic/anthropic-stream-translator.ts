/**
 * Anthropic Messages stream events → Chat Completions chunks (docs "Streaming Messages"):
 * `message_start` → a role chunk (id, model, input usage kept); `content_block_start` of a
 * `tool_use` → the tool call's first delta (index = its position among tool calls, id, name,
 * `arguments: ""`); `text_delta` → `content`; `thinking_delta` → `reasoning` plus a
 * `reasoning_details` `reasoning.text` piece, `signature_delta` → a `reasoning.text` piece with
 * the `signature`, a `redacted_thinking` block → a `reasoning.encrypted` detail (OpenRouter's
 * `delta.reasoning_details`; index = the block's position among thinking blocks, pieces of one
 * index concatenate; anthropic-reasoning-details.ts); `input_json_delta`
 * → an `arguments` fragment of that call; `message_delta` → the finish chunk (mapped
 * `stop_reason`, `native_finish_reason`); `message_stop` → the usage-only chunk
 * (`choices: []`, as OpenAI sends with `include_usage`; at the body end if message_stop never
 * came); `ping` → nothing; `error` → an in-band
 * error chunk (`error.code` = the HTTP status Anthropic pairs with the type).
 * `message_delta.usage` is cumulative and may repeat input and cache counts: later values win.
 */
import type { ChatCompletionChunk, ChatCompletionChunkChoice } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { StreamTranslator } from '../shared/translated-adapter.ts';
import { parseEventJson } from '../shared/chunk-event.ts';
import { anthropicStreamEventSchema, type AnthropicUsage } from './anthropic-api.ts';
import { statusForAnthropicErrorType } from './anthropic-error.ts';
import { ANTHROPIC_REASONING_FORMAT, toReasoningDetail } from './anthropic-reasoning-details.ts';
import { mapAnthropicUsage } from './convert-from-anthropic-response.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';

/** A translator for one stream. */
export function createAnthropicStreamTranslator(): StreamTranslator {
  let id = '';
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let usage: AnthropicUsage = {};
  let complete = false;
  let usageSent = false;
  /** Anthropic content block index → tool call index. */
  const toolIndexByBlock = new Map<number, number>();
  /** Anthropic content block index → reasoning detail index (thinking blocks only). */
  const reasoningIndexByBlock = new Map<number, number>();

  function chunk(choices: ChatCompletionChunkChoice[]): ChatCompletionChunk {
    return { id, object: 'chat.completion.chunk', created, model, choices };
  }
  function delta(value: ChatCompletionChunkChoice['delta']): ChatCompletionChunk {
    return chunk([{ index: 0, delta: value, finish_reason: null }]);
  }
  function mergeUsage(next: AnthropicUsage | undefined): void {
    if (next === undefined) return;
    const defined = Object.entries(next).filter(
      ([, value]) => value !== null && value !== undefined,
    );
    usage = { ...usage, ...Object.fromEntries(defined) };
  }

  return {
    get complete() {
      return complete;
    },
    push(message) {
      const parsed = anthropicStreamEventSchema.safeParse(parseEventJson(message.data));
      if (!parsed.success) {
        throw new SignalboxError(
          'upstream_invalid_response',
          'Upstream sent a stream event that is not an Anthropic event.',
        );
      }
      const event = parsed.data;
      const blockIndex = event.index ?? 0;
      switch (event.type) {
        case 'message_start':
          id = event.message?.id ?? '';
          model = event.message?.model ?? '';
          mergeUsage(event.message?.usage);
          return [delta({ role: 'assistant', content: '' })];
        case 'content_block_start': {
          const block = event.content_block;
          if (block?.type === 'tool_use') {
            const toolIndex = toolIndexByBlock.size;
            toolIndexByBlock.set(blockIndex, toolIndex);
            const call = {
              index: toolIndex,
              id: block.id ?? '',
              type: 'function' as const,
              function: { name: block.name ?? '', arguments: '' },
            };
            return [delta({ tool_calls: [call] })];
          }
          if (block?.type === 'thinking' || block?.type === 'redacted_thinking') {
            const reasoningIndex = reasoningIndexByBlock.size;
            reasoningIndexByBlock.set(blockIndex, reasoningIndex);
            const detail = toReasoningDetail(block, reasoningIndex);
            // A thinking block starts empty; its text and signature come as deltas.
            if (detail === null || (detail.type === 'reasoning.text' && detail.text === '')) {
              return [];
            }
            return [
              delta({
                ...(detail.type === 'reasoning.text' ? { reasoning: detail.text } : {}),
                reasoning_details: [detail],
              }),
            ];
          }
          if (block?.type === 'text' && block.text !== undefined && block.text !== '') {
            return [delta({ content: block.text })];
          }
          return [];
        }
        case 'content_block_delta':
          return blockDelta(
            event.delta,
            toolIndexByBlock.get(blockIndex),
            reasoningIndexByBlock.get(blockIndex) ?? 0,
          ).map(delta);
        case 'message_delta': {
          mergeUsage(event.usage);
          const stopReason = event.delta?.stop_reason ?? null;
          if (stopReason === null) return [];
          // The stop reason ends the answer; message_stop only closes the stream.
          complete = true;
          return [
            chunk([
              {
                index: 0,
                delta: {},
                finish_reason: mapAnthropicFinishReason(stopReason),
                native_finish_reason: stopReason,
              },
            ]),
          ];
        }
        case 'message_stop':
          complete = true;
          usageSent = true;
          return [{ ...chunk([]), usage: mapAnthropicUsage(usage) }];
        case 'error': {
          complete = true;
          const status = statusForAnthropicErrorType(event.error?.type);
          return [
            {
              ...chunk([]),
              error: { code: status, message: event.error?.message ?? 'Stream error' },
            },
          ];
        }
        default:
          // ping, content_block_stop, and event types added later.
          return [];
      }
    },
    end() {
      // A stream cut after the stop reason but before message_stop still reports its usage.
      if (!complete || usageSent) return [];
      usageSent = true;
      return [{ ...chunk([]), usage: mapAnthropicUsage(usage) }];
    },
  };
}

function blockDelta(
  value: NonNullable<ReturnType<typeof anthropicStreamEventSchema.parse>['delta']> | undefined,
  toolIndex: number | undefined,
  reasoningIndex: number,
): ChatCompletionChunkChoice['delta'][] {
  if (value === undefined) return [];
  if (value.type === 'text_delta' && value.text !== undefined && value.text !== '') {
    return [{ content: value.text }];
  }
  const format = ANTHROPIC_REASONING_FORMAT;
  if (value.type === 'thinking_delta' && value.thinking !== undefined && value.thinking !== '') {
    const text = value.thinking;
    return [
      {
        reasoning: text,
        reasoning_details: [{ type: 'reasoning.text', text, format, index: reasoningIndex }],
      },
    ];
  }
  if (value.type === 'signature_delta' && value.signature !== undefined && value.signature !== '') {
    const signature = value.signature;
    return [
      { reasoning_details: [{ type: 'reasoning.text', signature, format, index: reasoningIndex }] },
    ];
  }
  if (
    value.type === 'input_json_delta' &&
    toolIndex !== undefined &&
    value.partial_json !== undefined &&
    value.partial_json !== ''
  ) {
    return [{ tool_calls: [{ index: toolIndex, function: { arguments: value.partial_json } }] }];
  }
  return [];
}
