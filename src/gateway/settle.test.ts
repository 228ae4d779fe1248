import { MASTER_PRINCIPAL } from '../contracts/principal.ts';
/**
 * Settle runs exactly once per request, whatever happened, and nothing a settlement listener
 * does (the ledger writer throwing or rejecting after a successful upstream call) changes what
 * the client received or produces a second record.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import type { Settlement } from '../usage/settlement.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  DISABLED_MODEL,
  ROUTER_MODEL,
  runChat,
  startChat,
  TEST_USAGE,
  type ScriptedAnswer,
} from './testing/index.ts';
import { Feature } from '../routing/routing-catalog.ts';
import type { RequestContext } from './request-context.ts';
import { buildRequestRecord } from './settle.ts';

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const down = (): ScriptedAnswer => ({
  error: new SignalboxError('upstream_unavailable', 'down', { upstreamStatus: 503 }),
});

interface Scenario {
  name: string;
  body: object;
  direct?: ScriptedAnswer[];
  openrouter?: ScriptedAnswer[];
  timeoutMs?: number;
  disconnectAfterMs?: number;
  fallbackReply?: string;
  admissionThrows?: boolean;
  status: string;
}

const scenarios: Scenario[] = [
  { name: 'JSON success', body: chatBody(ROUTER_MODEL), status: 'success' },
  { name: 'stream success', body: chatBody(ROUTER_MODEL, { stream: true }), status: 'success' },
  { name: 'validation error', body: { model: ROUTER_MODEL }, status: 'invalid_request' },
  { name: 'disabled model', body: chatBody(DISABLED_MODEL), status: 'model_not_found' },
  {
    name: 'no candidate',
    body: chatBody(ROUTER_MODEL, { provider: { only: ['direct'] } }),
    status: 'upstream_unavailable',
  },
  {
    name: 'admission refusal',
    body: chatBody(ROUTER_MODEL),
    admissionThrows: true,
    status: 'rate_limited',
  },
  { name: 'fallback', body: chatBody(DIRECT_MODEL), direct: [down()], status: 'success' },
  {
    name: 'every candidate failed',
    body: chatBody(DIRECT_MODEL),
    direct: [down()],
    openrouter: [down(), down(), down()],
    status: 'upstream_unavailable',
  },
  {
    name: 'graceful reply',
    body: chatBody(DIRECT_MODEL, { stream: true }),
    direct: [down()],
    openrouter: [down(), down(), down()],
    fallbackReply: 'Sorry.',
    status: 'fallback_reply',
  },
  {
    name: 'deadline',
    body: chatBody(ROUTER_MODEL),
    openrouter: [{ hang: true }],
    timeoutMs: 60,
    status: 'deadline_exceeded',
  },
  {
    name: 'mid-stream failure',
    body: chatBody(ROUTER_MODEL, { stream: true }),
    openrouter: [
      { stream: [{ text: 'x' }, { fail: new SignalboxError('stream_interrupted', 'lost') }] },
    ],
    status: 'stream_interrupted',
  },
  {
    name: 'client disconnect before the answer',
    body: chatBody(ROUTER_MODEL),
    openrouter: [{ hang: true }],
    disconnectAfterMs: 30,
    status: 'client_closed_request',
  },
  {
    name: 'client disconnect mid-stream',
    body: chatBody(ROUTER_MODEL, { stream: true }),
    openrouter: [{ stream: [{ text: 'x' }, { delayMs: 200, text: 'y' }] }],
    disconnectAfterMs: 50,
    status: 'client_closed_request',
  },
];

describe('settle: exactly once, whatever happened', () => {
  it.each(scenarios)(
    '$name → one settlement with status $status, one reservation settle',
    async (scenario) => {
      const reservationSettles: (bigint | null)[] = [];
      const { services, ledger } = createTestServices({
        adapters: [
          createFakeAdapter('direct', ...(scenario.direct ?? [])),
          createFakeAdapter('openrouter', ...(scenario.openrouter ?? [])),
        ],
        admission: {
          admit(context: RequestContext) {
            context.reservation = { settle: (actual) => void reservationSettles.push(actual) };
            if (scenario.admissionThrows === true)
              throw new SignalboxError('rate_limited', 'Slow down.');
          },
        },
        resilience: { fallbackReply: scenario.fallbackReply ?? null },
      });
      const hubSettle = vi.spyOn(services.settlement, 'settle');
      const run = startChat(
        services,
        scenario.body,
        scenario.timeoutMs === undefined ? {} : { timeoutMs: scenario.timeoutMs },
      );
      if (scenario.disconnectAfterMs !== undefined)
        setTimeout(() => {
          run.writer.disconnect();
        }, scenario.disconnectAfterMs);
      await run.done;
      expect(hubSettle).toHaveBeenCalledTimes(1);
      expect(ledger.settled).toHaveLength(1);
      expect(ledger.settled[0]?.record.status).toBe(scenario.status);
      expect(run.writer.answers).toBe(1);
      // The validation error and the disabled model never reach admission.
      const admitted = !['validation error', 'disabled model', 'no candidate'].includes(
        scenario.name,
      );
      expect(reservationSettles).toHaveLength(admitted ? 1 : 0);
      // Each attempt was announced to the listeners once, before the request settled.
      expect(ledger.attempts.map((entry) => entry.attempt)).toEqual(
        ledger.settled[0]?.record.attempts,
      );
    },
  );
});

describe('settle: a failing ledger changes nothing', () => {
  it.each(['throw', 'reject'] as const)(
    'a ledger that %ss after a successful call: the client still gets its answer, one record',
    async (failure) => {
      const { services, ledger, logger } = createTestServices({
        adapters: [createFakeAdapter('openrouter', { json: { text: 'kept', usage: TEST_USAGE } })],
      });
      ledger.failure = failure;
      const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
      expect(writer.kind).toBe('json');
      expect(writer.answers).toBe(1);
      expect(writer.completion?.choices[0]?.message.content).toBe('kept');
      expect(ledger.settled).toHaveLength(1);
      expect(ledger.settled[0]?.record.status).toBe('success');
      expect(logger.count('error', 'settlement listener failed')).toBe(1);
      expect(logger.count('error', 'failure after delivery')).toBe(0);
    },
  );

  it('the other listeners still get the settlement when the ledger throws', async () => {
    const seen: Settlement[] = [];
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter')],
      listeners: [{ name: 'metrics', onSettled: (settlement) => void seen.push(settlement) }],
    });
    ledger.failure = 'throw';
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(writer.ended).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.record.status).toBe('success');
  });

  it('a listener that throws on an attempt affects neither the retry nor the answer', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter', down())],
      listeners: [
        {
          name: 'health',
          onAttempt() {
            throw new Error('registry exploded');
          },
        },
      ],
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('json');
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'upstream_unavailable',
      'success',
    ]);
  });

  it('a request whose writer throws is still settled once', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter')],
    });
    const abort = new AbortController();
    const { handleChat } = await import('./handle-chat.ts');
    const { MASTER_PRINCIPAL } = await import('../contracts/principal.ts');
    let errors = 0;
    await handleChat(
      {
        body: chatBody(ROUTER_MODEL),
        requestId: 'req-writer-throws',
        abort,
        receivedAt: Date.now(),
        principal: MASTER_PRINCIPAL,
      },
      services,
      {
        json() {
          throw new Error('socket gone');
        },
        startStream() {
          throw new Error('not a stream');
        },
        error() {
          errors += 1;
        },
      },
    );
    expect(ledger.settled).toHaveLength(1);
    expect(ledger.settled[0]?.record).toMatchObject({ status: 'internal_error', httpStatus: 500 });
    expect(ledger.settled[0]?.record.attempts.map((attempt) => attempt.status)).toEqual([
      'success',
    ]);
    expect(errors).toBe(1);
  });
});

describe('buildRequestRecord', () => {
  it('records the Feature bits the request required, null when it never reached routing', async () => {
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter', { json: { usage: TEST_USAGE } })],
    });
    await runChat(services, chatBody(ROUTER_MODEL));
    const tool = { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } };
    // The test model has no tools: refused, but what it required is recorded all the same.
    await runChat(
      services,
      chatBody(ROUTER_MODEL, { tools: [tool], response_format: { type: 'json_object' } }),
    );
    await runChat(services, { model: ROUTER_MODEL });
    expect(ledger.settled.map((settlement) => settlement.record.requiredFeatures)).toEqual([
      0,
      Feature.tools | Feature.responseFormat,
      null,
    ]);
    expect(ledger.settled.map((settlement) => settlement.record.status)).toEqual([
      'success',
      'unsupported_capability',
      'invalid_request',
    ]);
  });

  it('sums every attempt’s known cost and takes tokens from the attempt that served', async () => {
    const { services, ledger } = createTestServices({
      adapters: [
        createFakeAdapter('direct', {
          stream: [{ inBandError: new SignalboxError('upstream_error', 'overloaded') }],
        }),
        createFakeAdapter('openrouter', {
          stream: [{ text: 'ok' }, { finish: 'stop', usage: { ...TEST_USAGE, cost: 0.00002 } }],
        }),
      ],
    });
    await runChat(services, chatBody(DIRECT_MODEL, { stream: true }));
    const record = ledger.settled[0]?.record;
    expect(record).toMatchObject({
      provider: 'openrouter',
      costNanoUsd: 20_000n,
      costSource: 'provider',
      promptTokens: 10,
      generationId: 'gen-openrouter-1',
    });
  });

  it('marks a request that never got a result as internal_error', () => {
    const record = buildRequestRecord(
      {
        id: 'r',
        receivedAt: 0,
        input: { model: 'm' },
        stream: false,
        plan: null,
        principal: MASTER_PRINCIPAL,
        servedCandidate: null,
        attempts: [],
        result: null,
      } as unknown as RequestContext,
      10,
    );
    expect(record).toMatchObject({
      status: 'internal_error',
      httpStatus: 500,
      model: 'm',
      latencyMs: 10,
    });
  });
});
