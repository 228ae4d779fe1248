import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { validateChatRequest } from './validate-chat-request.ts';

const base = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

function rejection(extra: Record<string, unknown>): SignalboxError {
  try {
    validateChatRequest({ ...base, ...extra });
  } catch (error) {
    if (error instanceof SignalboxError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(extra)}`);
}

describe('validateChatRequest: standard parameters', () => {
  it.each([
    [{ temperature: 'hot' }, 'temperature'],
    [{ temperature: 7 }, 'temperature'],
    [{ temperature: -0.1 }, 'temperature'],
    [{ top_p: 3 }, 'top_p'],
    [{ n: 0 }, 'n'],
    [{ n: 1.5 }, 'n'],
    [{ max_tokens: -1 }, 'max_tokens'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ max_tokens: 10.5 }, 'max_tokens'],
    [{ max_completion_tokens: '100' }, 'max_completion_tokens'],
    [{ presence_penalty: 2.5 }, 'presence_penalty'],
    [{ frequency_penalty: -3 }, 'frequency_penalty'],
    [{ logprobs: 'yes' }, 'logprobs'],
    [{ top_logprobs: 21 }, 'top_logprobs'],
    [{ seed: 1.2 }, 'seed'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [{ stop: 5 }, 'stop'],
    [{ stop: ['a', 1] }, 'stop'],
    [{ logit_bias: { '50256': 101 } }, 'logit_bias'],
    [{ logit_bias: [1, 2] }, 'logit_bias'],
    [{ tool_choice: 'sometimes' }, 'tool_choice'],
    [{ tool_choice: { type: 'function' } }, 'tool_choice'],
    [{ response_format: 'json' }, 'response_format'],
    [{ response_format: { type: 'json_schema' } }, 'response_format'],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: 3 } } },
      'response_format',
    ],
    [{ parallel_tool_calls: 'true' }, 'parallel_tool_calls'],
    [{ user: 42 }, 'user'],
    [{ metadata: 'x' }, 'metadata'],
    [{ modalities: 'text' }, 'modalities'],
    [{ tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name'],
    [
      { tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
      'tools[0].function.parameters',
    ],
  ])('rejects %j naming %s', (extra, param) => {
    const error = rejection(extra);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it('accepts valid values, null for defaults, and the range limits', () => {
    const body = {
      ...base,
      temperature: 2,
      top_p: 0,
      n: 1,
      max_tokens: 1,
      max_completion_tokens: null,
      presence_penalty: -2,
      frequency_penalty: 2,
      logprobs: true,
      top_logprobs: 20,
      seed: -42,
      stop: ['\n', 'END'],
      logit_bias: { '50256': -100 },
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'r', schema: {}, strict: true },
      },
      parallel_tool_calls: false,
      user: 'user-1',
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        { type: 'openrouter:web_search' },
      ],
    };
    expect(validateChatRequest(body)).toBe(body);
    for (const choice of ['none', 'auto', 'required', { type: 'openrouter:web_search' }])
      expect(() => validateChatRequest({ ...base, tool_choice: choice })).not.toThrow();
    for (const format of [
      { type: 'text' },
      { type: 'json_object' },
      { type: 'grammar', grammar: 'root ::= "a"' },
    ])
      expect(() => validateChatRequest({ ...base, response_format: format })).not.toThrow();
  });

  it('passes unknown and OpenRouter-only fields through untouched, without copying the body', () => {
    const body = {
      ...base,
      provider: { order: ['openai'] },
      reasoning: { effort: 'high' },
      top_k: 'anything',
      repetition_penalty: 99,
      plugins: [{ id: 'web' }],
      x_custom: { nested: [1, 2, 3] },
    };
    const before = JSON.stringify(body);
    const validated = validateChatRequest(body);
    expect(validated).toBe(body);
    expect(JSON.stringify(body)).toBe(before);
  });
});
