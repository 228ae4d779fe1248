/**
 * Attempts that end without a usage chunk (issue 7, defect 11), through the whole gateway
 * against an emulator that bills them as OpenRouter does — for what they generated — and whose
 * `/generation` records appear late (404 first): the cost reconciler ends with the emulator's
 * exact figure for each, source `reconciled`; the request's total follows. A direct provider
 * without a generation lookup keeps its unknown cost (NULL, never 0).
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  gatewayLedger,
  startGateway,
  type AdminRequestRow,
  type TestGateway,
} from '../helpers/start-gateway.ts';

const OPENROUTER_KEY = 'sk-or-v1-reconciliation-test-0123456789';
const OPENAI_KEY = 'sk-test-openai-reconciliation';
/** Served by OpenRouter (no direct Anthropic provider here). */
const VIA_OPENROUTER = 'anthropic/claude-sonnet-4.5';
/** Served by the direct OpenAI provider, which has no generation lookup. */
const VIA_OPENAI = 'openai/gpt-4o';

let emulator: Emulator;
let gateway: TestGateway;

beforeAll(async () => {
  emulator = createEmulator({
    apiKeys: [OPENROUTER_KEY, OPENAI_KEY],
    replay: false,
    // Later than the reconciler's first lookup (2 s): the first answer is a 404.
    generationLookupDelayMs: 2_500,
  });
  const origin = await emulator.listen();
  gateway = await startGateway(
    {
      OPENROUTER_API_KEY: OPENROUTER_KEY,
      OPENROUTER_BASE_URL: `${origin}/api/v1`,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${origin}/v1`,
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      SIGNALBOX_IDLE_TIMEOUT_MS: '700',
      SIGNALBOX_CATALOG_MAX_AGE_HOURS: '0',
    },
    { emulatorOrigin: origin },
  );
});

afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

async function chat(model: string, signal?: AbortSignal) {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Tell me a long story about signal boxes.' }],
    }),
    ...(signal === undefined ? {} : { signal }),
  });
  return { requestId: String(response.headers['x-request-id']), body: response.body };
}

/** A stream read to its end. */
async function streamed(model: string): Promise<string> {
  const { requestId, body } = await chat(model);
  await body.text();
  return requestId;
}

/** A stream whose client leaves after the first chunk. */
async function abandoned(model: string): Promise<string> {
  const controller = new AbortController();
  const { requestId, body } = await chat(model, controller.signal);
  for await (const _chunk of body) {
    controller.abort();
    break;
  }
  return requestId;
}

function billed(generationId: string | null): bigint | null {
  const entry = emulator.ledger.find((item) => item.generationId === generationId);
  return entry?.billedCostNanoUsd === null || entry === undefined
    ? null
    : BigInt(entry.billedCostNanoUsd);
}

async function settledRows(ids: readonly string[], done: (row: AdminRequestRow) => boolean) {
  for (let tries = 0; ; tries += 1) {
    const rows = (await gatewayLedger(gateway)).filter((row) => ids.includes(row.id));
    if ((rows.length === ids.length && rows.every(done)) || tries >= 200) return rows;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('costs of attempts that ended without a usage chunk', () => {
  it('are reconciled to exactly what the upstream billed', async () => {
    const fault = (extra: Record<string, unknown>) => {
      emulator.addFault({ match: { model: VIA_OPENROUTER, stream: true }, times: 1, ...extra });
    };
    fault({ resetAfterChunks: 2 });
    const reset = await streamed(VIA_OPENROUTER);
    fault({ stallAfterChunks: 2 });
    const stalled = await streamed(VIA_OPENROUTER);
    fault({ errorChunkAfterChunks: 0 });
    const retried = await streamed(VIA_OPENROUTER);
    fault({ stallAfterChunks: 1 });
    const disconnected = await abandoned(VIA_OPENROUTER);
    fault({ errorChunkAfterChunks: 2 });
    const inBand = await streamed(VIA_OPENROUTER);

    const ids = [reset, stalled, retried, disconnected, inBand];
    const rows = await settledRows(ids, (row) =>
      row.attempts.every((attempt) => attempt.cost_nanousd !== null),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(reset)?.status).toBe('stream_interrupted');
    expect(byId.get(stalled)?.status).toBe('upstream_timeout');
    expect(byId.get(retried)?.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_error',
      'success',
    ]);
    expect(byId.get(disconnected)?.status).toBe('client_closed_request');

    for (const id of ids) {
      const row = byId.get(id);
      let total = 0n;
      for (const attempt of row?.attempts ?? []) {
        expect(attempt.generation_id).not.toBeNull();
        // Exactly the emulator's charge for that generation.
        expect(BigInt(attempt.cost_nanousd ?? -1)).toBe(billed(attempt.generation_id));
        total += BigInt(attempt.cost_nanousd ?? 0);
      }
      expect(BigInt(row?.cost_nanousd ?? -1)).toBe(total);
    }
    // Cut short before any usage: reconciled. The in-band error carried its usage: reported.
    for (const id of [reset, stalled, disconnected]) {
      expect(byId.get(id)?.attempts.map((attempt) => attempt.cost_source)).toEqual(['reconciled']);
      expect(byId.get(id)?.cost_source).toBe('reconciled');
    }
    expect(byId.get(retried)?.attempts.map((attempt) => attempt.cost_source)).toEqual([
      'reconciled',
      'provider',
    ]);
    expect(byId.get(retried)?.cost_source).toBe('reconciled');
    expect(byId.get(inBand)?.cost_source).toBe('provider');
  }, 60_000);

  it('stay unknown (NULL) for a provider without a generation lookup', async () => {
    emulator.addFault({ match: { model: 'gpt-4o', stream: true }, resetAfterChunks: 2, times: 1 });
    const reset = await streamed(VIA_OPENAI);
    // Longer than the reconciler's first lookup and its retry would take.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const [row] = await settledRows([reset], () => true);
    expect(row?.provider).toBe('openai');
    expect(row?.status).toBe('stream_interrupted');
    expect(row?.attempts.map((attempt) => [attempt.cost_nanousd, attempt.cost_source])).toEqual([
      [null, null],
    ]);
    expect(row?.cost_nanousd).toBeNull();
  }, 30_000);
});
