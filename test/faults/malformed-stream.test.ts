/**
 * A malformed upstream stream event, through a real gateway process (issue 7, defect 9): before
 * the commit point the request is retried (or answered with an OpenAI-shaped 502); after it, the
 * client's stream ends with one in-band error event and `[DONE]`. Whatever the upstream sends,
 * the process survives and the requests in flight beside it complete.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import {
  getJson,
  PROCESS_OPENROUTER_KEY,
  startGatewayProcess,
  type GatewayProcess,
} from '../helpers/gateway-process.ts';
import { summariseSse } from '../helpers/sse.ts';

const HEALTHY = 'openai/gpt-4o';
const BROKEN = 'openai/gpt-4o-mini';
const ANTHROPIC_KEY = 'sk-ant-malformed-test';
const GEMINI_KEY = 'gemini-malformed-test';
/** Models the direct providers serve (native names, as their dialects see them). */
const DIRECT = [
  { model: 'anthropic/claude-sonnet-4.5', native: 'claude-sonnet-4-5', provider: 'anthropic' },
  { model: 'google/gemini-2.5-flash', native: 'gemini-2.5-flash', provider: 'google' },
];

let emulator: Emulator;
let gateway: GatewayProcess;
let dataDir: string;

beforeAll(async () => {
  emulator = createEmulator({
    apiKeys: [PROCESS_OPENROUTER_KEY, ANTHROPIC_KEY, GEMINI_KEY],
    replay: false,
  });
  const emulatorOrigin = await emulator.listen();
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-malformed-'));
  gateway = await startGatewayProcess({
    dataDir,
    emulatorOrigin,
    env: {
      SIGNALBOX_MAX_RETRY_DELAY_MS: '2000',
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: emulatorOrigin,
      GEMINI_API_KEY: GEMINI_KEY,
      GEMINI_BASE_URL: emulatorOrigin,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    },
  });
}, 60_000);

afterAll(async () => {
  await gateway.stop();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function chat(model: string, stream: boolean) {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream,
      messages: [{ role: 'user', content: 'Tell me about signal boxes on railways.' }],
    }),
  });
  return {
    status: response.statusCode,
    requestId: response.headers['x-request-id'],
    text: await response.body.text(),
  };
}

interface LedgerRow {
  id: string;
  status: string;
  attempts: { status: string; provider: string }[];
}

async function ledgerRow(requestId: unknown): Promise<LedgerRow | undefined> {
  const { body } = await getJson(gateway, '/admin/requests?limit=200');
  return (body as { data: LedgerRow[] }).data.find((row) => row.id === requestId);
}

describe('a malformed upstream stream event', () => {
  it('before any content: retried invisibly; the ledger shows the failed attempt', async () => {
    emulator.addFault({ match: { model: BROKEN }, malformedChunkAfterChunks: 0, times: 1 });
    const result = await chat(BROKEN, true);
    expect(result.status).toBe(200);
    const summary = summariseSse(result.text);
    expect(summary.errors).toEqual([]);
    expect(summary.done).toBe(true);
    const row = await ledgerRow(result.requestId);
    expect(row?.status).toBe('success');
    expect(row?.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_invalid_response',
      'success',
    ]);
  });

  it('before any content, on every attempt: an OpenAI-shaped 502', async () => {
    emulator.addFault({ match: { model: BROKEN }, malformedChunkAfterChunks: 0, times: 0 });
    try {
      const result = await chat(BROKEN, true);
      expect(result.status).toBe(502);
      const attempt = {
        provider: 'openrouter',
        model: BROKEN,
        code: 'upstream_invalid_response',
        upstream_status: null,
      };
      expect(JSON.parse(result.text)).toEqual({
        error: {
          message:
            'All 3 upstream attempts failed; the last one: Upstream sent a stream event that is not JSON.',
          type: 'upstream_error',
          param: null,
          code: 'upstream_invalid_response',
          metadata: { attempts: [attempt, attempt, attempt] },
        },
      });
      expect((await ledgerRow(result.requestId))?.attempts).toHaveLength(3);
    } finally {
      emulator.clearFaults();
    }
  });

  it('after content: one in-band error event, then [DONE]', async () => {
    emulator.addFault({ match: { model: BROKEN }, malformedChunkAfterChunks: 2, times: 1 });
    const result = await chat(BROKEN, true);
    expect(result.status).toBe(200);
    const summary = summariseSse(result.text);
    expect(summary.content).toMatch(/\S/);
    expect(summary.errors).toEqual([
      {
        code: 'upstream_invalid_response',
        message: 'Upstream sent a stream event that is not JSON.',
      },
    ]);
    expect(summary.finishReason).toBe('error');
    expect(summary.done).toBe(true);
    expect((await ledgerRow(result.requestId))?.status).toBe('upstream_invalid_response');
  });

  it.each(DIRECT)(
    'from $provider (translated): falls back before content, ends in-band after it',
    async ({ model, native, provider }) => {
      emulator.addFault({ match: { model: native }, malformedChunkAfterChunks: 0, times: 1 });
      const early = await chat(model, true);
      expect(early.status).toBe(200);
      expect(summariseSse(early.text)).toMatchObject({ errors: [], done: true });
      expect(
        (await ledgerRow(early.requestId))?.attempts.map((attempt) => [
          attempt.provider,
          attempt.status,
        ]),
      ).toEqual([
        [provider, 'upstream_invalid_response'],
        ['openrouter', 'success'],
      ]);

      emulator.addFault({ match: { model: native }, malformedChunkAfterChunks: 3, times: 1 });
      const late = await chat(model, true);
      const summary = summariseSse(late.text);
      expect(summary.errors).toEqual([
        expect.objectContaining({ code: 'upstream_invalid_response' }),
      ]);
      expect(summary.done).toBe(true);
      expect((await ledgerRow(late.requestId))?.status).toBe('upstream_invalid_response');
    },
  );

  it('never takes the process down: the requests in flight beside it complete', async () => {
    emulator.addFault({ match: { model: HEALTHY }, delayBeforeFirstTokenMs: 400, times: 12 });
    const healthy = Array.from({ length: 12 }, (_, index) => chat(HEALTHY, index % 2 === 0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const broken: Promise<unknown>[] = [];
    for (let index = 0; index < 12; index += 1) {
      emulator.addFault({
        match: { model: BROKEN },
        malformedChunkAfterChunks: index % 3,
        times: 1,
      });
      broken.push(chat(BROKEN, true));
    }
    await Promise.all(broken);
    for (const result of await Promise.all(healthy)) {
      expect(result.status).toBe(200);
      if (result.text.startsWith('data:')) {
        const summary = summariseSse(result.text);
        expect(summary.errors).toEqual([]);
        expect(summary.done).toBe(true);
      } else {
        expect(JSON.parse(result.text)).toMatchObject({ object: 'chat.completion' });
      }
    }
    expect(gateway.child.exitCode).toBeNull();
    expect((await getJson(gateway, '/health/live')).status).toBe(200);
    expect(gateway.output()).not.toMatch(/Unhandled|uncaught/i);
  });
});
