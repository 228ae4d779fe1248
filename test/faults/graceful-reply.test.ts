/**
 * The opt-in graceful reply through the whole gateway (SIGNALBOX_FALLBACK_REPLY): when every
 * candidate fails, the official OpenAI client gets an ordinary assistant message (JSON or
 * stream) marked `x-signalbox-fallback-reply: true`, and the ledger says `fallback_reply`;
 * a client error still gets its error.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEmulatorFault,
  gatewayLedger,
  startGateway,
  type TestGateway,
} from '../helpers/start-gateway.ts';

const REPLY = 'We are having trouble reaching the model. Please try again in a minute.';
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startGateway({ SIGNALBOX_FALLBACK_REPLY: REPLY });
  client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
});

async function ledgerStatus(requestId: string | null): Promise<string | undefined> {
  return (await gatewayLedger(gateway)).find((row) => row.id === requestId)?.status;
}

describe('graceful reply', () => {
  it('answers JSON with the operator text when every attempt failed', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o' },
      status: 502,
      times: 3,
    });
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello?' }] })
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-signalbox-fallback-reply')).toBe('true');
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(await ledgerStatus(response.headers.get('x-request-id'))).toBe('fallback_reply');
  });

  it('streams the operator text when every attempt failed', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      status: 503,
      times: 3,
    });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'openai/gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: 'Hello?' }],
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(REPLY);
    expect(response.headers.get('x-signalbox-fallback-reply')).toBe('true');
    expect(await ledgerStatus(response.headers.get('x-request-id'))).toBe('fallback_reply');
  });

  it('stands in when the request deadline passed', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o' },
      delayBeforeHeadersMs: 5_000,
    });
    const started = Date.now();
    const { data, response } = await client.chat.completions
      .create(
        { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello?' }] },
        { headers: { 'x-signalbox-timeout-ms': '300' } },
      )
      .withResponse();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(await ledgerStatus(response.headers.get('x-request-id'))).toBe('fallback_reply');
  });

  it('never stands in for the client’s own error', async () => {
    await expect(
      client.chat.completions.create({ model: 'openai/gpt-4o', messages: [] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
    await expect(
      client.chat.completions.create(
        { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-signalbox-timeout-ms': 'soon' } },
      ),
    ).rejects.toMatchObject({ status: 400, param: 'x-signalbox-timeout-ms' });
  });
});
