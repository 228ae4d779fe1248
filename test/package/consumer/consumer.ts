// A TypeScript consumer of the installed package, type-checked by tsc (nodenext, strict, no
// skipLibCheck, no @types of its own) and then run by Node (type stripping applies to this file,
// outside node_modules; the package itself is JavaScript).
import { createSignalbox, SignalboxError, type Signalbox, type StreamPart } from 'signalbox';
import { createEmulator, type Emulator } from 'signalbox/emulator';
import { createOpenRouterProvider, type ProviderAdapter } from 'signalbox/providers';
import { createApp, loadConfig, type SignalboxServer } from 'signalbox/server';

const signalbox: Signalbox = await createSignalbox({ storage: 'none' });
const parts: StreamPart[] = [];
for await (const part of signalbox.chatStream({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Stream, please.' }],
})) {
  parts.push(part);
}
try {
  await signalbox.requests();
} catch (error) {
  if (!(error instanceof SignalboxError)) throw error;
}
await signalbox.close();

// The declarations are real types, not `any`: a wrong call is an error tsc must report.
// @ts-expect-error: `model` is a string
await signalbox.chat({ model: 42, messages: [] }).catch(() => undefined);

const emulator: Emulator = createEmulator();
const adapter: ProviderAdapter = createOpenRouterProvider({ apiKey: 'sk-or-v1-typed-0000' });
/** Type-checked here; the command-line test starts the server. */
async function startServer(): Promise<SignalboxServer> {
  const server = await createApp(loadConfig({ PORT: '0' }));
  await server.listen();
  return server;
}
console.log(
  JSON.stringify({
    parts: parts.map((part) => part.type),
    adapter: adapter.id,
    emulator: typeof emulator.listen,
    server: typeof startServer,
  }),
);
