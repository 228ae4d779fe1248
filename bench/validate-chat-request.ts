/**
 * `node bench/validate-chat-request.ts`: the chat request validation alone (it runs on every
 * request), in µs per call, for a minimal body and a 20-message body with tools and the usual
 * parameters. Prints one line per body.
 */
import { validateChatRequest } from '../src/gateway/validate-chat-request.ts';

const bodies: Record<string, unknown> = {
  minimal: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hello' }] },
  typical: {
    model: 'openai/gpt-4o',
    messages: Array.from({ length: 20 }, (_, index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: 'hello there '.repeat(20),
    })),
    temperature: 0.7,
    top_p: 0.9,
    max_tokens: 256,
    stream: true,
    stream_options: { include_usage: true },
    stop: ['\n\n'],
    seed: 42,
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ],
    tool_choice: 'auto',
    response_format: { type: 'json_object' },
    provider: { order: ['openai'] },
  },
};

const CALLS = 200_000;
for (const [name, body] of Object.entries(bodies)) {
  for (let index = 0; index < 20_000; index += 1) validateChatRequest(body);
  const started = process.hrtime.bigint();
  for (let index = 0; index < CALLS; index += 1) validateChatRequest(body);
  const microseconds = Number(process.hrtime.bigint() - started) / 1_000 / CALLS;
  process.stdout.write(
    `${name} (${JSON.stringify(body).length} bytes): ${microseconds.toFixed(2)} µs/request\n`,
  );
}
