/**
 * Gemini's generateContent dialect (`POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`, also under `/v1/`, key in `x-goog-api-key` or `?key=`), shaped like
 * recordings/gemini/: streams are `data: {…}\r\n\r\n` events, each a full GenerateContentResponse
 * with cumulative usageMetadata, finishReason only on the last, no `[DONE]`; a function call comes
 * whole in one chunk. Errors are google.rpc.Status bodies (`{error: {code, message, status}}`);
 * a 429 is the recorded RESOURCE_EXHAUSTED body with RetryInfo. Gemini has no in-band stream
 * error: a programmed one cuts the stream short.
 */
import { readFileSync } from 'node:fs';
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
import { textOfContent, type TurnInput } from './synthesized-turn.ts';

const RATE_LIMITED = new URL('../recordings/gemini/google-429-retry-info.json', import.meta.url);

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const MESSAGES: Record<number, string> = {
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
};

let rateLimitedBody: unknown;

function geminiError(status: number, message?: string): DialectError {
  if (status === 429 && message === undefined) {
    rateLimitedBody ??= JSON.parse(readFileSync(RATE_LIMITED, 'utf8'));
    return { status, body: rateLimitedBody };
  }
  const name = STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
  const text = message ?? MESSAGES[status] ?? 'Request contains an invalid argument.';
  return { status, body: { error: { code: status, message: text, status: name } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Gemini's OpenAPI-subset schemas spell types in capitals (`OBJECT`); JSON Schema uses lower case. */
function lowerCaseTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerCaseTypes);
  if (!isRecord(schema)) return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema))
    result[key] =
      key === 'type' && typeof value === 'string' ? value.toLowerCase() : lowerCaseTypes(value);
  return result;
}

function partsOf(content: unknown): unknown[] {
  return isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
}

function turnInput(body: Record<string, unknown>): TurnInput | { invalid: string } {
  const { contents } = body;
  if (!Array.isArray(contents) || contents.length === 0)
    return { invalid: '* GenerateContentRequest.contents: contents is not specified\n' };
  const tools: TurnInput['tools'] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    const declarations =
      isRecord(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const declaration of declarations)
      if (isRecord(declaration) && typeof declaration.name === 'string')
        tools.push({
          name: declaration.name,
          parameters: lowerCaseTypes(declaration.parametersJsonSchema ?? declaration.parameters),
        });
  }
  const config = isRecord(body.toolConfig) ? body.toolConfig.functionCallingConfig : undefined;
  const mode = isRecord(config) ? config.mode : undefined;
  const allowed =
    isRecord(config) && Array.isArray(config.allowedFunctionNames)
      ? config.allowedFunctionNames
      : [];
  const generation = isRecord(body.generationConfig) ? body.generationConfig : {};
  const lastParts = partsOf(contents.at(-1));
  const responses = lastParts.filter(
    (part) => isRecord(part) && part.functionResponse !== undefined,
  );
  let characters =
    JSON.stringify(body.tools ?? []).length + textOfContent(partsOf(body.systemInstruction)).length;
  for (const content of contents) characters += textOfContent(partsOf(content)).length;
  return {
    seedText: JSON.stringify(contents),
    promptCharacters: characters,
    toolResult:
      responses.length === 0
        ? null
        : responses
            .map((part) => JSON.stringify((part as { functionResponse: unknown }).functionResponse))
            .join(' '),
    tools,
    toolChoice:
      mode === 'NONE'
        ? 'none'
        : mode === 'ANY'
          ? typeof allowed[0] === 'string' && allowed.length === 1
            ? { name: allowed[0] }
            : 'required'
          : 'auto',
    maxTokens: typeof generation.maxOutputTokens === 'number' ? generation.maxOutputTokens : null,
  };
}

function translate(metadata: Record<string, unknown>): Usage {
  const number = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const prompt = number(metadata.promptTokenCount);
  const thoughts = number(metadata.thoughtsTokenCount);
  const completion = number(metadata.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: number(metadata.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

function metadataFor(promptTokens: number, candidatesTokens: number): Record<string, unknown> {
  return {
    promptTokenCount: promptTokens,
    candidatesTokenCount: candidatesTokens,
    totalTokenCount: promptTokens + candidatesTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
  };
}

function render(call: DialectCall, turn: RenderedTurn): DialectAnswer {
  const responseId = alphanumericFromSeed(turn.serial, 23);
  const finishReason = turn.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
  const response = (parts: unknown[], finish: boolean, candidatesTokens: number): string =>
    JSON.stringify({
      candidates: [
        { content: { parts, role: 'model' }, ...(finish ? { finishReason } : {}), index: 0 },
      ],
      usageMetadata: metadataFor(turn.promptTokens, candidatesTokens),
      modelVersion: call.model,
      responseId,
    });
  const usage = translate(metadataFor(turn.promptTokens, turn.completionTokens));
  const events: DialectStreamEvent[] = [];
  if (turn.toolCall !== null) {
    const parts = [{ functionCall: { name: turn.toolCall.name, args: turn.toolCall.input } }];
    events.push({ text: `data: ${response(parts, true, turn.completionTokens)}\r\n\r\n`, usage });
    return { responseId, bodyText: response(parts, true, turn.completionTokens), events, usage };
  }
  let words = 0;
  for (const [index, piece] of turn.textPieces.entries()) {
    words += piece.trim().split(/\s+/).length;
    const last = index === turn.textPieces.length - 1;
    const counted = last ? turn.completionTokens : words;
    events.push({
      text: `data: ${response([{ text: piece }], last, counted)}\r\n\r\n`,
      usage: translate(metadataFor(turn.promptTokens, counted)),
    });
  }
  const text = [{ text: turn.textPieces.join('') }];
  return { responseId, bodyText: response(text, true, turn.completionTokens), events, usage };
}

/** The Gemini dialect (see the file comment). */
export const geminiDialect: Dialect = {
  name: 'gemini',
  streamContentType: 'text/event-stream',
  authenticate(request, query, apiKeys) {
    const header = request.headers['x-goog-api-key'];
    const key = (typeof header === 'string' ? header : (query.get('key') ?? '')).trim();
    if (key === '')
      return {
        error: geminiError(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        ),
      };
    if (apiKeys !== null && !apiKeys.has(key))
      return { error: geminiError(400, 'API key not valid. Please pass a valid API key.') };
    return { key };
  },
  errorFor: geminiError,
  unknownModel: (model) =>
    model.startsWith('gemini-')
      ? null
      : geminiError(
          404,
          `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
        ),
  turnInput,
  render,
  inBandError: () => null,
  usageOf(json) {
    return isRecord(json) && isRecord(json.usageMetadata) ? translate(json.usageMetadata) : null;
  },
};
