// A plain JavaScript consumer of the installed package: the in-process gateway in demo mode
// (no OpenRouter key, the built-in emulator answers), then the OpenRouter adapter on its own
// against the emulator from `signalbox/emulator`. Prints one JSON line for the test to read.
import { createSignalbox } from 'signalbox';
import { createEmulator } from 'signalbox/emulator';
import { createOpenRouterProvider } from 'signalbox/providers';

const signalbox = await createSignalbox();
const { completion, provider } = await signalbox.chat({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Hello!' }],
});
let streamed = '';
for await (const part of signalbox.chatStream({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Stream, please.' }],
})) {
  if (part.type === 'text-delta') streamed += part.text;
}
await signalbox.close();

const emulator = createEmulator();
const origin = await emulator.listen({ port: 0 });
const openrouter = createOpenRouterProvider({
  apiKey: 'sk-or-v1-package-test-key-0000',
  baseUrl: `${origin}/api/v1`,
});
const direct = await openrouter.chat({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Hi' }],
});
const upstreamRequests = emulator.ledger.length;
await emulator.close();

console.log(
  JSON.stringify({
    mode: signalbox.mode,
    provider,
    content: completion.choices[0]?.message.content,
    streamed,
    direct: direct.completion.choices[0]?.message.content,
    upstreamRequests,
  }),
);
