/**
 * The answer to a chat request that matches no recording: deterministic (the same messages give
 * the same text, tool call and usage), shaped like the recorded OpenRouter answers. Token counts
 * are estimates (prompt ≈ characters / 4, one completion token per word emitted); the cost is
 * exact for those counts under the model's catalogue prices.
 */
import type { ChatCompletionRequest, FinishReason, Usage } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { completionUsage } from './completion-usage.ts';
import { alphanumericFromSeed, hashText } from './emulator-ids.ts';
import { providerNameForModel } from './provider-name-for-model.ts';
import { answerWords, textOfContent, wordPieces } from './synthetic-text.ts';
import { toolArgumentsFromSchema } from './tool-arguments-from-schema.ts';

/** A synthesized answer, rendered later as JSON or SSE. */
export interface SynthesizedCompletion {
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model the answer names (catalogue `canonical_slug` for plain ids, as OpenRouter does). */
  model: string;
  provider: string;
  /** Content in the pieces a stream sends (a few words each); empty for a tool call. */
  contentPieces: string[];
  toolCall: { id: string; name: string; arguments: string } | null;
  finishReason: FinishReason;
  usage: Usage;
}

/** Prompt tokens ≈ ceil(characters of contents, tool-call arguments and tools JSON / 4), at least 1. */
function estimatePromptTokens(request: ChatCompletionRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    characters += textOfContent(message.content).length;
    for (const call of message.tool_calls ?? []) characters += call.function.arguments.length;
  }
  if (request.tools !== undefined) characters += JSON.stringify(request.tools).length;
  return Math.max(1, Math.ceil(characters / 4));
}

function completionLimit(request: ChatCompletionRequest): number {
  const limits = [request.max_tokens, request.max_completion_tokens].filter(
    (value): value is number => typeof value === 'number' && value >= 0,
  );
  return limits.length === 0 ? Infinity : Math.floor(Math.min(...limits));
}

interface ChosenTool {
  name: string;
  parameters: unknown;
}

/** The function tool to call, or null for a text answer (tool_choice "none", a tool result last, no tools). */
function chooseTool(request: ChatCompletionRequest): ChosenTool | null {
  if (request.tool_choice === 'none' || request.messages.at(-1)?.role === 'tool') return null;
  const tools: ChosenTool[] = [];
  for (const tool of request.tools ?? []) {
    const definition =
      tool.type === 'function'
        ? (tool as { function?: { name?: unknown; parameters?: unknown } }).function
        : undefined;
    if (typeof definition?.name === 'string')
      tools.push({ name: definition.name, parameters: definition.parameters });
  }
  const choice = request.tool_choice;
  const named =
    typeof choice === 'object'
      ? tools.find((tool) => tool.name === choice.function.name)
      : undefined;
  return named ?? tools[0] ?? null;
}

/** The served-model name: OpenRouter answers with the dated permaslug for plain ids (recorded). */
function servedModel(model: ModelInfo): string {
  return model.id.includes(':') ? model.id : (model.canonical_slug ?? model.id);
}

/**
 * Synthesizes the answer to `request` from `model`. `id` (`gen-…`) and `created` (unix seconds)
 * come from the caller so that ids stay unique while the content stays deterministic.
 */
export function synthesizeCompletion(
  request: ChatCompletionRequest,
  model: ModelInfo,
  id: string,
  created: number,
  options: { answerWords?: number | undefined; answerPieceWords?: number | undefined } = {},
): SynthesizedCompletion {
  const seed = hashText(JSON.stringify(request.messages));
  const limit = completionLimit(request);
  const promptTokens = estimatePromptTokens(request);
  const base = { id, created, model: servedModel(model), provider: providerNameForModel(model.id) };
  const tool = chooseTool(request);
  if (tool !== null) {
    let argumentsText = JSON.stringify(toolArgumentsFromSchema(tool.parameters));
    let completionTokens = Math.ceil(argumentsText.length / 4) + 1;
    let finishReason: FinishReason = 'tool_calls';
    if (completionTokens > limit) {
      argumentsText = argumentsText.slice(0, Math.max(0, limit - 1) * 4);
      completionTokens = limit;
      finishReason = 'length';
    }
    const toolCall = {
      id: `call_${alphanumericFromSeed(seed, 24)}`,
      name: tool.name,
      arguments: argumentsText,
    };
    return {
      ...base,
      contentPieces: [],
      toolCall,
      finishReason,
      usage: completionUsage(promptTokens, completionTokens, model),
    };
  }
  const last = request.messages.at(-1);
  const words = answerWords(
    last?.role === 'tool' ? textOfContent(last.content) : null,
    seed,
    options.answerWords,
  );
  const emitted = words.slice(0, Math.min(words.length, limit));
  const finishReason: FinishReason = emitted.length < words.length ? 'length' : 'stop';
  return {
    ...base,
    contentPieces: wordPieces(emitted, options.answerPieceWords),
    toolCall: null,
    finishReason,
    usage: completionUsage(promptTokens, emitted.length, model),
  };
}
