import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ChatCompletionChunk, ChatMessage } from '../../contracts/chat.ts';
import { createSseParser } from '../shared/sse-parser.ts';
import { toAnthropicThinkingBlocks } from './anthropic-reasoning-details.ts';
import { createAnthropicStreamTranslator } from './anthropic-stream-translator.ts';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

function recording(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

function translateStream(name: string): ChatCompletionChunk[] {
  const parser = createSseParser();
  const translator = createAnthropicStreamTranslator();
  const messages = [...parser.push(recording(name)), ...parser.end()];
  return [
    ...messages.flatMap((message) => (message.type === 'event' ? translator.push(message) : [])),
    ...translator.end(),
  ];
}

function reasoningDetailsOf(chunks: readonly ChatCompletionChunk[]): Record<string, unknown>[] {
  return chunks.flatMap((chunk) =>
    chunk.choices.flatMap((choice) => {
      const details = choice.delta.reasoning_details;
      return Array.isArray(details) ? (details as Record<string, unknown>[]) : [];
    }),
  );
}

/** The recorded stream's events of one kind, parsed. */
function recordedEvents(name: string): Record<string, unknown>[] {
  return recording(name)
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>);
}

interface Interaction {
  request: { parsed_body: Record<string, unknown> };
  response: { parsed_body: unknown };
}

describe('anthropic thinking → reasoning_details', () => {
  it('keeps the signature of a recorded answer (non-streaming)', () => {
    const body = JSON.parse(recording('anthropic-clear-thinking.1.json')) as {
      content: { thinking?: string; signature?: string }[];
    };
    const completion = convertFromAnthropicResponse(body);
    expect(completion?.choices[0]?.message.reasoning_details).toEqual([
      {
        type: 'reasoning.text',
        text: body.content[0]?.thinking,
        signature: body.content[0]?.signature,
        format: 'anthropic-claude-v1',
        index: 0,
      },
    ]);
  });

  it('streams thinking_delta and signature_delta as reasoning_details pieces', () => {
    const name = 'test_anthropic_model_thinking_part_stream.0.sse';
    const details = reasoningDetailsOf(translateStream(name));
    const deltas = recordedEvents(name).flatMap((event) =>
      event.type === 'content_block_delta' ? [event.delta as Record<string, string>] : [],
    );
    const recordedThinking = deltas
      .filter((delta) => delta.type === 'thinking_delta')
      .map((delta) => delta.thinking)
      .join('');
    const recordedSignature = deltas.find((delta) => delta.type === 'signature_delta')?.signature;
    expect(recordedSignature).toMatch(/^EvMCCkYICxgCKk/);
    expect(details.every((detail) => detail.format === 'anthropic-claude-v1')).toBe(true);
    expect(details.every((detail) => detail.index === 0)).toBe(true);
    expect(
      details.map((detail) => (typeof detail.text === 'string' ? detail.text : '')).join(''),
    ).toBe(recordedThinking);
    expect(details.at(-1)).toEqual({
      type: 'reasoning.text',
      signature: recordedSignature,
      format: 'anthropic-claude-v1',
      index: 0,
    });
    // The unmerged stream pieces, sent back, rebuild the signed block.
    expect(toAnthropicThinkingBlocks(details)).toEqual([
      { type: 'thinking', thinking: recordedThinking, signature: recordedSignature },
    ]);
  });

  it('streams redacted_thinking blocks as reasoning.encrypted and sends them back', () => {
    const name = 'test_anthropic_model_thinking_part_redacted_stream.0.sse';
    const chunks = translateStream(name);
    const recordedBlocks = recordedEvents(name).flatMap((event) =>
      event.type === 'content_block_start' ? [event.content_block as Record<string, unknown>] : [],
    );
    const redacted = recordedBlocks.filter((block) => block.type === 'redacted_thinking');
    expect(redacted).toHaveLength(2);
    const details = reasoningDetailsOf(chunks);
    expect(details).toEqual(
      redacted.map((block, index) => ({
        type: 'reasoning.encrypted',
        data: block.data,
        format: 'anthropic-claude-v1',
        index,
      })),
    );
    expect(toAnthropicThinkingBlocks(details)).toEqual(
      redacted.map((block) => ({ type: 'redacted_thinking', data: block.data })),
    );
    const text = chunks.flatMap((chunk) =>
      chunk.choices.map((choice) => choice.delta.content ?? ''),
    );
    expect(text.join('')).toContain("I'm Claude");
  });

  it('continues the recorded thinking + tool use conversation with the signed thinking block', () => {
    const [first, second] = (
      parseYaml(recording('test_anthropic_tool_with_thinking.yaml')) as {
        interactions: Interaction[];
      }
    ).interactions;
    const recorded = second?.request.parsed_body ?? {};
    const answer = convertFromAnthropicResponse(first?.response.parsed_body)?.choices[0]?.message;
    if (answer === undefined) throw new Error('the recorded first answer did not translate');
    const toolCall = answer.tool_calls?.[0];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'What is the largest city in the user country?' },
      answer,
      { role: 'tool', tool_call_id: toolCall?.id ?? '', content: 'Mexico' },
    ];
    const body = convertToAnthropicMessages(
      {
        model: 'claude-sonnet-4-0',
        messages,
        reasoning: { max_tokens: 3000 },
        tool_choice: 'auto',
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_user_country',
              description: '',
              parameters: { additionalProperties: false, properties: {}, type: 'object' },
            },
          },
        ],
      },
      false,
    );
    // OpenAI's tool message has no `is_error`; the recorded `is_error: false` is the default.
    const withoutIsError = (recorded.messages as { content: Record<string, unknown>[] }[]).map(
      (message) => ({
        ...message,
        content: message.content.map(({ is_error: _isError, ...block }) => block),
      }),
    );
    expect(body).toEqual({ ...recorded, messages: withoutIsError, stream: undefined });
  });
});

describe('reasoning_details → anthropic blocks', () => {
  it('leaves out other formats, summaries and unsigned thinking, ordered by index', () => {
    expect(
      toAnthropicThinkingBlocks([
        { type: 'reasoning.text', text: 'b', signature: 'sig-b', index: 1 },
        { type: 'reasoning.encrypted', data: 'x', format: 'openai-responses-v1', index: 2 },
        { type: 'reasoning.summary', summary: 's', format: 'anthropic-claude-v1', index: 3 },
        { type: 'reasoning.text', text: 'unsigned', format: 'anthropic-claude-v1', index: 4 },
        {
          type: 'reasoning.text',
          text: 'a',
          signature: 'sig-a',
          format: 'anthropic-claude-v1',
          index: 0,
        },
      ]),
    ).toEqual([
      { type: 'thinking', thinking: 'a', signature: 'sig-a' },
      { type: 'thinking', thinking: 'b', signature: 'sig-b' },
    ]);
    expect(toAnthropicThinkingBlocks(undefined)).toEqual([]);
  });
});
