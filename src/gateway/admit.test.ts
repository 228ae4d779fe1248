import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  ROUTER_MODEL,
  runChat,
  startChat,
  TEST_USAGE,
} from './testing/index.ts';
import { createRetryBudget } from '../limits/retry-budget.ts';
import type { RequestContext } from './request-context.ts';

function reservationSpy(behaviour: 'ok' | 'throw' = 'ok') {
  const calls: (bigint | null)[] = [];
  return {
    calls,
    admission: {
      admit(context: RequestContext) {
        context.responseHeaders['x-ratelimit-remaining-requests'] = '9';
        context.reservation = {
          settle(actual: bigint | null) {
            calls.push(actual);
            if (behaviour === 'throw') throw new Error('budget store down');
          },
        };
      },
    },
  };
}

describe('admit', () => {
  it('refuses a request the admission throws for: its error, no attempt, settled once', async () => {
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({
      adapters: [openrouter],
      admission: {
        admit() {
          throw new SignalboxError('rate_limited', 'Too many requests for this key.', {
            retryAfterSeconds: 3,
          });
        },
      },
      // A refusal is not an upstream failure: no graceful reply stands in for it.
      resilience: { fallbackReply: 'Sorry, try again later.' },
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('error');
    expect(writer.failure?.code).toBe('rate_limited');
    expect(writer.failure?.retryAfterSeconds).toBe(3);
    expect(openrouter.calls).toHaveLength(0);
    expect(ledger.settled).toHaveLength(1);
    expect(ledger.settled[0]?.record).toMatchObject({ status: 'rate_limited', attempts: [] });
  });

  it('settles the reservation exactly once with the actual cost, and keeps its headers', async () => {
    const spy = reservationSpy();
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter', { json: { usage: TEST_USAGE } })],
      admission: spy.admission,
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.kind).toBe('json');
    expect(writer.headers['x-ratelimit-remaining-requests']).toBe('9');
    expect(spy.calls).toEqual([15_000n]);
    expect(ledger.settled[0]?.record.costNanoUsd).toBe(15_000n);
  });

  it('settles the reservation once with the cost of every attempt, failed ones included', async () => {
    const spy = reservationSpy();
    const { services } = createTestServices({
      adapters: [
        createFakeAdapter(
          'openrouter',
          // Billed, then broken before any content: still cost.
          { stream: [{ inBandError: new SignalboxError('upstream_error', 'overloaded') }] },
          { stream: [{ text: 'ok' }, { finish: 'stop', usage: TEST_USAGE }] },
        ),
      ],
      admission: spy.admission,
    });
    await runChat(services, chatBody(ROUTER_MODEL, { stream: true }));
    expect(spy.calls).toEqual([15_000n]);
  });

  it('settles the reservation once with null when every attempt failed unpriced', async () => {
    const spy = reservationSpy();
    const { services } = createTestServices({
      adapters: [
        createFakeAdapter('openrouter', {
          error: new SignalboxError('upstream_invalid_request', 'bad', { upstreamStatus: 400 }),
        }),
      ],
      admission: spy.admission,
    });
    const { writer } = await runChat(services, chatBody(ROUTER_MODEL));
    expect(writer.failure?.code).toBe('upstream_invalid_request');
    expect(spy.calls).toEqual([null]);
  });

  it('a reservation whose settle throws changes nothing for the client or the ledger', async () => {
    const spy = reservationSpy('throw');
    const { services, ledger, logger } = createTestServices({
      adapters: [createFakeAdapter('openrouter')],
      admission: spy.admission,
    });
    const run = await runChat(services, chatBody(ROUTER_MODEL));
    expect(run.writer.kind).toBe('json');
    expect(spy.calls).toHaveLength(1);
    expect(ledger.settled).toHaveLength(1);
    expect(ledger.settled[0]?.record.status).toBe('success');
    expect(logger.count('error', 'reservation settle failed')).toBe(1);
  });

  it('settles a reservation taken before the admission refused the request', async () => {
    const calls: (bigint | null)[] = [];
    const { services, ledger } = createTestServices({
      adapters: [createFakeAdapter('openrouter')],
      admission: {
        admit(context) {
          context.reservation = { settle: (actual) => void calls.push(actual) };
          throw new SignalboxError('rate_limited', 'Budget exhausted.');
        },
      },
    });
    await runChat(services, chatBody(ROUTER_MODEL));
    expect(calls).toEqual([null]);
    expect(ledger.settled).toHaveLength(1);
  });

  it.each(['the client leaves', 'the deadline passes'])(
    'when %s while the request waits in admission, no upstream attempt is made or recorded',
    async (what) => {
      const openrouter = createFakeAdapter('openrouter');
      const budget = createRetryBudget();
      const { services, ledger } = createTestServices({
        adapters: [openrouter],
        retryBudget: budget,
        admission: { admit: () => new Promise((resolve) => setTimeout(resolve, 80)) },
      });
      const run = startChat(
        services,
        chatBody(ROUTER_MODEL),
        what === 'the deadline passes' ? { timeoutMs: 30 } : {},
      );
      if (what === 'the client leaves')
        setTimeout(() => {
          run.writer.disconnect();
        }, 20);
      await run.done;
      expect(openrouter.calls).toHaveLength(0);
      expect(ledger.settled[0]?.record.attempts).toEqual([]);
      expect(ledger.settled[0]?.record.status).toBe(
        what === 'the deadline passes' ? 'deadline_exceeded' : 'client_closed_request',
      );
      // Nothing was dispatched, so nothing counts toward the retry budget's requests either.
      expect(budget.snapshot().requests).toBe(0);
    },
  );
});
