/**
 * Credit-aware routing and readiness through the whole gateway: a provider that refuses the
 * account (a direct provider's 401, OpenRouter's 402) is cooled down for every model at once,
 * requests go to the next provider that can serve each model, the cooldown is logged once (not
 * per request), and `/health/ready` says `degraded` (HTTP 200) listing each provider's circuit —
 * `not_ready` (503) only once no provider can serve anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  readiness,
  report,
  runConcurrently,
  startFaultBench,
  upstreamAttempts,
  warmUp,
  type FaultBench,
  type ReadyBody,
} from '../helpers/fault-bench.ts';

let bench: FaultBench;

beforeAll(async () => {
  bench = await startFaultBench({}, { openai: true });
  await warmUp(bench);
});

afterAll(async () => {
  await bench.close();
});

function circuits(body: ReadyBody): Record<string, string> {
  return Object.fromEntries(body.providers.map((entry) => [entry.id, entry.provider_circuit]));
}

function cooldownWarnings(provider: string): number {
  return bench.logs.filter(
    (line) => line.msg === 'circuit opened: cooling down' && line.provider === provider,
  ).length;
}

describe('credit-aware routing', () => {
  it('starts ready with every circuit closed', async () => {
    const { status, body } = await readiness(bench.url);
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(circuits(body)).toEqual({ openrouter: 'closed', anthropic: 'closed', openai: 'closed' });
  });

  it('a direct provider answering 401 is cooled down for all its models; OpenRouter serves them', async () => {
    bench.emulator.addFault({ match: { model: 'claude-sonnet-4-5' }, status: 401, times: 0 });
    const first = await chat(bench.url, { model: 'anthropic/claude-sonnet-4.5' });
    expect(first.status).toBe(200);
    expect(first.headers['x-signalbox-provider']).toBe('openrouter');
    // Haiku was never refused, but the account is: it goes to OpenRouter without trying Anthropic.
    const models = ['anthropic/claude-sonnet-4.5', 'anthropic/claude-haiku-4.5'];
    const answers = await runConcurrently(60, 10, (index) =>
      chat(bench.url, { model: models[index % 2] }),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.every((answer) => answer.headers['x-signalbox-provider'] === 'openrouter')).toBe(
      true,
    );
    const byDialect = upstreamAttempts(bench.emulator);
    report('credit-aware routing: Anthropic 401', {
      requests: 61,
      anthropicAttempts: byDialect.anthropic ?? 0,
      openrouterAttempts: byDialect.openrouter ?? 0,
      cooldownWarnings: cooldownWarnings('anthropic'),
    });
    expect(byDialect.anthropic).toBe(1);
    expect(cooldownWarnings('anthropic')).toBe(1);
    const warning = bench.logs.find(
      (line) => line.msg === 'circuit opened: cooling down' && line.provider === 'anthropic',
    );
    expect(warning).toMatchObject({ model: '*', code: 'upstream_auth_failed', level: 40 });
  });

  it('readiness says degraded (200) and lists the cooling provider', async () => {
    const { status, body } = await readiness(bench.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(circuits(body)).toEqual({ openrouter: 'closed', anthropic: 'open', openai: 'closed' });
    const anthropic = body.providers.find((entry) => entry.id === 'anthropic');
    expect(anthropic?.circuit).toBe('open');
    expect(Date.parse(anthropic?.open_until ?? '')).toBeGreaterThan(Date.now());
  });

  it('OpenRouter answering 402 is cooled down for every model; the direct provider serves them', async () => {
    bench.emulator.clearLedger();
    bench.emulator.addFault({ match: { model: 'openai/gpt-4o' }, status: 402, times: 0 });
    const order = { order: ['openrouter', 'openai'] };
    const first = await chat(bench.url, { model: 'openai/gpt-4o', provider: order });
    expect(first.status).toBe(200);
    expect(first.headers['x-signalbox-provider']).toBe('openai');
    const models = ['openai/gpt-4o', 'openai/gpt-4o-mini'];
    const answers = await runConcurrently(60, 10, (index) =>
      chat(bench.url, { model: models[index % 2], provider: order }),
    );
    expect(answers.every((answer) => answer.headers['x-signalbox-provider'] === 'openai')).toBe(
      true,
    );
    const byDialect = upstreamAttempts(bench.emulator);
    report('credit-aware routing: OpenRouter 402', {
      requests: 61,
      openrouterAttempts: byDialect.openrouter ?? 0,
      openaiAttempts: byDialect.openai ?? 0,
      cooldownWarnings: cooldownWarnings('openrouter'),
    });
    expect(byDialect.openrouter).toBe(1);
    expect(byDialect.openai).toBe(61);
    expect(cooldownWarnings('openrouter')).toBe(1);
    const { status, body } = await readiness(bench.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(circuits(body)).toEqual({ openrouter: 'open', anthropic: 'open', openai: 'closed' });
  });

  it('readiness says not_ready (503) once no provider can serve anything', async () => {
    bench.emulator.addFault({ match: { model: 'gpt-4o' }, status: 401, times: 0 });
    await chat(bench.url, { model: 'openai/gpt-4o' });
    const { status, body } = await readiness(bench.url);
    expect(status).toBe(503);
    expect(body.status).toBe('not_ready');
    expect(circuits(body)).toEqual({ openrouter: 'open', anthropic: 'open', openai: 'open' });
    expect(cooldownWarnings('openai')).toBe(1);
  });
});
