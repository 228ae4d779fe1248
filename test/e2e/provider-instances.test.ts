/**
 * Providers are instances: two accounts of one kind both serve their models (and fall back to
 * each other, then to OpenRouter); library constructors validate their key and base URL at
 * construction and read base URLs as the server does; a credential source is read per call, so
 * a key can change without a restart; an OpenRouter app's own attribution reaches OpenRouter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  createAnthropicAdapter,
  createGeminiAdapter,
  createOpenAIAdapter,
  createOpenRouterProvider,
} from '../../src/providers/index.ts';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let emulator: Emulator;
let origin: string;
let gateway: TestGateway;
const timeouts = loadConfig({}).timeouts;

beforeAll(async () => {
  emulator = createEmulator();
  origin = await emulator.listen({ port: 0 });
  const configFile = path.join(
    mkdtempSync(path.join(tmpdir(), 'signalbox-instances-')),
    'signalbox.config.yaml',
  );
  writeFileSync(
    configFile,
    [
      'providers:',
      '  - id: anthropic-eu',
      '    type: anthropic',
      `    baseUrl: ${origin}`,
      '    apiKey: sk-ant-eu-account',
      '    catalogue: true',
    ].join('\n'),
  );
  gateway = await startGateway(
    {
      OPENROUTER_API_KEY: 'sk-or-v1-instances-test-000000000',
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-main-account',
      ANTHROPIC_BASE_URL: origin,
      SIGNALBOX_CONFIG: configFile,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      SIGNALBOX_MAX_RETRY_DELAY_MS: '0',
    },
    { emulatorOrigin: origin },
  );
});

afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

async function chat(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${gateway.key}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello there.' }], ...body }),
  });
  return {
    status: response.statusCode,
    provider: response.headers['x-signalbox-provider'],
    requestId: response.headers['x-request-id'],
    text: await response.body.text(),
  };
}

describe('two accounts of one kind', () => {
  it('both serve their models, each chosen by its own id', async () => {
    const model = 'anthropic/claude-sonnet-4.5';
    const main = await chat({ model, provider: { only: ['anthropic'] } });
    const eu = await chat({ model, provider: { only: ['anthropic-eu'] } });
    expect([main.status, main.provider]).toEqual([200, 'anthropic']);
    expect([eu.status, eu.provider]).toEqual([200, 'anthropic-eu']);
  });

  it('falls back from one account to the other, then to OpenRouter', async () => {
    const model = 'anthropic/claude-sonnet-4.5';
    emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 503, times: 2 });
    const result = await chat({ model });
    expect([result.status, result.provider]).toEqual([200, 'openrouter']);
    const row = (await gatewayLedger(gateway)).find((entry) => entry.id === result.requestId);
    expect(
      row?.attempts.map((attempt) => [(attempt as { provider?: string }).provider, attempt.status]),
    ).toEqual([
      ['anthropic', 'upstream_unavailable'],
      ['anthropic-eu', 'upstream_unavailable'],
      ['openrouter', 'success'],
    ]);
  });
});

describe('OpenRouter app attribution', () => {
  it("forwards the client's own HTTP-Referer and title, else Signalbox's defaults", async () => {
    const before = emulator.ledger.length;
    await chat(
      { model: 'openai/gpt-4o' },
      { 'http-referer': 'https://my-app.example', 'x-title': 'My App' },
    );
    await chat({ model: 'openai/gpt-4o' }, { 'x-openrouter-title': 'Other App' });
    await chat({ model: 'openai/gpt-4o' });
    const seen = emulator.ledger.slice(before).map((entry) => entry.attribution);
    expect(seen).toEqual([
      { referer: 'https://my-app.example', title: 'My App' },
      { referer: 'https://github.com/signalbox-gateway/signalbox', title: 'Other App' },
      { referer: 'https://github.com/signalbox-gateway/signalbox', title: 'Signalbox' },
    ]);
  });
});

describe('library constructors', () => {
  it('refuse an empty key or a base URL that is not http(s), before any call', () => {
    expect(() => createOpenRouterProvider({ apiKey: '' })).toThrow(ConfigError);
    expect(() => createOpenRouterProvider({ apiKey: 'sk-or-v1-x', baseUrl: 'ftp://x' })).toThrow(
      /base URL must be an http\(s\) URL/,
    );
    expect(() => createAnthropicAdapter({ apiKey: '  ', timeouts })).toThrow(
      /an API key is required/,
    );
    expect(() => createGeminiAdapter({ apiKey: 'k', baseUrl: 'not a url', timeouts })).toThrow(
      ConfigError,
    );
  });

  it('read base URLs as the server does (with or without the API version)', async () => {
    for (const baseUrl of [origin, `${origin}/v1`]) {
      const anthropic = createAnthropicAdapter({ apiKey: 'sk-ant-lib', baseUrl, timeouts });
      const { completion } = await anthropic.chat({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(completion.choices[0]?.message.content).toMatch(/\S/);
    }
    for (const baseUrl of [origin, `${origin}/v1beta`]) {
      const gemini = createGeminiAdapter({ apiKey: 'g-lib', baseUrl, timeouts });
      const { completion } = await gemini.chat({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(completion.choices[0]?.message.content).toMatch(/\S/);
    }
  });

  it('read a credential source on every call, so a key can change without a restart', async () => {
    const keyed = createEmulator({ apiKeys: ['sk-new-key'] });
    const keyedOrigin = await keyed.listen({ port: 0 });
    try {
      let current = 'sk-old-key';
      const openai = createOpenAIAdapter({
        apiKey: () => current,
        baseUrl: `${keyedOrigin}/api/v1`,
        timeouts,
      });
      const ask = () =>
        openai.chat({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
      await expect(ask()).rejects.toMatchObject({ code: 'upstream_auth_failed' });
      current = 'sk-new-key';
      await expect(ask()).resolves.toMatchObject({ completion: { object: 'chat.completion' } });
    } finally {
      await keyed.close();
    }
  });
});
