/**
 * Anthropic's Messages dialect (`POST /v1/messages`, `x-api-key` or `Authorization: Bearer`, plus
 * `anthropic-version`), shaped
 * like recordings/anthropic/ and the official SDK's SSE fixtures: streams are message_start,
 * content_block_start, ping, content_block_delta (text_delta, or input_json_delta in pieces, the
 * first one empty), content_block_stop, message_delta (stop_reason, cumulative usage),
 * message_stop. Errors use `{type: "error", error: {type, message}, request_id}` with a
 * `request-id` header; the 404 for a non-`claude-` model is the recorded `not_found_error` body.
 */
import { randomBytes } from 'node:crypto';
import type { Usage } from '../../contracts/chat.ts';
import { alphanumericFromSeed } from '../emulator-ids.ts';
import { loadDialectInteractions } from './dialect-recordings.ts';
import type {
  Dialect,
  DialectAnswer,
  DialectCall,
  DialectError,
  DialectStreamEvent,
  RenderedTurn,
} from './dialect-types.ts';
import { characterPieces, textOfContent, type TurnInput } from './synthesized-turn.ts';

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

function requestId(): string {
  return `req_011C${alphanumericFromSeed(randomBytes(4).readUInt32BE(0), 20)}`;
}

function anthropicError(status: number, message?: string): DialectError {
  const [type, text] = ERROR_TYPES[status] ?? ERROR_TYPES[status >= 500 ? 500 : 400] ?? [];
  const id = requestId();
  return {
    status,
    body: { type: 'error', error: { type, message: message ?? text }, request_id: id },
    headers: { 'request-id': id },
  };
}

/** The recorded 404 (`model: claude-does-not-exist`), with this model's name and a fresh request id. */
function notFound(model: string): DialectError {
  const recorded = loadDialectInteractions('anthropic').find(
    (interaction) => interaction.status === 404,
  );
  const body = JSON.parse(recorded?.bodyText ?? 'null') as {
    error?: { type?: string; message?: string };
  } | null;
  const id = requestId();
  return {
    status: 404,
    body: { ...body, error: { ...body?.error, message: `model: ${model}` }, request_id: id },
    headers: { 'request-id': id },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of the last message's `tool_result` blocks, or null when it has none. */
function toolResultOf(message: Record<string, unknown> | undefined): string | null {
  const content = message?.content;
  if (!Array.isArray(content)) return null;
  const blocks: readonly unknown[] = content;
  const results = blocks.filter((block) => isRecord(block) && block.type === 'tool_result');
  if (results.length === 0) return null;
  return results
    .map((block) => {
      const inner = (block as { content?: unknown }).content;
      return typeof inner === 'string' ? inner : textOfContent(inner);
    })
    .join(' ');
}

function turnInput(body: Record<string, unknown>): TurnInput | { invalid: string } {
  const { messages } = body;
  if (typeof body.max_tokens !== 'number') return { invalid: 'max_tokens: Field required' };
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isRecord))
    return { invalid: 'messages: at least one message is required' };
  const tools: TurnInput['tools'] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : [])
    if (isRecord(tool) && typeof tool.name === 'string')
      tools.push({ name: tool.name, parameters: tool.input_schema });
  const choice = isRecord(body.tool_choice) ? body.tool_choice : {};
  let characters = textOfContent(body.system).length + JSON.stringify(body.tools ?? []).length;
  for (const message of messages) characters += textOfContent(message.content).length;
  return {
    seedText: JSON.stringify(messages),
    promptCharacters: characters,
    toolResult: toolResultOf(messages.at(-1)),
    tools,
    toolChoice:
      choice.type === 'tool' && typeof choice.name === 'string'
        ? { name: choice.name }
        : choice.type === 'none'
          ? 'none'
          : choice.type === 'any'
            ? 'required'
            : 'auto',
    maxTokens: body.max_tokens,
  };
}

function translate(usage: Record<string, unknown>, previous: Usage | null): Usage {
  const number = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const hasInput = typeof usage.input_tokens === 'number';
  const read = hasInput
    ? number(usage.cache_read_input_tokens)
    : (previous?.prompt_tokens_details?.cached_tokens ?? 0);
  const write = hasInput
    ? number(usage.cache_creation_input_tokens)
    : (previous?.prompt_tokens_details?.cache_write_tokens ?? 0);
  const prompt = hasInput
    ? number(usage.input_tokens) + read + write
    : (previous?.prompt_tokens ?? 0);
  const completion = number(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read, cache_write_tokens: write },
  };
}

/** Anthropic's `usage` for a synthesized turn (the recorded 2025 field set). */
function nativeUsageOf(turn: RenderedTurn) {
  return {
    input_tokens: turn.promptTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: turn.completionTokens,
    service_tier: 'standard',
  };
}

const STOP = { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use' } as const;

function event(name: string, data: unknown, usage?: Usage): DialectStreamEvent {
  const text = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  return usage === undefined ? { text } : { text, usage };
}

function streamEvents(
  message: Record<string, unknown>,
  turn: RenderedTurn,
  block: Record<string, unknown>,
  usage: Usage,
): DialectStreamEvent[] {
  const startUsage = { ...nativeUsageOf(turn), output_tokens: 1 };
  const start = { ...message, content: [], stop_reason: null, usage: startUsage };
  const events = [
    event('message_start', { type: 'message_start', message: start }, translate(startUsage, null)),
  ];
  const opening = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
  events.push(
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: opening }),
  );
  events.push({ text: 'event: ping\ndata: {"type": "ping"}\n\n' });
  const deltas =
    turn.toolCall === null
      ? turn.textPieces.map((text) => ({ type: 'text_delta', text }))
      : ['', ...characterPieces(turn.toolCall.argumentsText, 10)].map((partial) => ({
          type: 'input_json_delta',
          partial_json: partial,
        }));
  for (const delta of deltas)
    events.push(event('content_block_delta', { type: 'content_block_delta', index: 0, delta }));
  events.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  const finalUsage = {
    input_tokens: startUsage.input_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: turn.completionTokens,
  };
  const stop = { stop_reason: STOP[turn.finish], stop_sequence: null };
  events.push(
    event('message_delta', { type: 'message_delta', delta: stop, usage: finalUsage }, usage),
  );
  events.push(event('message_stop', { type: 'message_stop' }));
  return events;
}

function render(call: DialectCall, turn: RenderedTurn): DialectAnswer {
  const id = `msg_01${alphanumericFromSeed(turn.serial, 22)}`;
  const block =
    turn.toolCall === null
      ? { type: 'text', text: turn.textPieces.join('') }
      : {
          type: 'tool_use',
          id: `toolu_01${alphanumericFromSeed(turn.seed ^ turn.serial, 22)}`,
          name: turn.toolCall.name,
          input: turn.toolCall.input,
        };
  const nativeUsage = nativeUsageOf(turn);
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: call.model,
    content: [block],
    stop_reason: STOP[turn.finish],
    stop_sequence: null,
    usage: nativeUsage,
  };
  const usage = translate(nativeUsage, null);
  return {
    responseId: id,
    bodyText: JSON.stringify(message),
    events: streamEvents(message, turn, block, usage),
    usage,
  };
}

/** The Anthropic dialect (see the file comment). */
export const anthropicDialect: Dialect = {
  name: 'anthropic',
  streamContentType: 'text/event-stream; charset=utf-8',
  authenticate(request, _query, apiKeys) {
    // The official SDK (v1.11) sends its API key as `Authorization: Bearer`; older clients and
    // the docs use `x-api-key`. Both are accepted, `x-api-key` first.
    const header = request.headers['x-api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec((request.headers.authorization ?? '').trim())?.[1];
    const key = (typeof header === 'string' ? header : (bearer ?? '')).trim();
    if (key === '' || (apiKeys !== null && !apiKeys.has(key)))
      return { error: anthropicError(401, 'invalid x-api-key') };
    if (typeof request.headers['anthropic-version'] !== 'string')
      return { error: anthropicError(400, 'anthropic-version: header is required') };
    return { key };
  },
  errorFor: anthropicError,
  unknownModel: (model) => (model.startsWith('claude-') ? null : notFound(model)),
  turnInput,
  render,
  inBandError(body) {
    const error =
      isRecord(body) && isRecord(body.error)
        ? body.error
        : { type: 'overloaded_error', message: 'Overloaded' };
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`;
  },
  usageOf(json, previous) {
    if (!isRecord(json)) return null;
    if (json.type === 'message' && isRecord(json.usage)) return translate(json.usage, null);
    if (json.type === 'message_start' && isRecord(json.message) && isRecord(json.message.usage))
      return translate(json.message.usage, null);
    if (json.type === 'message_delta' && isRecord(json.usage))
      return translate(json.usage, previous);
    return null;
  },
};
