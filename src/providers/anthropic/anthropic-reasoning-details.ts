/**
 * Anthropic thinking ⇄ OpenRouter `reasoning_details` (OpenRouter OpenAPI `ReasoningDetailText`,
 * `ReasoningDetailEncrypted`; docs "Reasoning Tokens → Preserving reasoning blocks"). A `thinking`
 * block becomes `{type: 'reasoning.text', text, signature, format: 'anthropic-claude-v1', index}`
 * and a `redacted_thinking` block `{type: 'reasoning.encrypted', data, format, index}`, where
 * `index` is the block's position among the answer's thinking blocks. Anthropic requires these
 * blocks back unchanged (with their signature) to continue a thinking + tool use turn (docs
 * "Extended thinking → Preserving thinking blocks"), so the request side rebuilds them.
 */
import { isRecord } from '../shared/map-upstream-error.ts';
import type { AnthropicContentBlock } from './anthropic-api.ts';

/** OpenRouter's `ReasoningFormat` for Anthropic's signed thinking. */
export const ANTHROPIC_REASONING_FORMAT = 'anthropic-claude-v1';

/** One OpenRouter reasoning detail, as Signalbox emits it for Anthropic. */
export type AnthropicReasoningDetail =
  | {
      type: 'reasoning.text';
      text?: string;
      signature?: string;
      format: typeof ANTHROPIC_REASONING_FORMAT;
      index: number;
    }
  | {
      type: 'reasoning.encrypted';
      data: string;
      format: typeof ANTHROPIC_REASONING_FORMAT;
      index: number;
    };

/** A `thinking` / `redacted_thinking` block → its reasoning detail; null for other blocks. */
export function toReasoningDetail(
  block: AnthropicContentBlock,
  index: number,
): AnthropicReasoningDetail | null {
  if (block.type === 'thinking') {
    return {
      type: 'reasoning.text',
      text: block.thinking ?? '',
      ...(block.signature === undefined || block.signature === ''
        ? {}
        : { signature: block.signature }),
      format: ANTHROPIC_REASONING_FORMAT,
      index,
    };
  }
  if (block.type === 'redacted_thinking' && block.data !== undefined) {
    return {
      type: 'reasoning.encrypted',
      data: block.data,
      format: ANTHROPIC_REASONING_FORMAT,
      index,
    };
  }
  return null;
}

/**
 * An assistant message's `reasoning_details` → `thinking` (with signature) and
 * `redacted_thinking` blocks, ordered by `index`. Details of one index are concatenated, so the
 * pieces of a stream (text deltas, then the signature) may be sent back unmerged. Details in
 * another provider's format, summaries, and thinking without a signature (Anthropic rejects it)
 * are left out.
 */
export function toAnthropicThinkingBlocks(details: unknown): Record<string, unknown>[] {
  if (!Array.isArray(details)) return [];
  const byIndex = new Map<number, { text: string; signature: string; data: string | null }>();
  details.forEach((detail: unknown, position) => {
    if (!isRecord(detail)) return;
    if (detail.format !== undefined && detail.format !== ANTHROPIC_REASONING_FORMAT) return;
    const index = typeof detail.index === 'number' ? detail.index : position;
    const entry = byIndex.get(index) ?? { text: '', signature: '', data: null };
    byIndex.set(index, entry);
    if (detail.type === 'reasoning.text') {
      if (typeof detail.text === 'string') entry.text += detail.text;
      if (typeof detail.signature === 'string') entry.signature += detail.signature;
    } else if (detail.type === 'reasoning.encrypted' && typeof detail.data === 'string') {
      entry.data = detail.data;
    }
  });
  return [...byIndex.entries()]
    .sort(([left], [right]) => left - right)
    .flatMap(([, entry]): Record<string, unknown>[] => {
      if (entry.data !== null) return [{ type: 'redacted_thinking', data: entry.data }];
      if (entry.signature === '') return [];
      return [{ type: 'thinking', thinking: entry.text, signature: entry.signature }];
    });
}
