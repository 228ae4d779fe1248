/**
 * Step 1 of the pipeline: validate a chat request. The message structure is checked with zod;
 * the standard OpenAI Chat Completions parameters (https://platform.openai.com/docs/api-reference/chat/create,
 * and OpenRouter's `ChatRequest` in its OpenAPI spec) are checked for type and range by a
 * hand-written table, because this runs on every request (about 0.1 µs per parameter present).
 * Every other field (OpenRouter's `provider`, `plugins`, `reasoning`, `top_k`, unknown ones)
 * passes through untouched: the body is never copied or changed, since its raw bytes are
 * what gets forwarded. `null` means "the default" for every optional parameter, as in OpenAI's API.
 */
import { z } from 'zod';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { SignalboxError } from '../contracts/errors.ts';

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.looseObject({})), z.null()]).optional(),
});

const chatRequest = z.looseObject({
  model: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  messages: z.array(message).min(1),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
});

/** A parameter's check: null when the (non-null) value is valid, else what it must be. */
type Check = (value: unknown) => string | null;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberFrom(min: number, max: number): Check {
  return (value) =>
    typeof value === 'number' && value >= min && value <= max
      ? null
      : `must be a number from ${min} to ${max}`;
}

function integerFrom(min: number, max: number = Number.POSITIVE_INFINITY): Check {
  const expected =
    max === Number.POSITIVE_INFINITY
      ? `must be a whole number of at least ${min}`
      : `must be a whole number from ${min} to ${max}`;
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? null
      : expected;
}

const boolean: Check = (value) => (typeof value === 'boolean' ? null : 'must be true or false');
const string: Check = (value) => (typeof value === 'string' ? null : 'must be a string');
const object: Check = (value) => (isRecord(value) ? null : 'must be an object');
const integer: Check = (value) => (Number.isInteger(value) ? null : 'must be a whole number');

const stop: Check = (value) => {
  if (typeof value === 'string') return null;
  const expected = 'must be a string or an array of at most 4 strings';
  if (!Array.isArray(value) || value.length > 4) return expected;
  return value.every((entry) => typeof entry === 'string') ? null : expected;
};

const logitBias: Check = (value) => {
  const expected = 'must map token ids to numbers from -100 to 100';
  if (!isRecord(value)) return expected;
  for (const key in value) {
    const bias = value[key];
    if (typeof bias !== 'number' || bias < -100 || bias > 100) return expected;
  }
  return null;
};

const stringArray: Check = (value) =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string')
    ? null
    : 'must be an array of strings';

/** `none` | `auto` | `required` | {type:"function", function:{name}} | another typed object (OpenAI's `allowed_tools`, OpenRouter's server tools). */
const toolChoice: Check = (value) => {
  if (value === 'none' || value === 'auto' || value === 'required') return null;
  const expected =
    'must be "none", "auto", "required" or an object such as {"type":"function","function":{"name":…}}';
  if (!isRecord(value) || typeof value.type !== 'string') return expected;
  if (value.type !== 'function') return null;
  const named = value.function;
  return isRecord(named) && typeof named.name === 'string' && named.name !== ''
    ? null
    : 'must name the function: {"type":"function","function":{"name":…}}';
};

/** {type:"text"|"json_object"} | {type:"json_schema", json_schema:{name, schema?, strict?}} | {type:"grammar", grammar} | OpenRouter's others. */
const responseFormat: Check = (value) => {
  if (!isRecord(value) || typeof value.type !== 'string')
    return 'must be an object with a "type" ("text", "json_object" or "json_schema")';
  if (value.type === 'json_schema') {
    const schema = value.json_schema;
    if (!isRecord(schema) || typeof schema.name !== 'string' || schema.name === '')
      return 'of type "json_schema" needs "json_schema": {"name": …, "schema": {…}}';
    if (schema.schema !== undefined && schema.schema !== null && !isRecord(schema.schema))
      return 'json_schema.schema must be an object';
    if (schema.strict !== undefined && schema.strict !== null && typeof schema.strict !== 'boolean')
      return 'json_schema.strict must be true or false';
  }
  if (value.type === 'grammar' && typeof value.grammar !== 'string')
    return 'of type "grammar" needs "grammar": a string';
  return null;
};

/** Each function tool needs `function.name`; other tool types (OpenRouter server tools) pass. */
function checkTools(tools: readonly unknown[]): void {
  tools.forEach((tool, index) => {
    if (!isRecord(tool) || tool.type !== 'function') return;
    const definition = tool.function;
    if (!isRecord(definition) || typeof definition.name !== 'string' || definition.name === '') {
      throw invalid(`tools[${index}].function.name`, 'is required for a function tool');
    }
    const parameters = definition.parameters;
    if (parameters !== undefined && parameters !== null && !isRecord(parameters))
      throw invalid(`tools[${index}].function.parameters`, 'must be a JSON Schema object');
  });
}

/**
 * The standard parameters and their checks (OpenAI's ranges; OpenRouter's spec gives the
 * same types). Only parameters present and not null are checked.
 */
const parameterChecks: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['temperature', numberFrom(0, 2)],
  ['top_p', numberFrom(0, 1)],
  ['n', integerFrom(1, 128)],
  ['max_tokens', integerFrom(1)],
  ['max_completion_tokens', integerFrom(1)],
  ['presence_penalty', numberFrom(-2, 2)],
  ['frequency_penalty', numberFrom(-2, 2)],
  ['logprobs', boolean],
  ['top_logprobs', integerFrom(0, 20)],
  ['seed', integer],
  ['stop', stop],
  ['logit_bias', logitBias],
  ['tool_choice', toolChoice],
  ['response_format', responseFormat],
  ['parallel_tool_calls', boolean],
  ['user', string],
  ['store', boolean],
  ['metadata', object],
  ['modalities', stringArray],
  ['audio', object],
  ['prediction', object],
  ['service_tier', string],
  ['reasoning_effort', string],
  ['verbosity', string],
  ['web_search_options', object],
]);

function invalid(param: string, reason: string): SignalboxError {
  return new SignalboxError('invalid_request', `Invalid request: ${param} ${reason}.`, { param });
}

function paramOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    out +=
      typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  }
  return out;
}

/**
 * @returns the body typed as a ChatCompletionRequest (same object, nothing removed or copied).
 * @throws SignalboxError `invalid_request` (400, `invalid_request_error`) with `param` naming
 *   the first bad field.
 */
export function validateChatRequest(body: unknown): ChatCompletionRequest {
  if (!isRecord(body)) {
    throw new SignalboxError('invalid_request', 'The request body must be a JSON object.');
  }
  const result = chatRequest.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue ? paramOf(issue.path) : null;
    const reason = issue?.message ?? 'invalid value';
    throw new SignalboxError('invalid_request', `Invalid request: ${param ?? 'body'}: ${reason}.`, {
      param,
    });
  }
  // The body's own keys (a handful) are fewer than the checks: look each one up.
  for (const name in body) {
    const check = parameterChecks.get(name);
    const value = body[name];
    if (check === undefined || value === undefined || value === null) continue;
    const problem = check(value);
    if (problem !== null) throw invalid(name, problem);
  }
  if (Array.isArray(body.tools)) checkTools(body.tools);
  const request = body as ChatCompletionRequest;
  if (request.model === undefined && request.models === undefined) {
    throw new SignalboxError(
      'invalid_request',
      'Invalid request: "model" is required (or "models").',
      { param: 'model' },
    );
  }
  return request;
}
