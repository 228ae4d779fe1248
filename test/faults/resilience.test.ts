/**
 * Resilience through the whole gateway, with faults injected in the emulator: retries before
 * the first byte, the time-to-first-token deadline, and — after the commit point — streams that
 * end with an in-band error instead of being truncated silently. Every path keeps the ledger right.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEmulatorFault,
  gatewayLedger,
  startGateway,
  type TestGateway,
} from '../helpers/start-gateway.ts';
import { summariseSse } from '../helpers/sse.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway({
    SIGNALBOX_FIRST_BYTE_TIMEOUT_MS: '700',
    SIGNALBOX_IDLE_TIMEOUT_MS: '700',
    SIGNALBOX_MAX_RETRY_DELAY_MS: '2000',
  });
});

afterAll(async () => {
  await gateway.close();
});

async function chat(model: string, stream: boolean, signal?: AbortSignal) {
  const response = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream,
      messages: [{ role: 'user', content: 'Tell me about signal boxes on railways.' }],
    }),
    ...(signal === undefined ? {} : { signal }),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: await response.body.text(),
  };
}

async function ledgerRow(requestId: unknown) {
  const rows = await gatewayLedger(gateway);
  return rows.find((row) => row.id === requestId);
}

describe('resilience', () => {
  it('retries an upstream 503 before the first byte; the ledger shows both attempts', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o' },
      status: 503,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', false);
    expect(result.status).toBe(200);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.status).toBe('success');
    expect(row?.attempts.map((attempt) => [attempt.status, attempt.upstream_status])).toEqual([
      ['upstream_unavailable', 503],
      ['success', 200],
    ]);
  });

  it('abandons a stream that misses the time-to-first-token deadline and retries invisibly', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      delayBeforeFirstTokenMs: 3000,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', true);
    expect(result.status).toBe(200);
    const summary = summariseSse(result.text);
    expect(summary.errors).toEqual([]);
    expect(summary.done).toBe(true);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.attempts.map((attempt) => attempt.status)).toEqual(['upstream_timeout', 'success']);
  });

  it('retries an in-band error that arrives before any content', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      errorChunkAfterChunks: 0,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', true);
    const summary = summariseSse(result.text);
    expect(summary.errors).toEqual([]);
    expect(summary.content).toMatch(/\S/);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.attempts).toHaveLength(2);
    expect(row?.status).toBe('success');
  });

  it('ends a stream whose connection resets mid-way with an in-band error, never silently', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      resetAfterChunks: 2,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', true);
    expect(result.status).toBe(200);
    const summary = summariseSse(result.text);
    expect(summary.content).toMatch(/\S/);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]).toMatchObject({ code: 'stream_interrupted' });
    expect(summary.finishReason).toBe('error');
    expect(summary.done).toBe(true);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.status).toBe('stream_interrupted');
    expect(row?.http_status).toBe(200);
  });

  it('ends a stream that stalls mid-way with an in-band timeout error', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      stallAfterChunks: 2,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', true);
    const summary = summariseSse(result.text);
    expect(summary.errors[0]).toMatchObject({ code: 'upstream_timeout' });
    expect(summary.done).toBe(true);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.status).toBe('upstream_timeout');
  });

  it('passes an upstream in-band error after content through and records it', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      errorChunkAfterChunks: 2,
      times: 1,
    });
    const result = await chat('openai/gpt-4o', true);
    const summary = summariseSse(result.text);
    expect(summary.content).toMatch(/\S/);
    expect(summary.errors).toHaveLength(1);
    const row = await ledgerRow(result.headers['x-request-id']);
    expect(row?.status).not.toBe('success');
    expect(row?.attempts).toHaveLength(1);
  });

  it('records a client that disconnects mid-stream, and stops the upstream', async () => {
    await addEmulatorFault(gateway.emulatorOrigin, {
      match: { model: 'openai/gpt-4o', stream: true },
      stallAfterChunks: 1,
      times: 1,
    });
    const controller = new AbortController();
    const response = await request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: 'hello' }],
      }),
      signal: controller.signal,
    });
    const requestId = response.headers['x-request-id'];
    for await (const _chunk of response.body) {
      controller.abort();
      break;
    }
    let row;
    for (let tries = 0; tries < 50 && row === undefined; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      row = await ledgerRow(requestId);
    }
    expect(row?.status).toBe('client_closed_request');
  });
});
