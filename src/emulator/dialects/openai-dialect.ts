/**
 * OpenAI's own chat-completions dialect (`POST /v1/chat/completions`, `Authorization: Bearer`),
 * shaped like the recordings in recordings/openai/: `chatcmpl-` ids, `system_fingerprint`,
 * `service_tier`; streams with an `obfuscation` pad on every chunk, `usage: null` on chunks and
 * a final `choices: []` usage chunk only under `stream_options.include_usage`, then `data: [DONE]`.
 * Errors use OpenAI's `{error: {message, type, param, code}}` envelope.
 */
import type { Usage } from '../../contracts/chat.ts';
import { alphanumericFromSeed } from '../emulator-ids.ts';
import type {
  Dialect,
  DialectAnswer,
  DialectCall,
  DialectError,
  DialectStreamEvent,
  RenderedTurn,
} from './dialect-types.ts';
import { characterPieces, textOfContent, type TurnInput } from './synthesized-turn.ts';

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided.',
  },
  403: {
    type: 'invalid_request_error',
    code: 'unsupported_country_region_territory',
    message: 'Country, region, or territory not supported',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  413: { type: 'invalid_request_error', code: null, message: 'Request too large.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

function openAiError(status: number, message?: string, code?: string | null): DialectError {
  const known = ERRORS[status] ?? ERRORS[status >= 500 ? 500 : 400];
  return {
    status,
    body: {
      error: {
        message: message ?? known?.message ?? 'Error',
        type: known?.type ?? 'invalid_request_error',
        param: null,
        code: code === undefined ? (known?.code ?? null) : code,
      },
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function turnInput(body: Record<string, unknown>): TurnInput | { invalid: string } {
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isRecord))
    return { invalid: "Invalid 'messages': expected a non-empty array of message objects." };
  const tools: TurnInput['tools'] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    const definition = isRecord(tool) && isRecord(tool.function) ? tool.function : null;
    if (typeof definition?.name === 'string')
      tools.push({ name: definition.name, parameters: definition.parameters });
  }
  const choice = body.tool_choice;
  const named = isRecord(choice) && isRecord(choice.function) ? choice.function.name : undefined;
  const limits = [body.max_completion_tokens, body.max_tokens].filter(
    (value): value is number => typeof value === 'number',
  );
  const last = messages.at(-1);
  let characters = JSON.stringify(body.tools ?? []).length;
  for (const message of messages) characters += textOfContent(message.content).length;
  return {
    seedText: JSON.stringify(messages),
    promptCharacters: characters,
    toolResult: last?.role === 'tool' ? textOfContent(last.content) : null,
    tools,
    toolChoice:
      typeof named === 'string'
        ? { name: named }
        : choice === 'none' || choice === 'required'
          ? choice
          : 'auto',
    maxTokens: limits.length === 0 ? null : Math.min(...limits),
  };
}

function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const FINISH = { stop: 'stop', length: 'length', tool: 'tool_calls' } as const;

function render(
  call: DialectCall,
  turn: RenderedTurn,
  body: Record<string, unknown>,
): DialectAnswer {
  const id = `chatcmpl-${alphanumericFromSeed(turn.serial, 29)}`;
  const fingerprint = `fp_${alphanumericFromSeed(turn.seed, 10).toLowerCase()}`;
  const usage = usageOf(turn.promptTokens, turn.completionTokens);
  const toolCall =
    turn.toolCall === null
      ? null
      : {
          id: `call_${alphanumericFromSeed(turn.seed ^ turn.serial, 24)}`,
          type: 'function',
          function: { name: turn.toolCall.name, arguments: turn.toolCall.argumentsText },
        };
  const head = { id, object: 'chat.completion', created: turn.created, model: call.model };
  const message = {
    role: 'assistant',
    content: toolCall === null ? turn.textPieces.join('') : null,
    ...(toolCall === null ? {} : { tool_calls: [toolCall] }),
    refusal: null,
    annotations: [],
  };
  const choice = { index: 0, message, logprobs: null, finish_reason: FINISH[turn.finish] };
  const bodyText = JSON.stringify({
    ...head,
    choices: [choice],
    usage,
    service_tier: 'default',
    system_fingerprint: fingerprint,
  });
  const streamOptions = body.stream_options;
  const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;
  const chunkHead = {
    ...head,
    object: 'chat.completion.chunk',
    service_tier: 'default',
    system_fingerprint: fingerprint,
  };
  let pad = 0;
  const chunk = (choices: unknown[], chunkUsage: Usage | null): string => {
    pad += 1;
    const obfuscation = alphanumericFromSeed(turn.seed + pad, 3 + ((turn.seed + pad) % 12));
    const usageField = includeUsage ? { usage: chunkUsage } : {};
    return `data: ${JSON.stringify({ ...chunkHead, choices, ...usageField, obfuscation })}\n\n`;
  };
  const delta = (value: unknown, finish: string | null = null): unknown[] => [
    { index: 0, delta: value, logprobs: null, finish_reason: finish },
  ];
  const texts: string[] = [];
  if (toolCall === null) {
    texts.push(chunk(delta({ role: 'assistant', content: '', refusal: null }), null));
    for (const piece of turn.textPieces) texts.push(chunk(delta({ content: piece }), null));
  } else {
    const first = {
      index: 0,
      ...toolCall,
      function: { name: toolCall.function.name, arguments: '' },
    };
    texts.push(
      chunk(delta({ role: 'assistant', content: null, tool_calls: [first], refusal: null }), null),
    );
    for (const piece of characterPieces(toolCall.function.arguments, 8))
      texts.push(
        chunk(delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] }), null),
      );
  }
  texts.push(chunk(delta({}, FINISH[turn.finish]), null));
  const events: DialectStreamEvent[] = texts.map((text) => ({ text }));
  if (includeUsage) events.push({ text: chunk([], usage), usage });
  events.push({ text: 'data: [DONE]\n\n' });
  return { responseId: id, bodyText, events, usage };
}

/** The OpenAI dialect (see the file comment). */
export const openAiDialect: Dialect = {
  name: 'openai',
  streamContentType: 'text/event-stream; charset=utf-8',
  authenticate(request, _query, apiKeys) {
    const match = /^Bearer\s+(.+)$/i.exec((request.headers.authorization ?? '').trim());
    const key = match?.[1]?.trim() ?? '';
    if (key === '')
      return {
        error: openAiError(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          null,
        ),
      };
    if (apiKeys !== null && !apiKeys.has(key))
      return {
        error: openAiError(
          401,
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        ),
      };
    return { key };
  },
  errorFor: (status, message) => openAiError(status, message),
  unknownModel: (model) =>
    /^(gpt-|o\d|chatgpt-)/.test(model)
      ? null
      : openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`),
  turnInput,
  render,
  inBandError(body) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : openAiError(500).body;
    const payload = isRecord(error) && 'error' in error ? error : { error };
    return `data: ${JSON.stringify(payload)}\n\n`;
  },
  usageOf(json) {
    const usage = isRecord(json) ? json.usage : null;
    return isRecord(usage) && typeof usage.prompt_tokens === 'number' ? (usage as Usage) : null;
  },
};
