/**
 * The opt-in graceful reply: when every candidate failed, an ordinary assistant message with the
 * operator's text (JSON or stream), marked by `x-signalbox-fallback-reply: true` and the ledger
 * status `fallback_reply`. Never for the client's own errors, never after a stream's commit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalboxError, type ErrorCode } from '../contracts/errors.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  DISABLED_MODEL,
  ROUTER_MODEL,
  runChat,
  startChat,
  streamedText,
} from './testing/index.ts';

const REPLY = 'Sorry, I cannot answer right now. Please try again in a minute.';

const failing = (code: ErrorCode, status: number) => ({
  error: new SignalboxError(code, `upstream ${status}`, { upstreamStatus: status }),
});

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function servicesFailingWith(code: ErrorCode, status: number) {
  return createTestServices({
    adapters: [
      createFakeAdapter('direct', failing(code, status)),
      createFakeAdapter('openrouter', ...Array.from({ length: 3 }, () => failing(code, status))),
    ],
    resilience: { fallbackReply: REPLY },
  });
}

describe('graceful reply', () => {
  it('answers JSON with the operator text when every candidate failed', async () => {
    const { services, ledger } = servicesFailingWith('upstream_unavailable', 503);
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.kind).toBe('json');
    expect(writer.headers['x-signalbox-fallback-reply']).toBe('true');
    expect(writer.completion?.choices[0]?.message).toEqual({ role: 'assistant', content: REPLY });
    expect(writer.completion?.model).toBe(DIRECT_MODEL);
    expect(JSON.parse(writer.body ?? '')).toEqual(writer.completion);
    const record = ledger.settled[0]?.record;
    expect(record).toMatchObject({ status: 'fallback_reply', httpStatus: 200, costNanoUsd: null });
    expect(record?.attempts).toHaveLength(4);
  });

  it('streams the operator text, then ends', async () => {
    const { services, ledger } = servicesFailingWith('upstream_error', 502);
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    expect(writer.kind).toBe('stream');
    expect(writer.headers['x-signalbox-fallback-reply']).toBe('true');
    expect(streamedText(writer.events)).toBe(REPLY);
    expect(writer.events.at(-1)?.chunk.choices[0]?.finish_reason).toBe('stop');
    expect(writer.ended).toBe(true);
    expect(ledger.settled[0]?.record.status).toBe('fallback_reply');
  });

  it('stands in for a refused account (402) too', async () => {
    const { services } = servicesFailingWith('upstream_insufficient_credits', 402);
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.headers['x-signalbox-fallback-reply']).toBe('true');
  });

  it('stands in when the deadline passed', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter', { hang: true })],
      resilience: { fallbackReply: REPLY },
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs: 100 });
    expect(writer.completion?.choices[0]?.message.content).toBe(REPLY);
    expect(ledger.settled[0]?.record.status).toBe('fallback_reply');
  });

  it.each([
    ['an invalid request', { model: ROUTER_MODEL, messages: [] }, 'invalid_request'],
    ['a disabled model', chatBody(DISABLED_MODEL), 'model_not_found'],
  ])('is not sent for %s', async (_name, body, code) => {
    const { services } = servicesFailingWith('upstream_unavailable', 503);
    const { writer } = await runChat(services, body);
    expect(writer.kind).toBe('error');
    expect(writer.failure?.code).toBe(code);
    expect(writer.headers['x-signalbox-fallback-reply']).toBeUndefined();
  });

  it.each([
    ['upstream_invalid_request', 400],
    ['upstream_content_filtered', 403],
    ['model_not_found', 404],
  ] as const)(
    'is not sent when the upstreams judged the client’s request (%s)',
    async (code, status) => {
      const { services, ledger } = servicesFailingWith(code, status);
      const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
      expect(writer.kind).toBe('error');
      expect(writer.failure?.code).toBe(code);
      expect(ledger.settled[0]?.record.status).toBe(code);
    },
  );

  it('is not sent to a client that left', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter', { hang: true })],
      resilience: { fallbackReply: REPLY },
    });
    const run = startChat(services, chatBody(ROUTER_MODEL));
    setTimeout(() => {
      run.writer.disconnect();
    }, 30);
    await run.done;
    expect(run.writer.kind).toBe('error');
    expect(ledger.settled[0]?.record.status).toBe('client_closed_request');
  });

  it('is not sent after a stream’s commit point: the stream ends with an in-band error', async () => {
    const { services, ledger } = createTestServices({
      adapters: [
        createFakeAdapter('openrouter', {
          stream: [{ text: 'half' }, { fail: new SignalboxError('stream_interrupted', 'lost') }],
        }),
      ],
      resilience: { fallbackReply: REPLY },
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(writer.answers).toBe(1);
    expect(streamedText(writer.events)).toBe('half');
    expect(writer.events.at(-1)?.chunk.error).toMatchObject({ code: 'stream_interrupted' });
    expect(ledger.settled[0]?.record.status).toBe('stream_interrupted');
  });

  it('is off by default: the client gets the error', async () => {
    const { services } = createTestServices({
      adapters: [
        createFakeAdapter(
          'openrouter',
          ...Array.from({ length: 3 }, () => failing('upstream_error', 502)),
        ),
      ],
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.failure?.code).toBe('upstream_error');
  });
});
