// The Redis health registry against a real Redis: set SIGNALBOX_TEST_REDIS_URL
// (e.g. redis://127.0.0.1:6379/3; .ci/run always sets it). Every test uses its own key prefix.
import { randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AttemptObservation, CircuitTransition } from './health-registry.ts';
import {
  createRedisHealthRegistry,
  type RedisHealthRegistry,
  type RedisHealthRegistryOptions,
} from './redis-health-registry.ts';

const redisUrl = process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
if (redisUrl === null) {
  console.warn(
    'redis-health-registry.test.ts: SIGNALBOX_TEST_REDIS_URL is not set, so the Redis health ' +
      'registry tests were NOT run.',
  );
}

const open: RedisHealthRegistry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((registry) => registry.close()));
});

/** Every key of this run starts with it; afterAll deletes them. */
const runPrefix = `signalbox-test:${randomUUID()}`;
const newPrefix = () => `${runPrefix}:${randomUUID()}`;
afterAll(async () => {
  if (redisUrl === null) return;
  const admin = new Redis(redisUrl);
  const keys = await admin.keys(`${runPrefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

/** A registry on its own prefix, closed after the test. */
function registry(
  prefix: string,
  options: Partial<RedisHealthRegistryOptions> = {},
): RedisHealthRegistry {
  const created = createRedisHealthRegistry({
    redis: redisUrl ?? '',
    keyPrefix: prefix,
    cooldownMs: 400,
    maxCooldownMs: 60_000,
    probeTimeoutMs: 10_000,
    ...options,
  });
  open.push(created);
  return created;
}

function failure(status = 'upstream_unavailable', model = 'openai/gpt-4o'): AttemptObservation {
  return {
    provider: 'openrouter',
    model,
    status,
    upstreamStatus: 503,
    latencyMs: 10,
    ttftMs: null,
    at: Date.now(),
  };
}

/** Polls `check` every 5 ms until it returns true or `timeoutMs` passes; returns the wait, ms. */
async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

const connected = (...registries: RedisHealthRegistry[]) =>
  waitFor(() => registries.every((r) => !r.degraded));

describe.runIf(redisUrl !== null)('redis health registry (real Redis)', () => {
  it('shares a trip with another instance through pub/sub, without waiting for a reconcile', async () => {
    const prefix = newPrefix();
    const transitions: CircuitTransition[] = [];
    const a = registry(prefix, { reconcileIntervalMs: 60_000 });
    const b = registry(prefix, {
      reconcileIntervalMs: 60_000,
      onTransition: (t) => transitions.push(t),
    });
    await connected(a, b);
    for (let index = 0; index < 3; index += 1) a.record(failure());
    expect(a.permit('openrouter', 'openai/gpt-4o').decision).toBe('skip');
    const waited = await waitFor(() => b.permit('openrouter', 'openai/gpt-4o').decision === 'skip');
    console.info(
      `redis health registry: trip mirrored by the second instance in ${waited.toFixed(1)} ms`,
    );
    expect(b.permit('openrouter', 'openai/gpt-4o')).toMatchObject({ reason: 'circuit_open' });
    expect(b.permit('openrouter', 'another-model').decision).toBe('allow');
    expect(transitions.map((t) => `${t.from}→${t.to}:${t.reason}:${t.code}`)).toEqual([
      'closed→open:remote:upstream_unavailable',
    ]);
    expect(b.get('openrouter', 'openai/gpt-4o')).toMatchObject({ trips: 1, cooldownMs: 400 });
  });

  it('lets exactly one instance probe after the cooldown; its success closes both', async () => {
    const prefix = newPrefix();
    const a = registry(prefix, { probeClaimRetryMs: 50 });
    const b = registry(prefix, { probeClaimRetryMs: 50 });
    await connected(a, b);
    for (let index = 0; index < 3; index += 1) a.record(failure());
    await waitFor(() => b.get('openrouter', 'openai/gpt-4o')?.state === 'open');
    await waitFor(() => a.get('openrouter', 'openai/gpt-4o')?.state === 'half_open');
    const probes = { a: 0, b: 0 };
    const started = performance.now();
    while (performance.now() - started < 500) {
      if (a.permit('openrouter', 'openai/gpt-4o').decision === 'probe') probes.a += 1;
      if (b.permit('openrouter', 'openai/gpt-4o').decision === 'probe') probes.b += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(probes.a + probes.b).toBe(1);
    const [winner, loser] = probes.a === 1 ? [a, b] : [b, a];
    winner.record({ ...failure('success'), upstreamStatus: 200 });
    expect(winner.permit('openrouter', 'openai/gpt-4o').decision).toBe('allow');
    await waitFor(() => loser.permit('openrouter', 'openai/gpt-4o').decision === 'allow');
    expect(loser.get('openrouter', 'openai/gpt-4o')?.state).toBe('closed');
  });

  it('shares a failed probe, so the doubled cooldown holds on every instance', async () => {
    const prefix = newPrefix();
    const a = registry(prefix, { probeClaimRetryMs: 50 });
    const b = registry(prefix, { probeClaimRetryMs: 50 });
    await connected(a, b);
    for (let index = 0; index < 3; index += 1) a.record(failure());
    await waitFor(() => b.get('openrouter', 'openai/gpt-4o')?.state === 'open');
    await waitFor(() => a.permit('openrouter', 'openai/gpt-4o').decision === 'probe');
    a.record(failure());
    await waitFor(() => b.get('openrouter', 'openai/gpt-4o')?.trips === 2);
    expect(b.get('openrouter', 'openai/gpt-4o')).toMatchObject({ state: 'open', cooldownMs: 800 });
  });

  it('cools the whole provider down on every instance after a 402', async () => {
    const prefix = newPrefix();
    const a = registry(prefix, { cooldownMs: 30_000 });
    const b = registry(prefix, { cooldownMs: 30_000 });
    await connected(a, b);
    a.record({ ...failure('upstream_insufficient_credits'), upstreamStatus: 402 });
    await waitFor(() => b.permit('openrouter', 'any/model').decision === 'skip');
    expect(b.permit('openrouter', 'any/model')).toMatchObject({ reason: 'provider_cooldown' });
    expect(b.providers()).toMatchObject([{ provider: 'openrouter', providerState: 'open' }]);
  });

  it('gives an instance started later the cooldowns in force (reconcile)', async () => {
    const prefix = newPrefix();
    const a = registry(prefix, { cooldownMs: 30_000 });
    await connected(a);
    for (let index = 0; index < 3; index += 1) a.record(failure('upstream_error', 'a:b/c'));
    // Let the write land before the newcomer connects.
    await waitFor(() => a.get('openrouter', 'a:b/c')?.state === 'open');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = registry(prefix, { reconcileIntervalMs: 60_000 });
    await connected(late);
    await late.reconcile();
    const permit = late.permit('openrouter', 'a:b/c');
    expect(permit).toMatchObject({ decision: 'skip', reason: 'circuit_open' });
    const retryAt = permit.decision === 'skip' ? permit.retryAtMs : 0;
    expect(retryAt).toBeGreaterThan(Date.now() + 29_000);
    expect(late.get('openrouter', 'a:b/c')).toMatchObject({
      trips: 1,
      lastError: 'upstream_error',
    });
  });

  it('keeps the client it was given open, and ignores malformed messages', async () => {
    const prefix = newPrefix();
    const client = new Redis(redisUrl ?? '');
    const a = registry(prefix, { redis: client });
    await connected(a);
    await client.publish(`${prefix}:events`, 'not json');
    await client.publish(`${prefix}:events`, JSON.stringify({ v: 1, type: 'open' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.snapshot()).toEqual([]);
    await a.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});

describe('redis health registry without Redis', () => {
  it('falls back to local state, says it is degraded and warns once', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const transitions: string[] = [];
    const lone = createRedisHealthRegistry({
      redis: `redis://127.0.0.1:${port}`,
      cooldownMs: 1_000,
      logger: { warn: (_obj, msg) => warnings.push(msg), info: () => undefined },
      onTransition: (t) => transitions.push(`${t.from}→${t.to}`),
    });
    open.push(lone);
    expect(lone.degraded).toBe(true);
    for (let index = 0; index < 3; index += 1) lone.record(failure());
    expect(lone.permit('openrouter', 'openai/gpt-4o')).toMatchObject({ reason: 'circuit_open' });
    await lone.reconcile(); // a no-op while disconnected, never a rejection
    // ioredis retries the connection every 50–2000 ms; each failure must not warn again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(warnings).toEqual([
      'health registry: Redis unreachable; cooldowns are per instance until it is back',
    ]);
    expect(transitions).toEqual(['closed→open']);
    const started = performance.now();
    await lone.close();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe.runIf(redisUrl !== null)('redis health registry across a Redis outage', () => {
  it('warns once, keeps deciding locally, and shares its trips when Redis is back', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startProxy(Number(target.port || 6379), target.hostname);
    const url = new URL(redisUrl ?? '');
    url.port = String(proxy.port);
    const prefix = newPrefix();
    const logs: string[] = [];
    const logger = {
      warn: (_obj: object, msg: string) => logs.push(`warn: ${msg}`),
      info: (_obj: object, msg: string) => logs.push(`info: ${msg}`),
    };
    const flaky = registry(prefix, { redis: url.toString(), logger, cooldownMs: 30_000 });
    const steady = registry(prefix, { reconcileIntervalMs: 60_000, cooldownMs: 30_000 });
    await connected(flaky, steady);

    proxy.cut();
    await waitFor(() => flaky.degraded);
    for (let index = 0; index < 3; index += 1) flaky.record(failure());
    expect(flaky.permit('openrouter', 'openai/gpt-4o').decision).toBe('skip');
    expect(steady.permit('openrouter', 'openai/gpt-4o').decision).toBe('allow');

    proxy.resume();
    await waitFor(() => !flaky.degraded, 5_000);
    await waitFor(() => steady.permit('openrouter', 'openai/gpt-4o').decision === 'skip');
    expect(logs).toEqual([
      'warn: health registry: Redis unreachable; cooldowns are per instance until it is back',
      'info: health registry: Redis reachable again',
    ]);
    await flaky.close();
    await proxy.close();
  });
});

describe.runIf(redisUrl !== null)('redis health registry started while Redis is down', () => {
  it('joins the others once Redis answers, however long that took', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startProxy(Number(target.port || 6379), target.hostname);
    proxy.cut();
    const url = new URL(redisUrl ?? '');
    url.port = String(proxy.port);
    const prefix = newPrefix();
    const late = registry(prefix, { redis: url.toString(), reconcileIntervalMs: 60_000 });
    const steady = registry(prefix, { cooldownMs: 30_000 });
    await connected(steady);
    // Longer than the 2 s command timeout: a subscription queued at start would have failed.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(late.degraded).toBe(true);
    proxy.resume();
    await waitFor(() => !late.degraded, 5_000);
    for (let index = 0; index < 3; index += 1) steady.record(failure());
    await waitFor(() => late.permit('openrouter', 'openai/gpt-4o').decision === 'skip');
    await late.close();
    await proxy.close();
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP proxy to Redis whose connections can be cut (and refused) and then allowed again. */
async function startProxy(port: number, host: string) {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server: Server = createServer((socket) => {
    if (refusing) {
      socket.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(port, host);
    for (const [from, to] of [
      [socket, upstream],
      [upstream, socket],
    ] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    resume() {
      refusing = false;
    },
    close() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
