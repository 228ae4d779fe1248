import { describe, expect, it } from 'vitest';
import type { AttemptObservation, CircuitTransition } from './health-registry.ts';
import { createMemoryHealthRegistry } from './memory-health-registry.ts';

const SECOND = 1_000;

/** A registry on a fake clock, with every transition collected. */
function setup(options: Parameters<typeof createMemoryHealthRegistry>[0] = {}) {
  const clock = { now: 1_000_000 };
  const transitions: CircuitTransition[] = [];
  const registry = createMemoryHealthRegistry({
    now: () => clock.now,
    onTransition: (transition) => transitions.push(transition),
    ...options,
  });
  function record(status: string, overrides: Partial<AttemptObservation> = {}): void {
    registry.record({
      provider: 'openrouter',
      model: 'openai/gpt-4o',
      status,
      upstreamStatus: status === 'success' ? 200 : 503,
      latencyMs: 100,
      ttftMs: null,
      at: clock.now,
      ...overrides,
    });
  }
  const permit = (model = 'openai/gpt-4o', provider = 'openrouter') =>
    registry.permit(provider, model);
  const state = (model = 'openai/gpt-4o', provider = 'openrouter') =>
    registry.get(provider, model)?.state;
  const moves = () => transitions.map((t) => `${t.model}:${t.from}→${t.to}:${t.reason}`);
  return { clock, registry, transitions, record, permit, state, moves };
}

describe('memory health registry: consecutive failures and cooldown', () => {
  it('opens after 3 consecutive retryable failures and skips the target for 30 s', () => {
    const { clock, record, permit, state, registry } = setup();
    record('upstream_unavailable');
    record('rate_limited');
    expect(state()).toBe('closed');
    expect(permit()).toEqual({ decision: 'allow' });
    record('upstream_timeout', { upstreamStatus: null });
    expect(state()).toBe('open');
    const openedAt = clock.now;
    expect(permit()).toEqual({
      decision: 'skip',
      reason: 'circuit_open',
      retryAtMs: openedAt + 30 * SECOND,
    });
    // Other models of the provider are not affected.
    expect(permit('anthropic/claude-sonnet-4.5')).toEqual({ decision: 'allow' });
    clock.now = openedAt + 30 * SECOND - 1;
    expect(permit().decision).toBe('skip');
    expect(registry.get('openrouter', 'openai/gpt-4o')).toMatchObject({
      consecutiveFailures: 3,
      requests: 3,
      errors: 3,
      errorRate: 1,
      trips: 1,
      cooldownMs: 30 * SECOND,
      openUntil: openedAt + 30 * SECOND,
      lastError: 'upstream_timeout',
    });
  });

  it('resets the consecutive count on a success', () => {
    const { record, state, registry } = setup();
    record('upstream_error');
    record('upstream_error');
    record('success');
    record('upstream_error');
    record('upstream_error');
    expect(state()).toBe('closed');
    expect(registry.get('openrouter', 'openai/gpt-4o')?.consecutiveFailures).toBe(2);
  });

  it('hands out one half-open probe; a success closes and resets the cooldown', () => {
    const { clock, record, permit, state, moves } = setup();
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    clock.now += 30 * SECOND;
    const probe = permit();
    expect(probe.decision).toBe('probe');
    expect(state()).toBe('half_open');
    // While the probe is in flight everyone else skips.
    expect(permit()).toEqual({
      decision: 'skip',
      reason: 'circuit_open',
      retryAtMs: clock.now + 30 * SECOND,
    });
    clock.now += 2 * SECOND;
    record('success');
    expect(state()).toBe('closed');
    expect(permit()).toEqual({ decision: 'allow' });
    expect(moves()).toEqual([
      'openai/gpt-4o:closed→open:consecutive_failures',
      'openai/gpt-4o:open→half_open:cooldown_elapsed',
      'openai/gpt-4o:half_open→closed:probe_succeeded',
    ]);
    // The next trip starts again from the base cooldown.
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    const reopened = permit();
    expect(reopened).toEqual({
      decision: 'skip',
      reason: 'circuit_open',
      retryAtMs: clock.now + 30 * SECOND,
    });
  });

  it('re-opens on a failed probe with the cooldown doubled up to the 5-minute cap', () => {
    const { clock, record, permit, registry } = setup();
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    const cooldowns = [registry.get('openrouter', 'openai/gpt-4o')?.cooldownMs];
    for (let trip = 0; trip < 6; trip += 1) {
      const health = registry.get('openrouter', 'openai/gpt-4o');
      clock.now = health?.openUntil ?? Number.NaN;
      expect(permit().decision).toBe('probe');
      record('upstream_error');
      const after = registry.get('openrouter', 'openai/gpt-4o');
      expect(after?.state).toBe('open');
      expect(after?.openUntil).toBe(clock.now + (after?.cooldownMs ?? 0));
      cooldowns.push(after?.cooldownMs);
    }
    expect(cooldowns).toEqual([30, 60, 120, 240, 300, 300, 300].map((s) => s * SECOND));
    expect(registry.get('openrouter', 'openai/gpt-4o')?.trips).toBe(7);
  });

  it('gives the probe to another caller when it is released or lost', () => {
    const { clock, record, permit } = setup({ probeTimeoutMs: 10 * SECOND });
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    clock.now += 30 * SECOND;
    const first = permit();
    if (first.decision !== 'probe') throw new Error('expected a probe');
    first.release();
    first.release();
    const second = permit();
    expect(second.decision).toBe('probe');
    expect(permit().decision).toBe('skip');
    // The second probe never reports back: after the probe timeout a third caller may probe.
    clock.now += 10 * SECOND;
    expect(permit().decision).toBe('probe');
  });

  it('releases the probe when its attempt ends with an ignored outcome', () => {
    const { clock, record, permit, state } = setup();
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    clock.now += 30 * SECOND;
    expect(permit().decision).toBe('probe');
    record('client_closed_request', { upstreamStatus: null });
    expect(state()).toBe('half_open');
    expect(permit().decision).toBe('probe');
  });
});

describe('memory health registry: error rate and statistics', () => {
  it('opens when at least half of 10+ attempts in the window failed', () => {
    const { record, state, registry, moves } = setup();
    // Alternating outcomes never make 3 consecutive failures.
    for (let index = 0; index < 4; index += 1) {
      record('upstream_error');
      record('success');
    }
    record('upstream_error');
    expect(state()).toBe('closed'); // 5 of 9: below the 10-request minimum
    record('success');
    expect(state()).toBe('closed'); // a success never trips
    record('upstream_error');
    expect(state()).toBe('open'); // 6 of 11
    expect(moves()).toEqual(['openai/gpt-4o:closed→open:error_rate']);
    expect(registry.get('openrouter', 'openai/gpt-4o')?.errorRate).toBeCloseTo(6 / 11);
  });

  it('forgets failures that left the 60 s window', () => {
    const { clock, record, state } = setup();
    for (let index = 0; index < 5; index += 1) {
      record('upstream_error');
      record('success');
    }
    clock.now += 65 * SECOND;
    for (let index = 0; index < 4; index += 1) {
      record('upstream_error');
      record('success');
    }
    expect(state()).toBe('closed');
  });

  it('keeps EWMAs of latency and time to first token over successes only (alpha 0.2)', () => {
    const { record, registry } = setup();
    record('success', { latencyMs: 100, ttftMs: 40 });
    record('success', { latencyMs: 200, ttftMs: null });
    record('upstream_error', { latencyMs: 9_000, ttftMs: 9_000 });
    record('success', { latencyMs: 120, ttftMs: 60 });
    const health = registry.get('openrouter', 'openai/gpt-4o');
    // 100 → 100 + 0.2·(200 − 100) = 120 → 120 + 0.2·(120 − 120) = 120
    expect(health?.latencyEwmaMs).toBeCloseTo(120);
    // 40 → (no sample) → 40 + 0.2·(60 − 40) = 44
    expect(health?.ttftEwmaMs).toBeCloseTo(44);
    expect(health).toMatchObject({ requests: 4, errors: 1, errorRate: 0.25 });
  });
});

describe('memory health registry: what never trips it', () => {
  it.each([
    'invalid_request',
    'model_not_found',
    'request_too_large',
    'upstream_invalid_request',
    'upstream_content_filtered',
    'client_closed_request',
    'internal_error',
    'deadline_exceeded',
    'a_code_added_later',
  ])('%s', (status) => {
    const { record, permit, registry, transitions } = setup();
    for (let index = 0; index < 20; index += 1) record(status, { upstreamStatus: 400 });
    expect(permit()).toEqual({ decision: 'allow' });
    expect(transitions).toEqual([]);
    expect(registry.get('openrouter', 'openai/gpt-4o')).toBeUndefined();
  });
});

describe('memory health registry: provider-wide cooldown', () => {
  it.each(['upstream_insufficient_credits', 'upstream_auth_failed'])(
    '%s cools every model of the provider down at once, announced once',
    (code) => {
      const { clock, record, permit, registry, moves } = setup();
      record(code, { upstreamStatus: code === 'upstream_auth_failed' ? 401 : 402 });
      // Attempts already in flight report the same failure: no second announcement.
      record(code, { model: 'anthropic/claude-sonnet-4.5' });
      const expected = {
        decision: 'skip',
        reason: 'provider_cooldown',
        retryAtMs: clock.now + 30 * SECOND,
      };
      expect(permit()).toEqual(expected);
      expect(permit('anthropic/claude-sonnet-4.5')).toEqual(expected);
      expect(permit('a-model-never-seen')).toEqual(expected);
      expect(permit('openai/gpt-4o', 'anthropic')).toEqual({ decision: 'allow' });
      expect(moves()).toEqual(['*:closed→open:provider_failure']);
      expect(registry.providers()).toEqual([
        {
          provider: 'openrouter',
          state: 'open',
          providerState: 'open',
          openTargets: 1,
          openUntil: clock.now + 30 * SECOND,
        },
      ]);
      // The model targets themselves stay closed: the account, not the model, was at fault.
      expect(registry.get('openrouter', 'openai/gpt-4o')?.state).toBe('closed');
    },
  );

  it('probes the provider once after the cooldown; a failure doubles it, a success closes it', () => {
    const { clock, record, permit, registry, moves } = setup();
    record('upstream_insufficient_credits', { upstreamStatus: 402 });
    clock.now += 30 * SECOND;
    expect(permit('model-a').decision).toBe('probe');
    expect(permit('model-b')).toMatchObject({ decision: 'skip', reason: 'provider_cooldown' });
    record('upstream_insufficient_credits', { model: 'model-a', upstreamStatus: 402 });
    expect(registry.get('openrouter', '*')?.cooldownMs).toBe(60 * SECOND);
    clock.now += 60 * SECOND;
    expect(permit('model-b').decision).toBe('probe');
    record('success', { model: 'model-b' });
    expect(permit('model-a')).toEqual({ decision: 'allow' });
    expect(moves()).toEqual([
      '*:closed→open:provider_failure',
      '*:open→half_open:cooldown_elapsed',
      '*:half_open→open:probe_failed',
      '*:open→half_open:cooldown_elapsed',
      '*:half_open→closed:probe_succeeded',
    ]);
  });

  it('a retryable failure on the provider probe leaves it half-open for the next caller', () => {
    const { clock, record, permit, registry } = setup();
    record('upstream_auth_failed', { upstreamStatus: 401 });
    clock.now += 30 * SECOND;
    expect(permit('model-a').decision).toBe('probe');
    record('upstream_unavailable', { model: 'model-a' });
    expect(registry.get('openrouter', '*')?.state).toBe('half_open');
    expect(permit('model-b').decision).toBe('probe');
  });

  it('needs both probes when the provider and the model are half-open', () => {
    const { clock, record, permit, registry } = setup();
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    record('upstream_auth_failed', { upstreamStatus: 401, model: 'other' });
    clock.now += 30 * SECOND;
    const probe = permit();
    expect(probe.decision).toBe('probe');
    expect(permit('other')).toMatchObject({ decision: 'skip', reason: 'provider_cooldown' });
    record('success');
    expect(registry.get('openrouter', '*')?.state).toBe('closed');
    expect(registry.get('openrouter', 'openai/gpt-4o')?.state).toBe('closed');
  });
});

describe('memory health registry: transitions, snapshots and mirroring', () => {
  it('fires each transition once, with its cause and cooldown, and survives a throwing listener', () => {
    const transitions: CircuitTransition[] = [];
    let time = 0;
    const registry = createMemoryHealthRegistry({
      now: () => time,
      onTransition(transition) {
        transitions.push(transition);
        throw new Error('listener bug');
      },
    });
    const failure = {
      provider: 'p',
      model: 'm',
      status: 'upstream_error',
      upstreamStatus: 502,
      latencyMs: 5,
      ttftMs: null,
      at: 0,
    };
    for (let index = 0; index < 10; index += 1) registry.record(failure);
    for (let index = 0; index < 10; index += 1) registry.permit('p', 'm');
    expect(transitions).toEqual([
      {
        provider: 'p',
        model: 'm',
        from: 'closed',
        to: 'open',
        reason: 'consecutive_failures',
        code: 'upstream_error',
        cooldownMs: 30_000,
        openUntil: 30_000,
        trips: 1,
        at: 0,
      },
    ]);
    time = 30_000;
    registry.snapshot();
    registry.get('p', 'm');
    registry.providers();
    expect(transitions.map((t) => t.to)).toEqual(['open', 'half_open']);
  });

  it('lists every target and each provider with its worst state', () => {
    const { clock, record, registry } = setup();
    record('success', { provider: 'anthropic', model: 'claude' });
    for (let index = 0; index < 3; index += 1) record('upstream_error');
    expect(registry.snapshot().map((t) => `${t.provider}/${t.model}:${t.state}`)).toEqual([
      'anthropic/*:closed',
      'anthropic/claude:closed',
      'openrouter/*:closed',
      'openrouter/openai/gpt-4o:open',
    ]);
    clock.now += 30 * SECOND;
    expect(registry.providers()).toEqual([
      {
        provider: 'anthropic',
        state: 'closed',
        providerState: 'closed',
        openTargets: 0,
        openUntil: null,
      },
      {
        provider: 'openrouter',
        state: 'half_open',
        providerState: 'closed',
        openTargets: 1,
        openUntil: clock.now,
      },
    ]);
    expect(registry.degraded).toBe(false);
  });

  it('mirrors a remote trip and a remote close', () => {
    const { clock, registry, permit, moves } = setup();
    const openUntil = clock.now + 60 * SECOND;
    registry.applyRemoteOpen('openrouter', 'openai/gpt-4o', {
      openUntil,
      cooldownMs: 60 * SECOND,
      trips: 2,
      code: 'upstream_error',
    });
    // A shorter or repeated remote cooldown changes nothing and announces nothing.
    registry.applyRemoteOpen('openrouter', 'openai/gpt-4o', {
      openUntil: openUntil - 1,
      cooldownMs: 30 * SECOND,
      trips: 1,
      code: 'upstream_error',
    });
    expect(permit()).toEqual({ decision: 'skip', reason: 'circuit_open', retryAtMs: openUntil });
    expect(registry.get('openrouter', 'openai/gpt-4o')).toMatchObject({
      trips: 2,
      cooldownMs: 60 * SECOND,
    });
    registry.applyRemoteClose('openrouter', 'openai/gpt-4o');
    registry.applyRemoteClose('openrouter', 'never-seen');
    expect(permit()).toEqual({ decision: 'allow' });
    expect(moves()).toEqual([
      'openai/gpt-4o:closed→open:remote',
      'openai/gpt-4o:open→closed:remote',
    ]);
  });

  it('rejects impossible options', () => {
    expect(() => createMemoryHealthRegistry({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => createMemoryHealthRegistry({ errorRateThreshold: 1.5 })).toThrow(RangeError);
    expect(() => createMemoryHealthRegistry({ cooldownMs: 10, maxCooldownMs: 5 })).toThrow(
      RangeError,
    );
    expect(() => createMemoryHealthRegistry({ ewmaAlpha: 0 })).toThrow(RangeError);
  });
});
