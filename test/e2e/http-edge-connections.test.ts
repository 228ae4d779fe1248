/**
 * The HTTP edge below the routes: bodies that trickle or stall are cut with a 408 within
 * SIGNALBOX_CLIENT_TIMEOUT_MS; what the HTTP parser refuses is answered OpenAI-shaped with an
 * `x-request-id`; a client aborting mid-body is one info line; every request gets one access
 * line, a client error no stack; an incoming `x-request-id` is kept (and a reused one made unique).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SignalboxApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { captureLog, type CapturedLog } from '../helpers/log-capture.ts';

const KEY = 'sb-edge-connections-master-key-01';
const CLIENT_TIMEOUT_MS = 1_000;
let app: SignalboxApp;
let url: URL;
let log: CapturedLog;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-edge-'));
  log = captureLog();
  app = await createApp(
    loadConfig({
      PORT: '0',
      SIGNALBOX_DATA_DIR: dataDir,
      SIGNALBOX_MASTER_KEY: KEY,
      SIGNALBOX_CLIENT_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
    }),
    { logger: log.logger },
  );
  url = new URL(await app.listen());
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface RawExchange {
  /** What the server sent before closing. */
  response: string;
  /** ms from connecting to the server closing the connection. */
  closedAfterMs: number;
}

/**
 * Sends `head` on a raw connection, then (optionally) one byte every `trickleMs`, or closes
 * the connection after `abortAfterMs`; resolves when the connection is closed.
 */
function exchange(
  head: string,
  options: { trickleMs?: number; abortAfterMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(url.port), url.hostname);
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    socket.write(head);
    if (options.trickleMs !== undefined)
      timer = setInterval(() => socket.write(' '), options.trickleMs);
    if (options.abortAfterMs !== undefined) setTimeout(() => socket.end(), options.abortAfterMs);
  });
}

function parsed(raw: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as unknown };
}

function expectOpenAIError(raw: string, status: number, code: string): void {
  const response = parsed(raw);
  expect(response.status).toBe(status);
  expect(response.headers['x-request-id']).toMatch(/^req_[A-Za-z0-9]{24}$/);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.body).toEqual({
    error: {
      message: expect.any(String) as unknown,
      type: 'invalid_request_error',
      param: null,
      code,
    },
  });
}

const chatHead = (contentLength: number): string =>
  `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n{"model":`;

describe('client timeouts', () => {
  it('cuts 200 connections whose body trickles or stalls with a 408 within the client timeout', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        exchange(chatHead(100_000), index % 2 === 0 ? { trickleMs: 100 } : {}),
      ),
    );
    for (const result of results) {
      expectOpenAIError(result.response, 408, 'request_timeout');
      expect(parsed(result.response).headers.connection).toBe('close');
      // Node checks the timeout every quarter of it (at most every second).
      expect(result.closedAfterMs).toBeLessThan(CLIENT_TIMEOUT_MS * 2 + 1_000);
    }
  });

  it('cuts a connection whose headers never end', async () => {
    const result = await exchange(`GET /health/live HTTP/1.1\r\nHost: x\r\n`);
    expectOpenAIError(result.response, 408, 'request_timeout');
  });
});

describe('requests the HTTP parser refuses', () => {
  it.each([
    [
      'bad header bytes',
      `GET /health/live HTTP/1.1\r\nHost: x\r\nBad\u0001Name: y\r\n\r\n`,
      400,
      'malformed_http_request',
    ],
    [
      'oversize headers',
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'request_header_too_large',
    ],
    [
      'Content-Length with Transfer-Encoding',
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      400,
      'malformed_http_request',
    ],
    ['a malformed request line', 'NONSENSE\r\n\r\n', 400, 'malformed_http_request'],
  ])('answers %s OpenAI-shaped and closes', async (_name, head, status, code) => {
    const result = await exchange(head);
    expectOpenAIError(result.response, status, code);
    expect(parsed(result.response).headers.connection).toBe('close');
    const requestId = parsed(result.response).headers['x-request-id'];
    const line = log.lines().find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ level: 30, code, status });
  });
});

describe('logging', () => {
  it('logs a client aborting mid-body as info lines, never as an error', async () => {
    const before = log.lines().length;
    await exchange(chatHead(1_000), { abortAfterMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = log.lines().slice(before);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.level === 30)).toBe(true);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({
      method: 'POST',
      route: '/v1/chat/completions',
      status: 499,
    });
    expect(log.text()).not.toMatch(/"level":50/);
  });

  it('writes one access line per request on every route, and a client error without a stack', async () => {
    const paths = [
      '/health/live',
      '/health/ready',
      '/v1/models',
      '/v1/models/acme/none',
      '/v1/nowhere',
    ];
    const ids: string[] = [];
    for (const route of paths) {
      const response = await request(`${url.origin}${route}`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      await response.body.dump();
      ids.push(String(response.headers['x-request-id']));
    }
    const unauthorised = await request(`${url.origin}/v1/models`);
    await unauthorised.body.dump();
    ids.push(String(unauthorised.headers['x-request-id']));

    const expected = [
      ['/health/live', 200],
      ['/health/ready', 200],
      ['/v1/models', 200],
      ['/v1/models/*', 404],
      [null, 404],
      ['/v1/models', 401],
    ];
    ids.forEach((id, index) => {
      const lines = log.lines().filter((line) => line.requestId === id);
      expect(lines).toHaveLength(1);
      const [route, status] = expected[index] ?? [];
      expect(lines[0]).toMatchObject({ level: 30, msg: 'request', method: 'GET', route, status });
      expect(typeof lines[0]?.durationMs).toBe('number');
      expect(JSON.stringify(lines[0])).not.toMatch(/stack|Bearer|sb-edge/);
    });
    expect(log.lines().find((line) => line.requestId === ids[5])?.code).toBe('missing_api_key');
  });
});

describe('x-request-id', () => {
  async function chat(requestId?: string) {
    const response = await request(`${url.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
      },
      body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    return String(response.headers['x-request-id']);
  }

  it('keeps a sane incoming id as the request and ledger id; a reused one gets a suffix', async () => {
    expect(await chat('client-trace.42:a_b-c')).toBe('client-trace.42:a_b-c');
    const reused = await chat('client-trace.42:a_b-c');
    expect(reused).toMatch(/^client-trace\.42:a_b-c~[A-Za-z0-9]{6}$/);
    expect(await chat('not sane!')).toMatch(/^req_/);
    expect(await chat('x'.repeat(129))).toMatch(/^req_/);

    const response = await request(`${url.origin}/admin/requests?limit=10`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const ids = ((await response.body.json()) as { data: { id: string }[] }).data.map(
      (row) => row.id,
    );
    expect(ids).toContain('client-trace.42:a_b-c');
    expect(ids).toContain(reused);
  });
});
