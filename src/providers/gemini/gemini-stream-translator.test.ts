import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ToolCallDelta } from '../../contracts/chat.ts';
import { createGeminiArgumentsAccumulator } from './gemini-arguments-accumulator.ts';
import { createGeminiStreamTranslator } from './gemini-stream-translator.ts';

function recordedLines(name: string): string[] {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function translate(lines: readonly string[]): ChatCompletionChunk[] {
  const translator = createGeminiStreamTranslator();
  const chunks = lines.flatMap((data) => translator.push({ type: 'event', data }));
  return [...chunks, ...translator.end()];
}

interface ReassembledCall {
  id: string;
  name: string;
  arguments: string;
  extraContent: unknown;
  pieces: number;
}

/** Concatenates tool call deltas per index, as an OpenAI client does. */
function reassemble(chunks: readonly ChatCompletionChunk[]): ReassembledCall[] {
  const calls: ReassembledCall[] = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? [])) {
      const call = calls[delta.index] ?? {
        id: '',
        name: '',
        arguments: '',
        extraContent: undefined,
        pieces: 0,
      };
      calls[delta.index] = call;
      const withExtra = delta as ToolCallDelta & { extra_content?: unknown };
      if (delta.id !== undefined) call.id += delta.id;
      if (delta.function?.name !== undefined) call.name += delta.function.name;
      call.arguments += delta.function?.arguments ?? '';
      if (withExtra.extra_content !== undefined) call.extraContent = withExtra.extra_content;
      call.pieces += 1;
    }
  }
  return calls;
}

/** What the recording's `partialArgs` add up to, per call, read straight from the events. */
function recordedArguments(
  lines: readonly string[],
): { name: string; args: Record<string, string> }[] {
  const calls: { name: string; args: Record<string, string> }[] = [];
  for (const line of lines) {
    const event = JSON.parse(line) as {
      candidates?: { content?: { parts?: { functionCall?: Record<string, unknown> }[] } }[];
    };
    for (const part of event.candidates?.[0]?.content?.parts ?? []) {
      const call = part.functionCall;
      if (call === undefined) continue;
      if (typeof call.name === 'string') calls.push({ name: call.name, args: {} });
      const current = calls.at(-1);
      const pieces = Array.isArray(call.partialArgs) ? call.partialArgs : [];
      for (const piece of pieces as { jsonPath: string; stringValue: string }[]) {
        const key = piece.jsonPath.replace('$.', '');
        if (current !== undefined)
          current.args[key] = (current.args[key] ?? '') + piece.stringValue;
      }
    }
  }
  return calls;
}

describe('gemini stream translator: streamed function-call arguments (Gemini 3)', () => {
  it('reassembles the recorded partialArgs into argument pieces that parse', () => {
    const lines = recordedLines('google-stream-tool-call-arguments.chunks.txt');
    const chunks = translate(lines);
    const calls = reassemble(chunks);
    expect(calls.map((call) => call.name)).toEqual(['getWeather', 'getWeather']);
    expect(calls.map((call) => JSON.parse(call.arguments) as unknown)).toEqual(
      recordedArguments(lines).map((call) => call.args),
    );
    expect(calls.map((call) => call.arguments)).toEqual([
      '{"location":"Boston"}',
      '{"location":"San Francisco"}',
    ]);
    for (const call of calls) {
      expect(call.id).toMatch(/^call_[0-9a-f]{24}$/);
      expect(call.pieces).toBeGreaterThan(2);
    }
    expect(calls[0]?.extraContent).toEqual({
      google: { thought_signature: expect.stringMatching(/^CiMBjz1rX25K/) as unknown },
    });
    expect(calls[1]?.extraContent).toBeUndefined();
    const finish = chunks.flatMap((chunk) => chunk.choices).find((choice) => choice.finish_reason);
    expect(finish).toMatchObject({ finish_reason: 'tool_calls', native_finish_reason: 'STOP' });
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 26, completion_tokens: 23 + 132 });
  });

  it('sends the first delta with id and name, then argument pieces only', () => {
    const chunks = translate(recordedLines('google-stream-tool-call-arguments.chunks.txt'));
    const deltas = chunks.flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
    );
    const first = deltas.filter((delta) => delta.index === 0);
    expect(first[0]).toMatchObject({ type: 'function', function: { name: 'getWeather' } });
    for (const delta of first.slice(1)) {
      expect(delta).toEqual({ index: 0, function: { arguments: expect.any(String) as unknown } });
    }
  });

  it('translates the whole recorded no-args stream: a whole call, then three streamed calls', () => {
    const lines = recordedLines('google-stream-no-args-tool-call.chunks.txt');
    const chunks = translate(lines);
    const calls = reassemble(chunks);
    expect(calls.map((call) => [call.name, call.arguments])).toEqual([
      ['read_theme', '{}'],
      ['read_screen', '{"id":"A"}'],
      ['read_screen', '{"id":"B"}'],
      ['read_screen', '{"id":"C"}'],
    ]);
    expect(recordedArguments(lines).map((call) => call.args)).toEqual(
      calls.map((call) => JSON.parse(call.arguments) as unknown),
    );
    expect(calls[0]?.extraContent).toMatchObject({
      google: { thought_signature: expect.any(String) as unknown },
    });
    expect(chunks[0]?.choices[0]?.delta.reasoning).toContain('**Processing User Requests**');
  });

  it('closes a call the body leaves open, before the usage chunk', () => {
    const lines = recordedLines('google-stream-tool-call-arguments.chunks.txt');
    // The recording cut after the first call's last partialArgs piece: no closing `functionCall: {}`.
    const chunks = translate(lines.slice(0, 3));
    expect(reassemble(chunks).map((call) => call.arguments)).toEqual(['{"location":"Boston"}']);
  });
});

describe('gemini arguments accumulator', () => {
  it('builds nested objects, arrays, numbers, booleans and null in order', () => {
    const accumulator = createGeminiArgumentsAccumulator();
    const pieces = [
      accumulator.push([{ jsonPath: '$.recipe.name', stringValue: 'Lasa', willContinue: true }]),
      accumulator.push([{ jsonPath: '$.recipe.name', stringValue: 'gna "x"' }]),
      accumulator.push([
        { jsonPath: '$.recipe.items[0].grams', numberValue: 250 },
        { jsonPath: '$.recipe.items[1].vegan', boolValue: true },
        { jsonPath: '$.note', nullValue: 'NULL_VALUE' },
      ]),
      accumulator.close(),
    ];
    const text = pieces.join('');
    expect(JSON.parse(text)).toEqual({
      recipe: { name: 'Lasagna "x"', items: [{ grams: 250 }, { vegan: true }] },
      note: null,
    });
    expect(pieces[0]).toBe('{"recipe":{"name":"Lasa');
  });

  it('gives {} for a call without arguments', () => {
    expect(createGeminiArgumentsAccumulator().close()).toBe('{}');
  });

  it('rejects pieces that would rewrite text already sent', () => {
    const accumulator = createGeminiArgumentsAccumulator();
    accumulator.push([{ jsonPath: '$.a.x', numberValue: 1 }]);
    accumulator.push([{ jsonPath: '$.b', numberValue: 2 }]);
    expect(() => accumulator.push([{ jsonPath: '$.a.y', numberValue: 3 }])).toThrow(
      expect.objectContaining({ code: 'upstream_invalid_response' }) as unknown,
    );
  });
});
