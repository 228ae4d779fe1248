/**
 * Test support (used only by the emulator's *.test.ts): a listening emulator plus small undici
 * helpers to call it and split SSE answers.
 */
import { readFileSync } from 'node:fs';
import { request, type Dispatcher } from 'undici';
import { createEmulator } from './create-emulator.ts';
import type { Emulator, EmulatorOptions } from './emulator-types.ts';

export const TEST_API_KEY = 'sk-or-v1-emulator-test-0123456789';

export interface TestEmulator {
  emulator: Emulator;
  origin: string;
  /** POSTs `body` (an object is JSON-serialised) to /api/v1/chat/completions with the test key. */
  chat(body: unknown, options?: Partial<Dispatcher.RequestOptions>): Promise<TestResponse>;
  /** GET (or other method) `path` with the test key unless `headers` overrides it. */
  call(path: string, options?: Partial<Dispatcher.RequestOptions>): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Starts an emulator on an ephemeral loopback port. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = createEmulator(options);
  const origin = await emulator.listen();
  const call = async (
    path: string,
    extra: Partial<Dispatcher.RequestOptions> = {},
  ): Promise<TestResponse> => {
    const response = await request(`${origin}${path}`, {
      method: 'GET',
      ...extra,
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        ...(extra.headers as Record<string, string> | undefined),
      },
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      text: await response.body.text(),
    };
  };
  return {
    emulator,
    origin,
    call,
    chat: (body, extra = {}) =>
      call('/api/v1/chat/completions', {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...extra,
        headers: {
          'content-type': 'application/json',
          ...(extra.headers as Record<string, string> | undefined),
        },
      }),
  };
}

/** SSE text split into events (each without its blank line). */
export function sseEvents(text: string): string[] {
  return text.split('\n\n').filter((event) => event !== '');
}

/** The parsed JSON of every `data: {…}` event. */
export function sseChunks(text: string): Record<string, unknown>[] {
  return sseEvents(text)
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice(6)) as Record<string, unknown>);
}

/** A fixture of `__fixtures__/` as UTF-8 text. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}
