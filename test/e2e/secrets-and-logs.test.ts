/**
 * Nothing secret in a log or an error: with logging at `trace`, the master key, the OpenRouter
 * key, provider keys and prompt text never appear in the log output, whatever happens; and a
 * provider URL pointing at a private address is refused at start-up unless allowlisted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { redactedLogPaths } from '../../src/security/redact.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';

const MASTER_KEY = 'sb-log-test-master-key-SECRET-0001';
const OPENROUTER_KEY = 'sk-or-v1-log-test-SECRET-openrouter-0001';
const ANTHROPIC_KEY = 'sk-ant-log-test-SECRET-0001';
const PROMPT = 'my private prompt text 31415926';

let emulator: Emulator;
let app: SignalboxApp;
let url: string;
let dataDir: string;
const lines: string[] = [];

beforeAll(async () => {
  emulator = createEmulator();
  const origin = await emulator.listen({ port: 0 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-logs-'));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = pino(
    { level: 'trace', redact: { paths: [...redactedLogPaths], censor: '[redacted]' } },
    sink,
  );
  app = await createApp(
    loadConfig({
      PORT: '0',
      SIGNALBOX_DATA_DIR: dataDir,
      SIGNALBOX_MASTER_KEY: MASTER_KEY,
      OPENROUTER_API_KEY: OPENROUTER_KEY,
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: origin,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      SIGNALBOX_MAX_RETRY_DELAY_MS: '0',
    }),
    { logger },
  );
  url = await app.listen();
});

afterAll(async () => {
  await app.close();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * The log as text, with every serialised Buffer (`{"type":"Buffer","data":[…]}`, how pino writes
 * one) decoded, so raw bytes cannot hide a secret from the check.
 */
function logWithBuffersDecoded(): string {
  return lines
    .join('')
    .replace(/\{"type":"Buffer","data":\[([\d,]*)\]\}/g, (_match, bytes: string) =>
      Buffer.from(bytes === '' ? [] : bytes.split(',').map(Number)).toString('latin1'),
    );
}

/** Sends raw bytes on a new connection and resolves with the answer once the server closes. */
function rawRequest(bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      resolve(answer);
    });
    socket.write(bytes);
  });
}

async function chat(model: string, key: string) {
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }] }),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

describe('secrets and logs', () => {
  it('keeps keys and prompts out of logs and error bodies', async () => {
    expect((await chat('openai/gpt-4o', MASTER_KEY)).status).toBe(200);
    expect((await chat('anthropic/claude-sonnet-4.5', MASTER_KEY)).status).toBe(200);
    const wrong = await chat('openai/gpt-4o', `${MASTER_KEY}-wrong`);
    expect(wrong.status).toBe(401);
    await request(`${url}/v1/models`, { headers: { authorization: `Bearer ${MASTER_KEY}` } }).then(
      (r) => r.body.dump(),
    );
    // Upstream failures: OpenRouter refuses our key, Anthropic is overloaded (then fallback).
    emulator.addFault({ match: { model: 'openai/gpt-4o' }, status: 401, times: 1 });
    const refused = await chat('openai/gpt-4o', MASTER_KEY);
    expect(refused.status).toBe(502);
    emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 529, times: 1 });
    expect((await chat('anthropic/claude-sonnet-4.5', MASTER_KEY)).status).toBe(200);

    const log = lines.join('');
    expect(log).toContain('chat request');
    for (const secret of [MASTER_KEY, OPENROUTER_KEY, ANTHROPIC_KEY, 'SECRET', PROMPT]) {
      expect(log).not.toContain(secret);
      expect(wrong.text + refused.text).not.toContain(secret);
    }
    expect(refused.text).not.toMatch(/127\.0\.0\.1|\/api\/v1/);
  });

  it('keeps the key out of the log when the HTTP parser refuses a request (trace level)', async () => {
    const auth = `Authorization: Bearer ${MASTER_KEY}\r\n`;
    const refused = [
      `GET /v1/models HTTP/1.1\r\nHost: x\r\n${auth}Bad\u0001Header: y\r\n\r\n`,
      `GET /v1/models HTTP/1.1\r\nHost: x\r\n${auth}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `GARBAGE ${MASTER_KEY}\r\n${auth}\r\n`,
    ];
    for (const bytes of refused) expect(await rawRequest(bytes)).toMatch(/^HTTP\/1\.1 4\d\d/);
    const log = logWithBuffersDecoded();
    expect(log).not.toContain(MASTER_KEY);
    expect(log).not.toContain('SECRET');
    expect(log).toContain('malformed_http_request');
  });

  it('refuses a provider base URL on a private address unless allowlisted', async () => {
    const config = loadConfig({
      PORT: '0',
      SIGNALBOX_DATA_DIR: path.join(dataDir, 'refused'),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://169.254.169.254/v1',
    });
    await expect(createApp(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      ConfigError,
    );
    await expect(createApp(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      /openai.*refused/,
    );
  });
});
