/**
 * Honest degradation: with Redis unreachable, rate limits fail open (the request is served and
 * says `x-signalbox-degraded`), budgets fail closed (503 `limits_unavailable`), one warning per
 * control and transition, and `/health/ready` reports the limits store unreachable.
 * Nothing listens on port 18201 (this suite's reserved range).
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  chatOn,
  clientPrincipal,
  startLimitsInstance,
  type LimitsInstance,
} from '../helpers/limits-gateway.ts';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

const DEAD_REDIS = 'redis://127.0.0.1:18201/0';
const ask = {
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello' }],
  max_tokens: 5,
};

describe('limits with Redis unreachable', () => {
  let emulator: Emulator;
  let instance: LimitsInstance;
  let origin: string;

  beforeAll(async () => {
    emulator = createEmulator();
    origin = await emulator.listen({ port: 0 });
    instance = await startLimitsInstance(origin, {
      SIGNALBOX_REDIS_URL: DEAD_REDIS,
    });
  });

  afterAll(async () => {
    await instance.close();
    await emulator.close();
  });

  it('serves rate-limited keys without their limits, and says so on the response', async () => {
    const principal = clientPrincipal({ rpm: 1, maxConcurrency: 1 });
    for (let index = 0; index < 3; index += 1) {
      const { writer } = await chatOn(instance.core, principal, ask);
      expect(writer.kind).toBe('json');
      expect(writer.headers['x-signalbox-degraded']).toBe('concurrency, rate_limits');
    }
    const warnings = instance.logs.filter((line) =>
      line.msg.startsWith('limits store unreachable'),
    );
    expect(warnings.map((line) => line.msg).sort()).toEqual([
      'limits store unreachable: concurrency fail open',
      'limits store unreachable: rate_limits fail open',
    ]);
  });

  it('refuses keys with a budget: 503 limits_unavailable, nothing sent upstream', async () => {
    emulator.clearLedger();
    const principal = clientPrincipal({ budget: { limitNanoUsd: 1_000_000_000n, period: 'day' } });
    const { writer } = await chatOn(instance.core, principal, ask);
    expect(writer.failure?.code).toBe('limits_unavailable');
    expect(writer.failure?.status).toBe(503);
    expect(emulator.ledger).toHaveLength(0);
    expect(instance.core.limits.status()).toEqual({
      shared: true,
      reachable: false,
      degraded: ['rate_limits', 'concurrency', 'budgets'],
    });
  });

  it('serves keys with a budget when budgets are configured to fail open', async () => {
    const open = await startLimitsInstance(origin, {
      SIGNALBOX_REDIS_URL: DEAD_REDIS,
      SIGNALBOX_LIMITS_ON_STORE_FAILURE: 'open',
    });
    try {
      const principal = clientPrincipal({ budget: { limitNanoUsd: 1n, period: 'total' } });
      const { writer } = await chatOn(open.core, principal, ask);
      expect(writer.kind).toBe('json');
      expect(writer.headers['x-signalbox-degraded']).toBe('budgets');
    } finally {
      await open.close();
    }
  });
});

describe('/health/ready with the limits store unreachable', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ SIGNALBOX_REDIS_URL: DEAD_REDIS });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('is degraded and names the limits store unreachable', async () => {
    const response = await request(`${gateway.url}/health/ready`);
    const body = (await response.body.json()) as {
      status: string;
      limits: { shared: boolean; reachable: boolean };
    };
    expect(response.statusCode).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.limits).toMatchObject({ shared: true, reachable: false });
  });
});
