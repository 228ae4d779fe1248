import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function file(name: string, content: string): string {
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'signalbox-config-')), name);
  writeFileSync(target, content);
  return target;
}

describe('loadConfig', () => {
  it('has working defaults and no providers besides OpenRouter', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.host).toBe('127.0.0.1');
    expect(config.openrouter.apiKey).toBeNull();
    expect(config.providers).toEqual([]);
    expect(Object.isFrozen(config.timeouts)).toBe(true);
  });

  it('refuses a malformed OpenRouter key without echoing it', () => {
    const attempt = () => loadConfig({ OPENROUTER_API_KEY: 'sk-or-v1 "secret value"' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/OPENROUTER_API_KEY/);
    expect(attempt).not.toThrow(/secret value/);
  });

  it('reads the alerts settings: every 30 s, 5 webhook attempts from 1 s, 0 = no timer', () => {
    expect(loadConfig({}).alerts).toEqual({
      intervalMs: 30_000,
      webhookAttempts: 5,
      webhookBackoffMs: 1_000,
      webhookTimeoutMs: 10_000,
    });
    const config = loadConfig({
      SIGNALBOX_ALERTS_INTERVAL_MS: '0',
      SIGNALBOX_ALERTS_WEBHOOK_ATTEMPTS: '2',
      SIGNALBOX_ALERTS_WEBHOOK_BACKOFF_MS: '50',
      SIGNALBOX_ALERTS_WEBHOOK_TIMEOUT_MS: '500',
    });
    expect(config.alerts).toEqual({
      intervalMs: 0,
      webhookAttempts: 2,
      webhookBackoffMs: 50,
      webhookTimeoutMs: 500,
    });
    expect(() => loadConfig({ SIGNALBOX_ALERTS_WEBHOOK_ATTEMPTS: '0' })).toThrow(
      /SIGNALBOX_ALERTS_WEBHOOK_ATTEMPTS/,
    );
  });

  it('reads the shutdown timeout, 25 s by default, 0 allowed', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(25_000);
    expect(loadConfig({ SIGNALBOX_SHUTDOWN_TIMEOUT_MS: '0' }).shutdownTimeoutMs).toBe(0);
    expect(() => loadConfig({ SIGNALBOX_SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(
      /SIGNALBOX_SHUTDOWN_TIMEOUT_MS/,
    );
  });

  it('names the variable of a bad number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
  });

  it('builds direct providers from their environment variables', () => {
    const config = loadConfig({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      GEMINI_API_KEY: 'g-key',
      GEMINI_BASE_URL: 'http://127.0.0.1:9/',
    });
    expect(
      config.providers.map((provider) => [provider.id, provider.kind, provider.baseUrl]),
    ).toEqual([
      ['anthropic', 'anthropic', 'https://api.anthropic.com'],
      ['google', 'gemini', 'http://127.0.0.1:9'],
    ]);
  });

  it('reads providers from a YAML file with env: references and merges them over the environment', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-env-openai',
      LOCAL_KEY: 'local-secret',
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: 'localhost',
      SIGNALBOX_CONFIG: file(
        'signalbox.config.yaml',
        [
          'providers:',
          '  - id: openai',
          '    models: { "openai/gpt-4o": "gpt-4o-2024-08-06" }',
          '  - id: local-vllm',
          '    type: openai-compatible',
          '    baseUrl: http://127.0.0.1:8000/v1/',
          '    apiKey: env:LOCAL_KEY',
          '    models: { "meta-llama/llama-3.1-8b-instruct": "llama-3.1-8b" }',
          'allowedPrivateHosts: [127.0.0.1]',
        ].join('\n'),
      ),
    });
    expect(config.providers).toEqual([
      expect.objectContaining({
        id: 'openai',
        apiKey: 'sk-env-openai',
        models: { 'openai/gpt-4o': 'gpt-4o-2024-08-06' },
        serveCatalogue: true,
      }),
      expect.objectContaining({
        id: 'local-vllm',
        kind: 'openai-compatible',
        apiKey: 'local-secret',
        baseUrl: 'http://127.0.0.1:8000/v1',
        serveCatalogue: false,
      }),
    ]);
    expect(config.allowedPrivateHosts).toEqual(['localhost', '127.0.0.1']);
  });

  it('names the offending key of a bad file', () => {
    const json = file(
      'signalbox.config.json',
      JSON.stringify({
        providers: [{ id: 'x', type: 'openai-compatible', baseUrl: 'ftp://nope' }],
      }),
    );
    expect(() => loadConfig({ SIGNALBOX_CONFIG: json })).toThrow(
      /providers\[0\]\.baseUrl: must be an http\(s\) URL/,
    );
    const unknown = file(
      'c.yaml',
      'providers:\n  - id: x\n    type: openai-compatible\n    baseUrl: http://a.example\n    colour: blue\n',
    );
    expect(() => loadConfig({ SIGNALBOX_CONFIG: unknown })).toThrow(/providers\[0\]/);
    const missing = file(
      'c.yaml',
      'providers:\n  - id: anthropic\n    apiKey: env:NOT_SET_ANYWHERE\n',
    );
    expect(() => loadConfig({ SIGNALBOX_CONFIG: missing })).toThrow(
      /providers\[0\]\.apiKey refers to env:NOT_SET_ANYWHERE/,
    );
  });
});

describe('loadConfig: catalogue sync timing', () => {
  it('defaults to a 24 h maximum age and a 6 h schedule, in ms; 0 turns either off', () => {
    const defaults = loadConfig({});
    expect(defaults.catalogMaxAgeMs).toBe(24 * 3_600_000);
    expect(defaults.catalogSyncIntervalMs).toBe(6 * 3_600_000);
    const off = loadConfig({
      SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
      SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS: '0',
    });
    expect([off.catalogMaxAgeMs, off.catalogSyncIntervalMs]).toEqual([0, 0]);
    expect(() => loadConfig({ SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS: '1.5' })).toThrow(
      /SIGNALBOX_CATALOG_SYNC_INTERVAL_HOURS/,
    );
  });
});
