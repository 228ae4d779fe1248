/**
 * Test support for contract.test.ts (not a recording): builds each adapter kind against a local
 * test server, reads the recordings of each provider folder's `__fixtures__/`, and frames the
 * recorded event JSON as each upstream frames it on the wire (Anthropic `event:`/`data:` + LF,
 * Gemini `data:` + CRLF without `[DONE]`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { StreamPart } from '../contracts/stream-part.ts';
import type { UpstreamTimeouts } from '../config/config.ts';
import {
  createAnthropicAdapter,
  createCustomProviderAdapter,
  createGeminiAdapter,
  createOpenAIAdapter,
} from './index.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import {
  delay,
  startTestServer,
  type TestHandler,
  type TestServer,
} from './shared/__fixtures__/upstream-test-server.ts';
import { createUpstreamDispatcher } from './shared/upstream-http.ts';

export type AdapterKind = 'openai' | 'anthropic' | 'gemini' | 'custom';

export const TIMEOUTS: UpstreamTimeouts = {
  connectMs: 1_000,
  firstByteMs: 2_000,
  idleMs: 2_000,
  totalMs: 10_000,
};
export const API_KEY = 'test-key-0123456789abcdef0123456789';

/** Reads a recording from `src/providers/<folder>/__fixtures__/`. */
export function fixture(folder: AdapterKind, name: string): string {
  const directory = folder === 'custom' ? 'openai' : folder;
  return readFileSync(new URL(`./${directory}/__fixtures__/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(folder: AdapterKind, name: string): unknown {
  return JSON.parse(fixture(folder, name)) as unknown;
}

export interface CassetteInteraction {
  request: { parsed_body?: Record<string, unknown>; uri: string };
  response: { status: { code: number }; parsed_body?: unknown; body?: { string: string } };
}

export function cassette(folder: AdapterKind, name: string): CassetteInteraction[] {
  return (parseYaml(fixture(folder, name)) as { interactions: CassetteInteraction[] }).interactions;
}

/** Builds one adapter kind against `origin`. */
export function createAdapter(
  kind: AdapterKind,
  origin: string,
  dispatcher: ReturnType<typeof createUpstreamDispatcher>,
): ProviderAdapter {
  const common = { apiKey: API_KEY, timeouts: TIMEOUTS, dispatcher };
  switch (kind) {
    case 'openai':
      return createOpenAIAdapter({ ...common, baseUrl: `${origin}/v1` });
    case 'anthropic':
      return createAnthropicAdapter({ ...common, baseUrl: `${origin}/v1` });
    case 'gemini':
      return createGeminiAdapter({ ...common, baseUrl: `${origin}/v1beta` });
    case 'custom':
      return createCustomProviderAdapter({
        ...common,
        id: 'groq',
        baseUrl: `${origin}/openai/v1`,
        headers: { 'x-extra': 'yes' },
      });
  }
}

/** Starts a server and an adapter; `cleanups` collects what afterEach must close. */
export async function setUp(
  kind: AdapterKind,
  handler: TestHandler,
  cleanups: (() => Promise<void>)[],
): Promise<{ server: TestServer; adapter: ProviderAdapter }> {
  const server = await startTestServer(handler);
  const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: TIMEOUTS.connectMs });
  cleanups.push(
    () => server.close(),
    () => dispatcher.close(),
  );
  return { server, adapter: createAdapter(kind, server.origin, dispatcher) };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): TestHandler {
  return (_request, response) => {
    response
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** Serves SSE blocks one at a time. */
export function sse(blocks: readonly string[]): TestHandler {
  return async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const block of blocks) {
      response.write(block);
      await delay(1);
    }
    response.end();
  };
}

/** Recorded SSE bytes split after each blank line (LF or CRLF framing). */
export function sseBlocksOf(text: string): string[] {
  return text.split(/(?<=\r\n\r\n|\n\n)/).filter((block) => block !== '');
}

/** A vercel `*.chunks.txt` (one Anthropic event JSON per line) framed as Anthropic sends it. */
export function anthropicFrames(chunksTxt: string): string[] {
  return chunksTxt
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const type = (JSON.parse(line) as { type: string }).type;
      return `event: ${type}\ndata: ${line}\n\n`;
    });
}

/** A vercel `*.chunks.txt` (one GenerateContentResponse per line) framed as Gemini sends it. */
export function geminiFrames(chunksTxt: string): string[] {
  return chunksTxt
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `data: ${line}\r\n\r\n`);
}

export async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const output: StreamPart[] = [];
  for await (const part of parts) output.push(part);
  return output;
}

export function textOf(
  parts: readonly StreamPart[],
  type: 'text-delta' | 'reasoning-delta',
): string {
  return parts
    .filter((part) => part.type === type)
    .map((part) => ('text' in part ? part.text : ''))
    .join('');
}

export async function failureOf(promise: Promise<unknown>): Promise<SignalboxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignalboxError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

export function receivedBody(server: TestServer, index = 0): Record<string, unknown> {
  const received = server.requests[index];
  if (received === undefined) throw new Error('no request received');
  return JSON.parse(received.body.toString('utf8')) as Record<string, unknown>;
}

export const HELLO: ChatCompletionRequest = {
  model: 'test-model',
  messages: [{ role: 'user', content: 'Hello' }],
};
