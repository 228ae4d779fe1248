/**
 * The dialect-neutral part of a synthesized answer: which tool to call (arguments satisfying its
 * JSON Schema), or which words to say (deterministic per conversation), and the token counts
 * (prompt ≈ characters / 4, one completion token per word, tool calls ≈ argument characters / 4).
 */
import { hashText } from '../emulator-ids.ts';
import { answerWords, wordPieces } from '../synthetic-text.ts';
import { toolArgumentsFromSchema } from '../tool-arguments-from-schema.ts';

/** A request reduced to what synthesis needs. */
export interface TurnInput {
  /** Text that identifies the conversation (the messages as JSON): seeds the words. */
  seedText: string;
  /** Characters of the prompt (contents, tools), for the prompt-token estimate. */
  promptCharacters: number;
  /** The text of a tool result when the last message carries one, else null. */
  toolResult: string | null;
  tools: { name: string; parameters: unknown }[];
  /** `auto` (call the first tool if any), `none`, `required` (any tool), or a tool name. */
  toolChoice: 'auto' | 'none' | 'required' | { name: string };
  /** The request's output limit in tokens, null when none. */
  maxTokens: number | null;
}

export interface SynthesizedTurn {
  seed: number;
  textPieces: string[];
  toolCall: { name: string; input: unknown; argumentsText: string } | null;
  finish: 'stop' | 'length' | 'tool';
  promptTokens: number;
  completionTokens: number;
}

function chooseTool(input: TurnInput): TurnInput['tools'][number] | null {
  if (input.toolChoice === 'none' || input.toolResult !== null) return null;
  const choice = input.toolChoice;
  if (typeof choice === 'object')
    return input.tools.find((tool) => tool.name === choice.name) ?? input.tools[0] ?? null;
  return input.tools[0] ?? null;
}

/** The deterministic answer to `input` (the same input gives the same turn). */
export function synthesizeTurn(input: TurnInput): SynthesizedTurn {
  const seed = hashText(input.seedText);
  const promptTokens = Math.max(1, Math.ceil(input.promptCharacters / 4));
  const tool = chooseTool(input);
  if (tool !== null) {
    const value = toolArgumentsFromSchema(tool.parameters);
    const argumentsText = JSON.stringify(value);
    return {
      seed,
      textPieces: [],
      toolCall: { name: tool.name, input: value, argumentsText },
      finish: 'tool',
      promptTokens,
      completionTokens: Math.ceil(argumentsText.length / 4) + 1,
    };
  }
  const words = answerWords(input.toolResult, seed);
  const limit = input.maxTokens === null ? Infinity : Math.max(1, Math.floor(input.maxTokens));
  const emitted = words.slice(0, Math.min(words.length, limit));
  return {
    seed,
    textPieces: wordPieces(emitted),
    toolCall: null,
    finish: emitted.length < words.length ? 'length' : 'stop',
    promptTokens,
    completionTokens: emitted.length,
  };
}

export { textOfContent } from '../synthetic-text.ts';

/** Splits text into pieces of `size` characters (streamed tool arguments). */
export function characterPieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size)
    result.push(text.slice(start, start + size));
  return result;
}
