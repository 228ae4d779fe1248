/** `signalbox emulator`: the offline OpenRouter emulator on its own (tests, benchmarks, demos). */
import { createEmulator } from '../emulator/index.ts';

export async function runEmulator(options: { port: number; host: string }): Promise<number> {
  const emulator = createEmulator();
  const origin = await emulator.listen({ port: options.port, host: options.host });
  process.stdout.write(
    `OpenRouter emulator on ${origin}/api/v1 (models, chat/completions, generation, key, credits)\n` +
      `Faults and ledger: ${origin}/__emulator/faults, ${origin}/__emulator/ledger\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      emulator.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
