/**
 * The official `@openrouter/sdk` client validates responses against OpenRouter's own schema
 * (e.g. `ChatResult.system_fingerprint` is required). Pointed at the gateway's /api/v1, it must
 * accept our JSON answers, streams and model list as it accepts OpenRouter's.
 */
import { OpenRouter } from '@openrouter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;
let client: OpenRouter;

beforeAll(async () => {
  gateway = await startGateway();
  client = new OpenRouter({ apiKey: gateway.key, serverURL: `${gateway.url}/api/v1` });
});

afterAll(async () => {
  await gateway.close();
});

describe('the gateway through the official @openrouter/sdk client', () => {
  it('accepts a JSON answer, including a recorded one that lacks system_fingerprint', async () => {
    const result = await client.chat.send({
      chatRequest: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello there' }] },
    });
    if (!('choices' in result)) throw new Error('expected a ChatResult');
    expect(result.choices[0]?.message.content).toMatch(/\S/);
    expect(result.usage?.cost).toBeGreaterThan(0);

    // Replayed verbatim from a 2025 recording whose body has no system_fingerprint.
    const recorded = await client.chat.send({
      chatRequest: {
        model: 'mistralai/mistral-small',
        stream: false,
        messages: [{ role: 'user', content: 'What is 123 / 456?' }],
        toolChoice: 'auto',
        tools: [
          {
            type: 'function',
            function: {
              name: 'divide',
              description: 'Divide two numbers.',
              parameters: {
                additionalProperties: false,
                description: 'Divide two numbers.',
                properties: {
                  denominator: { type: 'number' },
                  numerator: { type: 'number' },
                  on_inf: { default: 'infinity', enum: ['error', 'infinity'], type: 'string' },
                },
                required: ['numerator', 'denominator'],
                type: 'object',
              },
            },
          },
        ],
      },
    });
    if (!('choices' in recorded)) throw new Error('expected a ChatResult');
    expect(recorded.systemFingerprint).toBeNull();
    expect(recorded.choices[0]?.finishReason).toBe('tool_calls');
  });

  it('accepts a stream', async () => {
    const stream = await client.chat.send({
      chatRequest: {
        model: 'openai/gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: 'Count to five.' }],
      },
    });
    if ('choices' in stream) throw new Error('expected a stream');
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toMatch(/\S/);
    expect(sawUsage).toBe(true);
  });
});
