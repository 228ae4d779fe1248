/**
 * Chat Completions request → Gemini `GenerateContentRequest` body (docs/upstream-api-notes.md §4):
 * - `system`/`developer` messages → `systemInstruction.parts`.
 * - user parts: `text` → `{text}`; `image_url` data URL → `inlineData`, http(s) URL → `fileData`.
 * - assistant → role `model`: text, `reasoning` is not sent back; each tool call →
 *   `{functionCall:{id,name,args}}` with its `thoughtSignature` restored from
 *   `tool_calls[].extra_content.google.thought_signature` (where the response put it).
 * - `tool` messages → `{functionResponse:{id,name,response}}` in a user turn; the name is found
 *   by `tool_call_id` among the earlier assistant tool calls; `response` is the content's JSON
 *   object, or `{content: <text>}`. Consecutive turns of one role are merged.
 * - `tools` → one `{functionDeclarations:[…]}`; `tool_choice` → `toolConfig.functionCallingConfig`.
 * - `generationConfig`: `maxOutputTokens`, `temperature`, `topP`, `topK`, `stopSequences`,
 *   `candidateCount` (n), `seed`, penalties, JSON mode; OpenRouter's `reasoning`
 *   (`max_tokens`/`effort`) or `reasoning_effort` → `thinkingConfig` with `includeThoughts`.
 * @throws SignalboxError `invalid_request` for input Gemini cannot express.
 */
import { readFunctionTool } from '../shared/read-function-tool.ts';
import type { ChatCompletionRequest, ChatMessage, Tool } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { isRecord } from '../shared/map-upstream-error.ts';

type Part = Record<string, unknown>;
interface GeminiContent {
  role: 'user' | 'model';
  parts: Part[];
}

/** Builds the request body (the model goes in the URL, not the body). */
export function convertToGeminiMessages(request: ChatCompletionRequest): Record<string, unknown> {
  const systemParts: Part[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  request.messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      systemParts.push(...toParts(message.content, index));
      return;
    }
    let role: GeminiContent['role'] = 'user';
    let parts: Part[];
    if (message.role === 'assistant') {
      role = 'model';
      parts = modelParts(message, index, toolNames);
    } else if (message.role === 'tool') {
      parts = [functionResponsePart(message, toolNames)];
    } else {
      parts = toParts(message.content, index);
    }
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });
  const body: Record<string, unknown> = { contents };
  if (systemParts.length > 0) body.systemInstruction = { parts: systemParts };
  const declarations = (request.tools ?? []).flatMap(toFunctionDeclaration);
  if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }];
  const toolConfig = toToolConfig(request);
  if (toolConfig !== undefined) body.toolConfig = toolConfig;
  const generationConfig = toGenerationConfig(request);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function toParts(content: ChatMessage['content'], messageIndex: number): Part[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.map((part) => toPart(part, messageIndex));
}

function toPart(part: Record<string, unknown>, messageIndex: number): Part {
  if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
  if (part.type === 'image_url') {
    const imageUrl = part.image_url;
    const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
    if (typeof url === 'string') {
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
      if (match !== null) return { inlineData: { mimeType: match[1], data: match[2] } };
      return { fileData: { fileUri: url, mimeType: guessImageMimeType(url) } };
    }
  }
  throw new SignalboxError('invalid_request', 'This content part type cannot be sent to Gemini.', {
    param: `messages[${messageIndex}].content`,
  });
}

function guessImageMimeType(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (extension === 'png') return 'image/png';
  if (extension === 'webp') return 'image/webp';
  if (extension === 'gif') return 'image/gif';
  return 'image/jpeg';
}

function modelParts(message: ChatMessage, index: number, toolNames: Map<string, string>): Part[] {
  const parts = toParts(message.content, index);
  for (const call of message.tool_calls ?? []) {
    toolNames.set(call.id, call.function.name);
    const part: Part = {
      functionCall: { id: call.id, name: call.function.name, args: parseArguments(call, index) },
    };
    const signature = thoughtSignatureOf(call);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  }
  return parts;
}

/** Reads `extra_content.google.thought_signature` from a tool call (Gemini's own compat field). */
function thoughtSignatureOf(call: object): string | undefined {
  const extra = (call as { extra_content?: unknown }).extra_content;
  const google = isRecord(extra) ? extra.google : undefined;
  const signature = isRecord(google) ? google.thought_signature : undefined;
  return typeof signature === 'string' ? signature : undefined;
}

function parseArguments(call: { function: { arguments: string } }, messageIndex: number): unknown {
  const text = call.function.arguments;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SignalboxError('invalid_request', 'Tool call arguments must be JSON.', {
      param: `messages[${messageIndex}].tool_calls`,
    });
  }
}

function functionResponsePart(message: ChatMessage, toolNames: Map<string, string>): Part {
  const id = message.tool_call_id ?? '';
  const content = message.content;
  const text =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
  let response: unknown = { content: text };
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isRecord(parsed)) response = parsed;
  } catch {
    // Plain text stays wrapped in {content}.
  }
  const name = toolNames.get(id) ?? (typeof message.name === 'string' ? message.name : '');
  return { functionResponse: { id, name, response } };
}

/** JSON Schema keywords Gemini's OpenAPI-subset `parameters` rejects. */
const UNSUPPORTED_SCHEMA_KEYS = new Set(['$schema', 'additionalProperties', 'strict']);

function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!isRecord(schema)) return schema;
  const output: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!UNSUPPORTED_SCHEMA_KEYS.has(key)) output[key] = toGeminiSchema(value);
  }
  return output;
}

function toFunctionDeclaration(tool: Tool): Part[] {
  const definition = readFunctionTool(tool);
  if (definition === null) return [];
  return [
    {
      name: definition.name,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      ...(definition.parameters === undefined
        ? {}
        : { parameters: toGeminiSchema(definition.parameters) }),
    },
  ];
}

function toToolConfig(request: ChatCompletionRequest): Record<string, unknown> | undefined {
  const choice = request.tool_choice;
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return {
    functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] },
  };
}

const THINKING_BUDGET_BY_EFFORT: Readonly<Record<string, number>> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

function toGenerationConfig(request: ChatCompletionRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') config.maxOutputTokens = maxTokens;
  const numeric: readonly (readonly [string, string])[] = [
    ['temperature', 'temperature'],
    ['top_p', 'topP'],
    ['top_k', 'topK'],
    ['n', 'candidateCount'],
    ['seed', 'seed'],
    ['presence_penalty', 'presencePenalty'],
    ['frequency_penalty', 'frequencyPenalty'],
  ];
  for (const [from, to] of numeric) {
    const value = request[from];
    if (typeof value === 'number') config[to] = value;
  }
  const stop = request.stop;
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop)) config.stopSequences = stop;
  const format = request.response_format;
  if (isRecord(format) && (format.type === 'json_object' || format.type === 'json_schema')) {
    config.responseMimeType = 'application/json';
  }
  const thinking = toThinkingConfig(request);
  if (thinking !== undefined) config.thinkingConfig = thinking;
  return config;
}

function toThinkingConfig(request: ChatCompletionRequest): Record<string, unknown> | undefined {
  const reasoning = isRecord(request.reasoning) ? request.reasoning : undefined;
  if (reasoning?.enabled === false || reasoning?.exclude === true) return undefined;
  if (typeof reasoning?.max_tokens === 'number') {
    return { includeThoughts: true, thinkingBudget: reasoning.max_tokens };
  }
  const effort = reasoning?.effort ?? request.reasoning_effort;
  if (typeof effort === 'string' && Object.hasOwn(THINKING_BUDGET_BY_EFFORT, effort)) {
    return { includeThoughts: true, thinkingBudget: THINKING_BUDGET_BY_EFFORT[effort] };
  }
  if (reasoning !== undefined) return { includeThoughts: true };
  return undefined;
}
