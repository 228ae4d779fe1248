/**
 * Chat Completions request → Anthropic Messages request body (docs "Messages", docs/upstream-api-notes.md §3).
 * - `system`/`developer` messages become the top-level `system` (one string when all are strings,
 *   else text blocks with `cache_control` kept).
 * - content parts: `text` → text block, `image_url` → image block (data URL → base64 source,
 *   http(s) → url source); `cache_control` on a part is kept.
 * - assistant `reasoning_details` (OpenRouter's, as convert-from-anthropic-response.ts returns
 *   them) → `thinking` (with signature) / `redacted_thinking` blocks first, as Anthropic requires
 *   to continue a thinking + tool use turn.
 * - assistant `tool_calls` → `tool_use` blocks (`input` = the parsed arguments); `tool` messages →
 *   `tool_result` blocks in a user turn. Consecutive turns of one role are merged, as the API
 *   requires alternation.
 * - `tools` → `{name, description, input_schema}`; `tool_choice` auto/required/none/function →
 *   `auto`/`any`/`none`/`tool`; `parallel_tool_calls: false` → `disable_parallel_tool_use`.
 * - `max_completion_tokens` ?? `max_tokens` ?? 4096 (Anthropic requires one); `stop` →
 *   `stop_sequences`; `temperature`, `top_p`, `top_k` copied; `user` → `metadata.user_id`;
 *   OpenRouter's `reasoning.max_tokens` → `thinking: {type:"enabled", budget_tokens}`.
 * @throws SignalboxError `invalid_request` for input Anthropic cannot express (bad tool-call JSON).
 */
import { readFunctionTool } from '../shared/read-function-tool.ts';
import type { ChatCompletionRequest, ChatMessage, Tool } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { isRecord } from '../shared/map-upstream-error.ts';
import { toAnthropicThinkingBlocks } from './anthropic-reasoning-details.ts';

type Block = Record<string, unknown>;
interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: Block[];
}

/** Default `max_tokens` when the client set none (Anthropic requires the field). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** Builds the Messages API body for `model` (the native Anthropic name). */
export function convertToAnthropicMessages(
  request: ChatCompletionRequest,
  stream: boolean,
): Record<string, unknown> {
  const system: Block[] = [];
  const systemTexts: string[] = [];
  const turns: AnthropicTurn[] = [];
  request.messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      if (typeof message.content === 'string') systemTexts.push(message.content);
      system.push(...toBlocks(message.content, index));
      return;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content =
      message.role === 'tool'
        ? [toolResultBlock(message, index)]
        : message.role === 'assistant'
          ? assistantBlocks(message, index)
          : toBlocks(message.content, index);
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  });
  const body: Record<string, unknown> = {
    model: request.model,
    messages: turns,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  // All-string system prompts stay one string (as recorded); parts keep their cache_control.
  if (system.length > 0) {
    body.system = systemTexts.length === system.length ? systemTexts.join('\n\n') : system;
  }
  if (stream) body.stream = true;
  copyIfNumber(request, body, 'temperature', 'temperature');
  copyIfNumber(request, body, 'top_p', 'top_p');
  copyIfNumber(request, body, 'top_k', 'top_k');
  const stop = request.stop;
  if (typeof stop === 'string') body.stop_sequences = [stop];
  else if (Array.isArray(stop)) body.stop_sequences = stop;
  if (typeof request.user === 'string') body.metadata = { user_id: request.user };
  const tools = (request.tools ?? []).flatMap(toAnthropicTool);
  if (tools.length > 0) body.tools = tools;
  const toolChoice = toAnthropicToolChoice(request);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  const reasoning = request.reasoning;
  if (isRecord(reasoning) && typeof reasoning.max_tokens === 'number') {
    body.thinking = { type: 'enabled', budget_tokens: reasoning.max_tokens };
  } else if (isRecord(request.thinking)) {
    body.thinking = request.thinking;
  }
  return body;
}

function copyIfNumber(
  request: ChatCompletionRequest,
  body: Record<string, unknown>,
  from: string,
  to: string,
): void {
  const value = request[from];
  if (typeof value === 'number') body[to] = value;
}

function toBlocks(content: ChatMessage['content'], messageIndex: number): Block[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part) => toBlock(part, messageIndex));
}

function toBlock(part: Record<string, unknown>, messageIndex: number): Block {
  const cacheControl = isRecord(part.cache_control) ? { cache_control: part.cache_control } : {};
  if (part.type === 'text' && typeof part.text === 'string') {
    return { type: 'text', text: part.text, ...cacheControl };
  }
  if (part.type === 'image_url') {
    const imageUrl = part.image_url;
    const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
    if (typeof url === 'string')
      return { type: 'image', source: imageSource(url), ...cacheControl };
  }
  throw new SignalboxError(
    'invalid_request',
    'This content part type cannot be sent to Anthropic.',
    { param: `messages[${messageIndex}].content` },
  );
}

function imageSource(url: string): Block {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match !== null) return { type: 'base64', media_type: match[1], data: match[2] };
  return { type: 'url', url };
}

function assistantBlocks(message: ChatMessage, messageIndex: number): Block[] {
  const blocks = [
    ...toAnthropicThinkingBlocks(message.reasoning_details),
    ...toBlocks(message.content, messageIndex),
  ];
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, messageIndex),
    });
  }
  return blocks;
}

function parseArguments(text: string, messageIndex: number): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SignalboxError('invalid_request', 'Tool call arguments must be JSON.', {
      param: `messages[${messageIndex}].tool_calls`,
    });
  }
}

function toolResultBlock(message: ChatMessage, messageIndex: number): Block {
  const content = message.content;
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id ?? '',
    content: typeof content === 'string' ? content : toBlocks(content, messageIndex),
  };
}

function toAnthropicTool(tool: Tool): Block[] {
  const definition = readFunctionTool(tool);
  if (definition === null) return [];
  return [
    {
      name: definition.name,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      input_schema: definition.parameters ?? { type: 'object', properties: {} },
    },
  ];
}

function toAnthropicToolChoice(request: ChatCompletionRequest): Block | undefined {
  const choice = request.tool_choice;
  const disableParallel = request.parallel_tool_calls === false;
  const extra = disableParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return disableParallel ? { type: 'auto', ...extra } : undefined;
  if (choice === 'auto') return { type: 'auto', ...extra };
  if (choice === 'required') return { type: 'any', ...extra };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.function.name, ...extra };
}
