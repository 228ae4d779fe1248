/**
 * Delivery after the commit point: events relayed in order with backpressure, a failure ending
 * the stream with an in-band error event and the end marker (never silently), a client leaving.
 */
import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  ROUTER_MODEL,
  runChat,
  startChat,
  streamedText,
  TEST_USAGE,
} from './testing/index.ts';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deliver: a committed stream', () => {
  it('ends a stream whose upstream connection fails mid-way with an in-band error, then ends; no retry', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [
        { text: 'one ' },
        { text: 'two ' },
        { fail: new SignalboxError('stream_interrupted', 'The upstream connection was lost.') },
      ],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(openrouter.calls).toHaveLength(1);
    expect(writer.kind).toBe('stream');
    expect(streamedText(writer.events)).toBe('one two ');
    const last = writer.events.at(-1);
    expect(last?.chunk.error).toEqual({
      code: 'stream_interrupted',
      message: 'The upstream connection was lost.',
    });
    expect(last?.chunk.choices[0]?.finish_reason).toBe('error');
    expect(last?.chunk.id).toBe('gen-openrouter-1');
    expect(writer.ended).toBe(true);
    expect(writer.writesAfterEnd).toBe(0);
    const record = ledger.settled[0]?.record;
    expect(record).toMatchObject({ status: 'stream_interrupted', httpStatus: 200 });
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual(['stream_interrupted']);
  });

  it('passes an upstream in-band error after content through as it came, and records its code', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [
        { text: 'partial' },
        {
          inBandError: new SignalboxError('upstream_error', 'Provider returned error', {
            upstreamStatus: 502,
          }),
        },
      ],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(writer.events).toHaveLength(2);
    expect(writer.events[1]?.raw).toContain('Provider returned error');
    expect(writer.ended).toBe(true);
    expect(ledger.settled[0]?.record.status).toBe('upstream_error');
    expect(openrouter.calls).toHaveLength(1);
  });

  it('records the usage of a stream that failed after its usage chunk', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [
        { text: 'all' },
        { finish: 'stop', usage: TEST_USAGE },
        { fail: new SignalboxError('stream_interrupted', 'lost before [DONE]') },
      ],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(ledger.settled[0]?.record).toMatchObject({
      status: 'stream_interrupted',
      costNanoUsd: 15_000n,
      promptTokens: 10,
    });
  });

  it('a client that leaves mid-stream stops the upstream; no error event is written to it', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [
        { text: 'first' },
        ...Array.from({ length: 50 }, () => ({ delayMs: 40, text: 'more' })),
      ],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const run = startChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    while (run.writer.events.length < 2) await tick(5);
    run.writer.disconnect();
    const leftAt = Date.now();
    await run.done;
    expect(Date.now() - leftAt).toBeLessThan(100);
    expect(run.writer.events.every((event) => event.chunk.error === undefined)).toBe(true);
    expect(run.writer.writesAfterEnd).toBe(0);
    expect(openrouter.closedStreams).toBe(1);
    expect(ledger.settled).toHaveLength(1);
    expect(ledger.settled[0]?.record).toMatchObject({
      status: 'client_closed_request',
      httpStatus: 200,
    });
  });

  it('backpressure: the next upstream event is not pulled until the client has drained', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { finish: 'stop', usage: TEST_USAGE }],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const run = startChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    // The client's buffer is full from the first write on.
    run.writer.block();
    while (run.writer.events.length < 1) await tick(2);
    const pulledAtCommit = openrouter.pulls;
    await tick(60);
    expect(openrouter.pulls).toBe(pulledAtCommit);
    expect(run.writer.events).toHaveLength(1);
    // One drain lets exactly one more event through while the buffer stays full.
    run.writer.drain();
    run.writer.block();
    await tick(30);
    expect(run.writer.events).toHaveLength(2);
    expect(openrouter.pulls).toBe(pulledAtCommit + 1);
    run.writer.drain();
    await run.done;
    expect(streamedText(run.writer.events)).toBe('abc');
    expect(ledger.settled[0]?.record.status).toBe('success');
  });

  it('a client that leaves while the pipeline waits for drain ends the request at once', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [{ text: 'a' }, { text: 'b' }, { finish: 'stop' }],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const run = startChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    run.writer.block();
    while (run.writer.events.length < 1) await tick(2);
    run.writer.disconnect();
    await run.done;
    expect(run.writer.events).toHaveLength(1);
    expect(ledger.settled[0]?.record.status).toBe('client_closed_request');
    expect(openrouter.closedStreams).toBe(1);
  });
});
