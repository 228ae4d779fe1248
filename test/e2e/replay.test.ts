/**
 * Replay: every recorded OpenRouter chat interaction (src/emulator/recordings, real traffic)
 * is sent through the gateway to the emulator. The client must receive the recorded content,
 * tool calls, finish reason and usage; the emulator must receive the client's body unchanged;
 * and the gateway's ledger must match the emulator's, request for request, cost for cost.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/contracts/errors.ts';
import { loadRecordedInteractions, type RecordedInteraction } from '../../src/emulator/index.ts';
import {
  emulatorLedger,
  gatewayLedger,
  startGateway,
  type TestGateway,
} from '../helpers/start-gateway.ts';
import { summariseSse } from '../helpers/sse.ts';

let gateway: TestGateway;
const interactions = loadRecordedInteractions();
const chatInteractions = interactions.filter((interaction) =>
  interaction.uri.endsWith('/chat/completions'),
);

beforeAll(async () => {
  // One attempt per request, so each recorded answer reaches the client as recorded.
  gateway = await startGateway({ SIGNALBOX_MAX_RETRIES: '0' });
});

afterAll(async () => {
  await gateway.close();
});

/** What the client should get for a recorded upstream status (see src/providers/shared/map-upstream-error.ts). */
const expectedStatus: Record<number, number> = {
  400: 400,
  401: 502,
  402: 502,
  403: 502,
  404: 404,
  408: 504,
  413: 413,
  422: 400,
  429: 429,
  500: 502,
  502: 502,
  503: 503,
  524: 504,
  529: 502,
};

function byRecording(name: string | null): RecordedInteraction | undefined {
  return interactions.find((interaction) => `${interaction.file}#${interaction.index}` === name);
}

interface JsonCompletion {
  choices: { message: { content: unknown; tool_calls?: unknown }; finish_reason: unknown }[];
  usage?: unknown;
  system_fingerprint?: unknown;
}

describe('replay of recorded OpenRouter traffic through the gateway', () => {
  it('has recordings to replay', () => {
    expect(chatInteractions.length).toBeGreaterThanOrEqual(40);
  });

  it.each(
    chatInteractions.map(
      (interaction) => [`${interaction.file}#${interaction.index}`, interaction] as const,
    ),
  )('%s', async (_name, interaction) => {
    const before = (await emulatorLedger(gateway.emulatorOrigin)).length;
    const response = await request(`${gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(interaction.requestBody),
    });
    const text = await response.body.text();
    const received = (await emulatorLedger(gateway.emulatorOrigin)).slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.requestBody).toEqual(interaction.requestBody);
    const answered = byRecording((received[0] as { recording?: string | null }).recording ?? null);
    expect(answered, 'the emulator answered from a recording').toBeDefined();
    if (answered === undefined) return;
    expect(answered.requestBody).toEqual(interaction.requestBody);

    if (answered.status !== 200) {
      expect(response.statusCode).toBe(expectedStatus[answered.status] ?? 502);
      const body = JSON.parse(text) as { error: { code: string; type: string } };
      expect(Object.keys(errorCodes)).toContain(body.error.code);
      return;
    }
    expect(response.statusCode).toBe(200);
    if (answered.stream) {
      const got = summariseSse(text);
      const want = summariseSse(answered.bodyText);
      expect({ ...got, comments: 0 }).toEqual({ ...want, comments: 0 });
      expect(got.done).toBe(true);
      return;
    }
    const got = JSON.parse(text) as JsonCompletion;
    const want = JSON.parse(answered.bodyText) as JsonCompletion;
    expect(
      got.choices.map((choice) => [
        choice.message.content,
        choice.message.tool_calls,
        choice.finish_reason,
      ]),
    ).toEqual(
      want.choices.map((choice) => [
        choice.message.content,
        choice.message.tool_calls,
        choice.finish_reason,
      ]),
    );
    expect(got.usage).toEqual(want.usage);
    expect(got).toHaveProperty('system_fingerprint');
  });

  it('leaves a ledger that matches the emulator, request for request, cost for cost', async () => {
    const ours = await gatewayLedger(gateway);
    const theirs = await emulatorLedger(gateway.emulatorOrigin);
    expect(ours).toHaveLength(theirs.length);
    for (const row of theirs.filter((entry) => entry.status === 200)) {
      const match = ours.find((entry) => entry.generation_id === row.generationId);
      expect(match, `ledger row for ${row.generationId ?? ''}`).toBeDefined();
      if (row.costNanoUsd !== null) {
        expect(match?.cost_nanousd).toBe(Number(row.costNanoUsd));
        expect(match?.cost_source).toBe('provider');
      } else {
        expect(match?.cost_source).not.toBe('provider');
      }
    }
    const failed = theirs.filter((entry) => entry.status !== 200).length;
    expect(
      ours.filter((entry) => entry.status !== 'success' || entry.http_status !== 200).length,
    ).toBeGreaterThanOrEqual(failed);
  });
});
