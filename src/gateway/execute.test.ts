import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalboxError, type ErrorCode } from '../contracts/errors.ts';
import { createMemoryHealthRegistry } from '../limits/memory-health-registry.ts';
import { createRetryBudget } from '../limits/retry-budget.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  healthListener,
  ROUTER_MODEL,
  runChat,
  streamedText,
  TEST_USAGE,
  type FakeAdapter,
} from './testing/index.ts';

function upstream(code: ErrorCode, status: number, retryAfterSeconds?: number): SignalboxError {
  return new SignalboxError(code, `upstream said ${status}`, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

const unavailable = () => ({ error: upstream('upstream_unavailable', 503) });

beforeEach(() => {
  // Full-jitter backoff draws from Math.random: 0 makes every computed backoff 0 ms.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('execute: success', () => {
  it('answers JSON with the upstream bytes, the provider and the generation id', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      json: { text: 'Hi!', usage: TEST_USAGE },
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('json');
    expect(writer.answers).toBe(1);
    expect(writer.completion?.choices[0]?.message.content).toBe('Hi!');
    expect(JSON.parse(writer.body ?? '')).toEqual(writer.completion);
    expect(writer.headers).toMatchObject({
      'x-signalbox-provider': 'openrouter',
      'x-generation-id': 'gen-openrouter-1',
    });
    const record = ledger.settled[0]?.record;
    expect(record).toMatchObject({
      status: 'success',
      httpStatus: 200,
      provider: 'openrouter',
      generationId: 'gen-openrouter-1',
      promptTokens: 10,
      completionTokens: 5,
      costNanoUsd: 15_000n,
      costSource: 'provider',
    });
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual(['success']);
    expect(record?.ttftMs).not.toBeNull();
  });

  it('streams every event in order, then ends; the attempt is recorded with its usage', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      stream: [
        { text: 'Sig' },
        { text: 'nal' },
        { delayMs: 20, text: 'box' },
        { finish: 'stop', usage: TEST_USAGE },
      ],
    });
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(writer.kind).toBe('stream');
    expect(streamedText(writer.events)).toBe('Signalbox');
    expect(writer.events.at(-1)?.chunk.usage).toEqual(TEST_USAGE);
    expect(writer.ended).toBe(true);
    expect(writer.headers['x-generation-id']).toBe('gen-openrouter-1');
    const record = ledger.settled[0]?.record;
    expect(record).toMatchObject({ status: 'success', stream: true, costNanoUsd: 15_000n });
    expect(record?.attempts).toHaveLength(1);
    expect(record?.attempts[0]).toMatchObject({ status: 'success', promptTokens: 10 });
    expect(openrouter.closedStreams).toBe(1);
  });
});

describe('execute: retries of the same candidate', () => {
  it('retries a retryable failure and succeeds; the ledger lists both attempts', async () => {
    const openrouter = createFakeAdapter('openrouter', unavailable());
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('json');
    expect(openrouter.calls).toHaveLength(2);
    expect(
      ledger.settled[0]?.record.attempts.map((attempt) => [attempt.status, attempt.upstreamStatus]),
    ).toEqual([
      ['upstream_unavailable', 503],
      ['success', 200],
    ]);
  });

  it.each([0, 1, 2, 3])('makes at most maxRetries (%i) retries', async (maxRetries) => {
    const openrouter = createFakeAdapter('openrouter', ...Array.from({ length: 6 }, unavailable));
    const { services } = createTestServices({ adapters: [openrouter], resilience: { maxRetries } });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(openrouter.calls).toHaveLength(maxRetries + 1);
    expect(writer.failure?.code).toBe('upstream_unavailable');
    expect(writer.failure?.attempts).toHaveLength(maxRetries + 1);
  });

  it('waits the upstream retry-after in milliseconds (0.12 s is 120 ms, not 1 s)', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      error: upstream('rate_limited', 429, 0.12),
    });
    const { services } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('json');
    const waited = (openrouter.calls[1]?.at ?? 0) - (openrouter.calls[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(115);
    expect(waited).toBeLessThan(600);
  });

  it('does not retry when the upstream asks for a longer wait than maxRetryDelayMs; the client gets it', async () => {
    const openrouter = createFakeAdapter('openrouter', {
      error: upstream('rate_limited', 429, 30),
    });
    const { services } = createTestServices({
      adapters: [openrouter],
      resilience: { maxRetryDelayMs: 5_000 },
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL));
    expect(openrouter.calls).toHaveLength(1);
    expect(run.writer.failure?.code).toBe('rate_limited');
    expect(run.writer.failure?.retryAfterSeconds).toBe(30);
    expect(Date.now() - run.startedAt).toBeLessThan(1_000);
  });

  it.each([
    ['upstream_invalid_request', 400],
    ['upstream_content_filtered', 403],
    ['request_too_large', 413],
  ] as const)('never retries nor falls back on the client’s own error %s', async (code, status) => {
    const direct = createFakeAdapter('direct', { error: upstream(code, status) });
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({ adapters: [direct, openrouter] });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(direct.calls).toHaveLength(1);
    expect(openrouter.calls).toHaveLength(0);
    expect(writer.failure?.code).toBe(code);
    expect(writer.failure?.status).toBe(status === 400 ? 400 : status);
    expect(ledger.settled[0]?.record.status).toBe(code);
  });
});

describe('execute: fallback to the next candidate', () => {
  it.each([
    ['upstream_auth_failed', 401],
    ['upstream_insufficient_credits', 402],
    ['model_not_found', 404],
    ['upstream_unavailable', 503],
    ['rate_limited', 429],
    ['upstream_timeout', 504],
  ] as const)(
    'moves on after %s (%i) without retrying the failed provider',
    async (code, status) => {
      const direct = createFakeAdapter('direct', { error: upstream(code, status) });
      const openrouter = createFakeAdapter('openrouter');
      const { services, ledger } = createTestServices({ adapters: [direct, openrouter] });
      const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
      expect(writer.kind).toBe('json');
      expect(writer.headers['x-signalbox-provider']).toBe('openrouter');
      expect(direct.calls).toHaveLength(1);
      expect(openrouter.calls.map((call) => call.model)).toEqual([DIRECT_MODEL]);
      const record = ledger.settled[0]?.record;
      expect(
        record?.attempts.map((attempt) => [attempt.provider, attempt.model, attempt.status]),
      ).toEqual([
        ['direct', 'native-model', code],
        ['openrouter', DIRECT_MODEL, 'success'],
      ]);
      expect(record).toMatchObject({ status: 'success', provider: 'openrouter' });
    },
  );

  it('lists every attempt in error.metadata.attempts when every candidate failed', async () => {
    const direct = createFakeAdapter('direct', unavailable());
    const openrouter = createFakeAdapter(
      'openrouter',
      { error: upstream('upstream_error', 502) },
      { error: new SignalboxError('upstream_timeout', 'no headers') },
      { error: upstream('upstream_error', 500) },
    );
    const { services, ledger } = createTestServices({ adapters: [direct, openrouter] });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    const body = writer.failure?.toBody();
    expect(body?.error.code).toBe('upstream_error');
    expect(body?.error.message).toMatch(/^All 4 upstream attempts failed/);
    expect(body?.error.metadata?.attempts).toEqual([
      {
        provider: 'direct',
        model: 'native-model',
        code: 'upstream_unavailable',
        upstream_status: 503,
      },
      { provider: 'openrouter', model: DIRECT_MODEL, code: 'upstream_error', upstream_status: 502 },
      {
        provider: 'openrouter',
        model: DIRECT_MODEL,
        code: 'upstream_timeout',
        upstream_status: null,
      },
      { provider: 'openrouter', model: DIRECT_MODEL, code: 'upstream_error', upstream_status: 500 },
    ]);
    expect(ledger.settled[0]?.record.attempts).toHaveLength(4);
    expect(ledger.settled[0]?.record.status).toBe('upstream_error');
    expect(ledger.settled[0]?.record.httpStatus).toBe(502);
  });

  it('falls back on an in-band error before the first content, invisibly to the client', async () => {
    const direct = createFakeAdapter('direct', {
      stream: [{ inBandError: upstream('upstream_error', 502) }],
    });
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({ adapters: [direct, openrouter] });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    expect(writer.events.some((event) => event.error !== undefined)).toBe(false);
    expect(streamedText(writer.events)).toBe('Hello there');
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_error',
      'success',
    ]);
    expect(direct.closedStreams).toBe(1);
  });
});

function trip(
  health: ReturnType<typeof createMemoryHealthRegistry>,
  provider: string,
  model: string,
  status = 'upstream_unavailable',
): void {
  for (let index = 0; index < 3; index += 1)
    health.record({
      provider,
      model,
      status,
      upstreamStatus: 503,
      latencyMs: 5,
      ttftMs: null,
      at: Date.now(),
    });
}

describe('execute: circuits', () => {
  it('skips a candidate whose circuit is open: no attempt reaches it', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 60_000 });
    trip(health, 'direct', 'native-model');
    const direct = createFakeAdapter('direct');
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [direct, openrouter],
      health,
      listeners: [healthListener(health)],
    });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.headers['x-signalbox-provider']).toBe('openrouter');
    expect(direct.calls).toHaveLength(0);
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.provider)).toEqual([
      'openrouter',
    ]);
  });

  it('trips the circuit after three failures and stops sending to it', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 60_000 });
    const direct = createFakeAdapter(
      'direct',
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
    );
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [direct, openrouter],
      health,
      listeners: [healthListener(health)],
    });
    for (let index = 0; index < 6; index += 1) {
      const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
      expect(writer.kind).toBe('json');
    }
    expect(direct.calls).toHaveLength(3);
    expect(openrouter.calls).toHaveLength(6);
    expect(health.get('direct', 'native-model')?.state).toBe('open');
  });

  it('a provider-wide cooldown (401) skips every model of that provider at once', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 60_000 });
    const direct = createFakeAdapter('direct', { error: upstream('upstream_auth_failed', 401) });
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [direct, openrouter],
      health,
      listeners: [healthListener(health)],
    });
    await runChat(services, chatBody(DIRECT_MODEL));
    await runChat(services, chatBody(DIRECT_MODEL));
    expect(direct.calls).toHaveLength(1);
    expect(health.permit('direct', 'some-other-model')).toMatchObject({
      decision: 'skip',
      reason: 'provider_cooldown',
    });
  });

  it('panic routing: when every remaining candidate cools down, the one that reopens first is tried', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 60_000 });
    trip(health, 'openrouter', DIRECT_MODEL);
    await new Promise((resolve) => setTimeout(resolve, 5));
    trip(health, 'direct', 'native-model');
    const direct = createFakeAdapter('direct');
    const openrouter = createFakeAdapter('openrouter');
    const { services, logger } = createTestServices({
      adapters: [direct, openrouter],
      health,
      listeners: [healthListener(health)],
    });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.kind).toBe('json');
    expect(direct.calls).toHaveLength(0);
    expect(openrouter.calls).toHaveLength(1);
    expect(logger.count('info', 'every remaining candidate is cooling down')).toBe(1);
  });

  it('panic routing of a model with one provider tries it instead of refusing for a whole cooldown', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 60_000 });
    trip(health, 'openrouter', ROUTER_MODEL);
    const openrouter = createFakeAdapter('openrouter', ...Array.from({ length: 5 }, unavailable));
    const { services } = createTestServices({
      adapters: [openrouter],
      health,
      listeners: [healthListener(health)],
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    // Panic routing still respects the per-request retry limit.
    expect(openrouter.calls.length).toBeGreaterThanOrEqual(1);
    expect(openrouter.calls.length).toBeLessThanOrEqual(3);
    expect(writer.failure?.code).toBe('upstream_unavailable');
  });

  it('a half-open probe goes out once; its success closes the circuit', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 30 });
    trip(health, 'direct', 'native-model');
    await new Promise((resolve) => setTimeout(resolve, 40));
    const direct = createFakeAdapter('direct');
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [direct, openrouter],
      health,
      listeners: [healthListener(health)],
    });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.headers['x-signalbox-provider']).toBe('direct');
    expect(health.get('direct', 'native-model')?.state).toBe('closed');
  });

  it('releases a probe permit when the attempt is not made (retry budget spent)', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 30 });
    trip(health, 'openrouter', DIRECT_MODEL);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const direct = createFakeAdapter('direct', unavailable());
    const openrouter = createFakeAdapter('openrouter');
    const { services, logger } = createTestServices({
      adapters: [direct, openrouter],
      health,
      retryBudget: createRetryBudget({ percent: 0, minRetriesPerSecond: 0 }),
      listeners: [healthListener(health)],
    });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.failure?.code).toBe('upstream_unavailable');
    expect(openrouter.calls).toHaveLength(0);
    expect(logger.count('warn', 'retry budget spent')).toBe(1);
    // The probe it held is free again: the next caller gets it.
    expect(health.permit('openrouter', DIRECT_MODEL).decision).toBe('probe');
  });

  it('releases a probe permit when the planned provider has no adapter', async () => {
    const health = createMemoryHealthRegistry({ cooldownMs: 30 });
    trip(health, 'ghost', DIRECT_MODEL);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const openrouter = createFakeAdapter('openrouter');
    const { services } = createTestServices({
      adapters: [openrouter],
      health,
      listeners: [healthListener(health)],
    });
    services.routing = {
      ...services.routing,
      directProviders: [
        { id: 'ghost', nativeModel: (id) => (id === DIRECT_MODEL ? DIRECT_MODEL : null) },
      ],
    };
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.kind).toBe('json');
    expect(health.permit('ghost', DIRECT_MODEL).decision).toBe('probe');
  });
});

describe('execute: retry budget', () => {
  it('no retry and no fallback once the budget is spent; the client gets the last error', async () => {
    const budget = createRetryBudget({ percent: 0, minRetriesPerSecond: 0 });
    const direct = createFakeAdapter('direct', unavailable());
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [direct, openrouter],
      retryBudget: budget,
    });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(direct.calls).toHaveLength(1);
    expect(openrouter.calls).toHaveLength(0);
    expect(writer.failure?.code).toBe('upstream_unavailable');
    expect(writer.failure?.attempts).toEqual([
      {
        provider: 'direct',
        model: 'native-model',
        code: 'upstream_unavailable',
        upstream_status: 503,
      },
    ]);
    expect(ledger.settled[0]?.record.attempts).toHaveLength(1);
    expect(budget.snapshot().refusedTotal).toBe(1);
  });

  it('a retry the budget refuses is refused before its backoff, not after', async () => {
    const budget = createRetryBudget({ percent: 0, minRetriesPerSecond: 0 });
    const openrouter = createFakeAdapter('openrouter', {
      error: upstream('upstream_unavailable', 503, 0.5),
    });
    const { services } = createTestServices({ adapters: [openrouter], retryBudget: budget });
    const run = await runChat(services, chatBody(ROUTER_MODEL));
    expect(openrouter.calls).toHaveLength(1);
    expect(run.writer.failure?.code).toBe('upstream_unavailable');
    expect(Date.now() - run.startedAt).toBeLessThan(250);
  });

  it('counts one first attempt per request and one token per retry or fallback', async () => {
    const budget = createRetryBudget({ percent: 100, minRetriesPerSecond: 0 });
    const adapters: FakeAdapter[] = [
      createFakeAdapter('direct', unavailable()),
      createFakeAdapter('openrouter', unavailable()),
    ];
    const { services } = createTestServices({ adapters, retryBudget: budget });
    await runChat(services, chatBody(DIRECT_MODEL));
    expect(budget.snapshot()).toMatchObject({ requests: 1, retries: 1, refusedTotal: 1 });
    // Only one extra attempt was affordable: direct, then the fallback; the retry was refused.
    expect(adapters.map((adapter) => adapter.calls.length)).toEqual([1, 1]);
  });
});

describe('execute: crash accounting', () => {
  it('journals each attempt, with its number and provider, before it is dispatched', async () => {
    const direct = createFakeAdapter('direct', unavailable());
    const openrouter = createFakeAdapter('openrouter', {
      json: { text: 'Hi!', usage: TEST_USAGE },
    });
    const { services, intents, ledger } = createTestServices({ adapters: [direct, openrouter] });
    await runChat(services, chatBody(DIRECT_MODEL));
    expect(intents.map((intent) => [intent.attemptNumber, intent.provider])).toEqual([
      [0, 'direct'],
      [1, 'openrouter'],
    ]);
    const requestId = ledger.settled[0]?.record.id;
    expect(intents.every((intent) => intent.requestId === requestId)).toBe(true);
    expect(direct.calls).toHaveLength(1);
  });
});
