/**
 * Governance limits through the whole pipeline (a composed gateway in live mode against the
 * emulator, limits in memory), with principals handed in as the key resolver would: the
 * max_tokens cap and budget refusals, rate-limit headers and 429s, the concurrency queue
 * (waiting, max wait, a client that leaves), and the master key untouched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignalboxError } from '../../src/contracts/errors.ts';
import { MASTER_PRINCIPAL } from '../../src/contracts/principal.ts';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  chatOn,
  clientPrincipal,
  startLimitsInstance,
  type LimitsInstance,
} from '../helpers/limits-gateway.ts';

const MODEL = 'openai/gpt-4o-mini';
const ask = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: 'user', content: 'Say something long.' }],
  ...extra,
});

let emulator: Emulator;
let instance: LimitsInstance;

beforeAll(async () => {
  emulator = createEmulator();
  const origin = await emulator.listen({ port: 0 });
  instance = await startLimitsInstance(
    origin,
    {
      SIGNALBOX_QUEUE_MAX_WAIT_MS: '300',
      SIGNALBOX_QUEUE_MAX_DEPTH: '2',
    },
    'database',
  );
});

afterAll(async () => {
  await instance.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearLedger();
});

describe('budgets', () => {
  it('caps max_tokens to what the budget affords, sends it upstream and says so', async () => {
    emulator.addFault({ answerWords: 100_000, times: 0 });
    // $0.60 per million completion tokens: $0.0003 affords about 500 of them.
    const principal = clientPrincipal({ budget: { limitNanoUsd: 300_000n, period: 'day' } });
    const { writer } = await chatOn(instance.core, principal, ask());
    expect(writer.kind).toBe('json');
    const capped = Number(writer.headers['x-signalbox-max-tokens-capped']);
    expect(capped).toBeGreaterThan(400);
    expect(capped).toBeLessThan(500);
    expect((emulator.ledger[0]?.requestBody as { max_tokens?: number }).max_tokens).toBe(capped);
    expect(writer.completion?.usage?.completion_tokens).toBe(capped);
    const usage = await instance.core.limits.budgets.usage(
      { kind: 'key', id: principal.keyId },
      { limitNanoUsd: 300_000n, period: 'day' },
    );
    expect(usage.reservedNanoUsd).toBe(0n);
    expect(usage.spentNanoUsd).toBeLessThanOrEqual(300_000n);
    expect(usage.spentNanoUsd).toBeGreaterThan(250_000n);

    // What is left affords no completion at all: 402, and nothing goes upstream.
    const refused = await chatOn(instance.core, principal, ask());
    expect(refused.writer.failure?.code).toBe('budget_exceeded');
    expect(refused.writer.failure?.status).toBe(402);
    expect(emulator.ledger).toHaveLength(1);
  });

  it('refuses a request whose own max_tokens the budget cannot cover', async () => {
    const principal = clientPrincipal({ budget: { limitNanoUsd: 100_000n, period: 'month' } });
    const { writer } = await chatOn(instance.core, principal, ask({ max_tokens: 1_000 }));
    expect(writer.failure?.code).toBe('budget_exceeded');
    expect(emulator.ledger).toHaveLength(0);
    const small = await chatOn(instance.core, principal, ask({ max_tokens: 50 }));
    expect(small.writer.kind).toBe('json');
    expect(small.writer.headers['x-signalbox-max-tokens-capped']).toBeUndefined();
  });

  it('refuses an unpriced model under a budget unless the key allows it', async () => {
    const budget = { limitNanoUsd: 1_000_000_000n, period: 'total' as const };
    const refused = await chatOn(
      instance.core,
      clientPrincipal({ budget }),
      ask({ model: 'openrouter/auto' }),
    );
    expect(refused.writer.failure?.code).toBe('budget_requires_price');
    expect(refused.writer.failure?.status).toBe(403);
    const allowed = await chatOn(
      instance.core,
      clientPrincipal({ budget, allowUnpriced: true }),
      ask({ model: 'openrouter/auto' }),
    );
    expect(allowed.writer.failure).toBeNull();
  });

  it('refuses a request above the key’s max cost per request', async () => {
    const principal = clientPrincipal({ maxCostPerRequestNanoUsd: 60_000n });
    const refused = await chatOn(instance.core, principal, ask({ max_tokens: 1_000 }));
    expect(refused.writer.failure?.code).toBe('cost_limit_exceeded');
    expect(emulator.ledger).toHaveLength(0);
  });
});

describe('rate limits', () => {
  it('answers with OpenAI’s x-ratelimit headers and refuses over the RPM with retry-after', async () => {
    const principal = clientPrincipal({ rpm: 2, tpm: 100_000 });
    const first = await chatOn(instance.core, principal, ask({ max_tokens: 10 }));
    expect(first.writer.headers).toMatchObject({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-limit-tokens': '100000',
    });
    expect(first.writer.headers['x-ratelimit-reset-requests']).toMatch(/^\d+(\.\d)?s$|ms$/);
    expect(Number(first.writer.headers['x-ratelimit-remaining-tokens'])).toBeLessThan(100_000);
    await chatOn(instance.core, principal, ask({ max_tokens: 10 }));
    const refused = await chatOn(instance.core, principal, ask({ max_tokens: 10 }));
    expect(refused.writer.failure?.code).toBe('rate_limit_exceeded');
    expect(refused.writer.failure?.status).toBe(429);
    expect(refused.writer.failure?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.writer.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(emulator.ledger).toHaveLength(2);
  });

  it('counts the project’s limit across its keys', async () => {
    const projectLimits = { rpm: 1, tpm: null, budget: null };
    const one = { ...clientPrincipal({}, 'project-shared'), projectLimits };
    const other = { ...clientPrincipal({}, 'project-shared'), projectLimits };
    expect((await chatOn(instance.core, one, ask({ max_tokens: 5 }))).writer.kind).toBe('json');
    const refused = await chatOn(instance.core, other, ask({ max_tokens: 5 }));
    expect(refused.writer.failure?.code).toBe('rate_limit_exceeded');
  });

  it('corrects the tokens per minute with the actual usage at settle', async () => {
    const principal = clientPrincipal({ tpm: 2_000 });
    // Estimated ~1 000 + prompt, used ~10: the second request of 1 000 fits only after the correction.
    for (let index = 0; index < 3; index += 1) {
      const { writer } = await chatOn(instance.core, principal, ask({ max_tokens: 1_000 }));
      expect(writer.kind).toBe('json');
    }
  });
});

describe('the queue', () => {
  it('makes a request over max_concurrency wait for a place, and records the wait', async () => {
    emulator.addFault({ delayBeforeHeadersMs: 150, times: 1 });
    const principal = clientPrincipal({ maxConcurrency: 1 });
    const [first, second] = await Promise.all([
      chatOn(instance.core, principal, ask({ max_tokens: 5 })),
      chatOn(instance.core, principal, ask({ max_tokens: 5 })),
    ]);
    expect(first.writer.kind).toBe('json');
    expect(second.writer.kind).toBe('json');
    await instance.core.ledger.flush();
    const ledger = instance.core.ledgerRepository;
    if (ledger === null) throw new Error('expected a ledger');
    const rows = await Promise.all([first, second].map((chat) => ledger.getRequest(chat.id)));
    const waits = rows.map((row) => row?.queueWaitMs ?? null);
    expect(waits.filter((wait) => wait === null)).toHaveLength(1);
    expect(Math.max(...waits.map((wait) => wait ?? 0))).toBeGreaterThanOrEqual(100);
  });

  it('refuses after the max wait, and at once when the queue is full', async () => {
    emulator.addFault({ delayBeforeHeadersMs: 1_000, times: 1 });
    const principal = clientPrincipal({ maxConcurrency: 1 });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => chatOn(instance.core, principal, ask({ max_tokens: 5 }))),
    );
    const codes = results.map((result) => result.writer.failure?.code ?? 'ok');
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes.filter((code) => code === 'rate_limit_exceeded')).toHaveLength(3);
    const messages = results.map((result) => result.writer.failure?.message ?? '');
    expect(messages.filter((message) => message.includes('waited 300 ms'))).toHaveLength(2);
    expect(
      messages.filter((message) => message.includes('Too many requests waiting')),
    ).toHaveLength(1);
  });

  it('lets a client that disconnects leave the queue: nothing is sent for it', async () => {
    emulator.addFault({ delayBeforeHeadersMs: 200, times: 1 });
    const principal = clientPrincipal({ maxConcurrency: 1 });
    const leaving = new AbortController();
    const running = chatOn(instance.core, principal, ask({ max_tokens: 5 }));
    const queued = chatOn(instance.core, principal, ask({ max_tokens: 5 }), leaving);
    setTimeout(() => {
      leaving.abort(new SignalboxError('client_closed_request', 'The client went away.'));
    }, 50);
    const [done, left] = await Promise.all([running, queued]);
    expect(done.writer.kind).toBe('json');
    expect(left.writer.failure?.code).toBe('client_closed_request');
    expect(emulator.ledger).toHaveLength(1);
  });
});

describe('the master key', () => {
  it('carries no limit headers and reserves nothing', async () => {
    const { writer } = await chatOn(instance.core, MASTER_PRINCIPAL, ask());
    expect(writer.kind).toBe('json');
    expect(Object.keys(writer.headers).filter((name) => name.startsWith('x-ratelimit'))).toEqual(
      [],
    );
    expect(writer.headers['x-signalbox-max-tokens-capped']).toBeUndefined();
  });
});
