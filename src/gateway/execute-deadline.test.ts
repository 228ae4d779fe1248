/**
 * Time limits of the attempt loop: the whole-request deadline (ChatInput.timeoutMs, the
 * `x-signalbox-timeout-ms` header) bounds attempts, retries and backoff together; a stream's
 * time-to-first-token deadline hands over to the next candidate; the last candidate waits the
 * first-byte timeout instead. Real timers, short durations.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { createMemoryHealthRegistry } from '../limits/memory-health-registry.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  healthListener,
  ROUTER_MODEL,
  runChat,
  streamedText,
} from './testing/index.ts';

/** How much a request may outlive its deadline (timer and scheduling slack). */
const SLACK_MS = 100;

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('whole-request deadline', () => {
  it('ends a request whose upstream hangs before its headers at the deadline: 504 deadline_exceeded', async () => {
    const health = createMemoryHealthRegistry();
    const openrouter = createFakeAdapter('openrouter', { hang: true });
    const { services, ledger } = createTestServices({
      adapters: [openrouter],
      health,
      listeners: [healthListener(health)],
      resilience: { firstByteTimeoutMs: 10_000 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs: 250 });
    const lasted = Date.now() - run.startedAt;
    expect(run.writer.failure?.code).toBe('deadline_exceeded');
    expect(run.writer.failure?.status).toBe(504);
    expect(lasted).toBeGreaterThanOrEqual(245);
    expect(lasted).toBeLessThan(250 + SLACK_MS);
    expect(ledger.settled[0]?.record).toMatchObject({
      status: 'deadline_exceeded',
      httpStatus: 504,
    });
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'deadline_exceeded',
    ]);
    // Our own deadline says nothing about the upstream's health.
    expect(health.get('openrouter', ROUTER_MODEL)?.consecutiveFailures ?? 0).toBe(0);
  });

  it('bounds retries and their backoff: no retry is started that would end after the deadline', async () => {
    const failing = () => ({
      delayMs: 60,
      error: new SignalboxError('upstream_unavailable', 'down', {
        upstreamStatus: 503,
        retryAfterSeconds: 0.1,
      }),
    });
    const openrouter = createFakeAdapter('openrouter', ...Array.from({ length: 10 }, failing));
    const { services } = createTestServices({
      adapters: [openrouter],
      resilience: { maxRetries: 10 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs: 500 });
    const lasted = Date.now() - run.startedAt;
    expect(lasted).toBeLessThan(500 + SLACK_MS);
    expect(openrouter.calls.length).toBeGreaterThanOrEqual(2);
    expect(openrouter.calls.length).toBeLessThan(10);
    expect(run.writer.kind).toBe('error');
  });

  it('makes no retry whose wait would end past the deadline', async () => {
    // Each failure takes 150 ms and asks for a 200 ms wait; three fit in 900 ms only if backoff is honest.
    const openrouter = createFakeAdapter(
      'openrouter',
      ...Array.from({ length: 5 }, () => ({
        delayMs: 150,
        error: new SignalboxError('rate_limited', 'slow down', {
          upstreamStatus: 429,
          retryAfterSeconds: 0.2,
        }),
      })),
    );
    const { services } = createTestServices({
      adapters: [openrouter],
      resilience: { maxRetries: 5 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs: 900 });
    expect(Date.now() - run.startedAt).toBeLessThan(900 + SLACK_MS);
    expect(openrouter.calls).toHaveLength(3);
  });

  it('ends a slow committed stream at the deadline with an in-band deadline_exceeded error', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: Array.from({ length: 20 }, (_, index) => ({ delayMs: 60, text: `t${index} ` })),
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const run = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }), {
      timeoutMs: 400,
    });
    const ended = (run.writer.endedAt ?? Infinity) - run.startedAt;
    expect(ended).toBeGreaterThanOrEqual(395);
    expect(ended).toBeLessThan(400 + SLACK_MS);
    const last = run.writer.events.at(-1);
    expect(last?.chunk.error).toMatchObject({ code: 'deadline_exceeded' });
    expect(last?.chunk.choices[0]?.finish_reason).toBe('error');
    expect(run.writer.ended).toBe(true);
    expect(ledger.settled[0]?.record).toMatchObject({
      status: 'deadline_exceeded',
      httpStatus: 200,
    });
    expect(openrouter.closedStreams).toBe(1);
  });

  it('never lets a client header raise the configured deadline', async () => {
    const openrouter = createFakeAdapter('openrouter', { hang: true });
    const { services } = createTestServices({
      adapters: [openrouter],
      resilience: { requestTimeoutMs: 200, firstByteTimeoutMs: 10_000 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs: 60_000 });
    expect(run.writer.failure?.code).toBe('deadline_exceeded');
    expect(Date.now() - run.startedAt).toBeLessThan(200 + SLACK_MS);
  });

  it('records the deadline as the deadline even when it is shorter than the first-byte timeout', async () => {
    const health = createMemoryHealthRegistry({ failureThreshold: 1 });
    const openrouter = createFakeAdapter(
      'openrouter',
      ...Array.from({ length: 3 }, () => ({ hang: true as const })),
    );
    const { services, ledger } = createTestServices({
      adapters: [openrouter],
      health,
      listeners: [healthListener(health)],
      resilience: { firstByteTimeoutMs: 10_000 },
    });
    for (const timeoutMs of [30, 60, 90]) {
      const run = await runChat(services, chatBody(ROUTER_MODEL), { timeoutMs });
      expect(run.writer.failure?.code).toBe('deadline_exceeded');
    }
    expect(
      ledger.settled.flatMap((settled) => settled.record.attempts.map((attempt) => attempt.status)),
    ).toEqual(['deadline_exceeded', 'deadline_exceeded', 'deadline_exceeded']);
    // A client's short deadline never trips the upstream's circuit.
    expect(health.permit('openrouter', ROUTER_MODEL).decision).toBe('allow');
  });

  it('a stream whose TTFT deadline is later than the request deadline ends with deadline_exceeded', async () => {
    const direct = createFakeAdapter('direct', { stream: [{ hang: true }] });
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [direct, openrouter],
      resilience: { fallbackTtftMs: 5_000 },
    });
    const run = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }), {
      timeoutMs: 150,
    });
    expect(run.writer.failure?.code).toBe('deadline_exceeded');
    expect(Date.now() - run.startedAt).toBeLessThan(150 + SLACK_MS);
    expect(openrouter.calls).toHaveLength(0);
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'deadline_exceeded',
    ]);
  });
});

describe('time to first token', () => {
  it('hands a stream to the next candidate when the first sends no token within fallbackTtftMs', async () => {
    const direct = createFakeAdapter('direct', { stream: [{ hang: true }] });
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [direct, openrouter],
      resilience: { fallbackTtftMs: 200, firstByteTimeoutMs: 5_000 },
    });
    const run = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    const firstToken = (run.writer.answeredAt ?? Infinity) - run.startedAt;
    expect(firstToken).toBeGreaterThanOrEqual(195);
    expect(firstToken).toBeLessThan(200 + SLACK_MS);
    expect(streamedText(run.writer.events)).toBe('Hello there');
    expect(run.writer.headers['x-signalbox-provider']).toBe('openrouter');
    expect(direct.closedStreams).toBe(1);
    expect(
      ledger.settled[0]?.record.attempts.map((attempt) => [attempt.provider, attempt.status]),
    ).toEqual([
      ['direct', 'upstream_timeout'],
      ['openrouter', 'success'],
    ]);
  });

  it('also when the first candidate sends no headers at all', async () => {
    const direct = createFakeAdapter('direct', { hang: true });
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [direct, openrouter],
      resilience: { fallbackTtftMs: 200, firstByteTimeoutMs: 5_000 },
    });
    const run = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    expect((run.writer.answeredAt ?? Infinity) - run.startedAt).toBeLessThan(200 + SLACK_MS);
    expect(direct.calls[0]?.options?.timeouts?.firstByteMs).toBe(200);
    expect(run.writer.headers['x-signalbox-provider']).toBe('openrouter');
  });

  it('switches on time even when the adapter’s own first-byte timer is late', async () => {
    const direct = createFakeAdapter('direct', { hang: true });
    direct.honoursTimeouts = false;
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [direct, openrouter],
      resilience: { fallbackTtftMs: 200, firstByteTimeoutMs: 5_000 },
    });
    const run = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    expect((run.writer.answeredAt ?? Infinity) - run.startedAt).toBeLessThan(200 + SLACK_MS);
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_timeout',
      'success',
    ]);
  });

  it('the last candidate waits firstByteTimeoutMs, not fallbackTtftMs', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [{ delayMs: 300, text: 'late but fine' }, { finish: 'stop' }],
    });
    const { services } = createTestServices({
      adapters: [openrouter],
      resilience: { fallbackTtftMs: 100, firstByteTimeoutMs: 2_000 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(openrouter.calls).toHaveLength(1);
    expect(openrouter.calls[0]?.options?.timeouts?.firstByteMs).toBe(2_000);
    expect(streamedText(run.writer.events)).toBe('late but fine');
  });

  it('the last candidate times out after firstByteTimeoutMs and is retried', async () => {
    const openrouter = createFakeAdapter('openrouter', { stream: [{ hang: true }] });
    const { services, ledger } = createTestServices({
      adapters: [openrouter],
      resilience: { fallbackTtftMs: 50, firstByteTimeoutMs: 250 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    const firstToken = (run.writer.answeredAt ?? Infinity) - run.startedAt;
    expect(firstToken).toBeGreaterThanOrEqual(245);
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_timeout',
      'success',
    ]);
  });

  it('JSON requests have no TTFT fallback: the first candidate gets the first-byte timeout', async () => {
    const direct = createFakeAdapter('direct', { delayMs: 300, json: { text: 'slow JSON' } });
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [direct, openrouter],
      resilience: { fallbackTtftMs: 100, firstByteTimeoutMs: 2_000 },
    });
    const run = await runChat(services, chatBody(DIRECT_MODEL));
    expect(run.writer.completion?.choices[0]?.message.content).toBe('slow JSON');
    expect(openrouter.calls).toHaveLength(0);
  });
});
