import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { banner } from './serve-command.ts';

function fakeApp(generatedMasterKey: string | null, masterKey?: string) {
  return {
    mode: 'demo' as const,
    emulatorOrigin: 'http://127.0.0.1:40000',
    config: loadConfig(masterKey === undefined ? {} : { SIGNALBOX_MASTER_KEY: masterKey }),
    database: { kind: 'pglite' as const },
    catalog: () => ({ size: 356 }),
    generatedMasterKey,
  } as unknown as Parameters<typeof banner>[0];
}

describe('the start-up banner', () => {
  it('shows the real command with the key generated at this start', () => {
    const key = `sb-${'A'.repeat(43)}`;
    const text = banner(fakeApp(key), 'http://127.0.0.1:8787');
    const tryLine = text.split('\n').find((line) => line.includes('Try:'));
    expect(tryLine).toContain(`-H "Authorization: Bearer ${key}"`);
    expect(tryLine).toContain('http://127.0.0.1:8787/v1/chat/completions');
  });

  it('shows a placeholder when the key was not generated now (never a configured key)', () => {
    const configured = 'sb-configured-master-key-0001';
    const text = banner(fakeApp(null, configured), 'http://127.0.0.1:8787');
    expect(text).toContain('Bearer <master key>');
    expect(text).not.toContain(configured);
  });
});
