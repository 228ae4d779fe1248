// The virtual-key resolver over an in-memory key table: a look-up is reused for at most the
// cache bound (then a revocation made elsewhere holds), a ChangeBus message drops it at once,
// expiry and a rotation's grace end are checked against the clock on every call, malformed
// tokens never reach the table, and the principal carries the key's limits and metadata.
import { describe, expect, it } from 'vitest';
import type { ApiKeyMatch, ApiKeyRecord } from '../contracts/api-key.ts';
import { createInProcessChangeBus } from '../lib/in-process-change-bus.ts';
import { hashKey } from './master-key.ts';
import { generateVirtualKey, looksLikeVirtualKey } from './virtual-key.ts';
import { createVirtualKeyResolver, KEYS_TOPIC } from './virtual-key-resolver.ts';

function record(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: 'key_a',
    name: 'ci',
    projectId: 'proj_a',
    role: 'client',
    models: ['openai/*'],
    policies: null,
    defaultPolicy: null,
    rpm: 60,
    tpm: null,
    maxConcurrency: null,
    budget: null,
    maxCostPerRequestNanoUsd: 5n,
    allowUnpriced: false,
    expiresAt: null,
    metadata: { team: 'search' },
    prefix: 'sbk-xxxx',
    last4: 'yyyy',
    revokedAt: null,
    previousExpiresAt: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

/** A key table keyed by secret hash, counting look-ups. */
function table() {
  const rows = new Map<string, ApiKeyMatch>();
  let lookups = 0;
  return {
    rows,
    get lookups() {
      return lookups;
    },
    lookup(hash: string) {
      lookups += 1;
      return Promise.resolve(rows.get(hash) ?? null);
    },
  };
}

describe('the virtual-key resolver', () => {
  it('has the key format: sbk- and 43 base62 characters, distinct each time', () => {
    const a = generateVirtualKey();
    const b = generateVirtualKey();
    expect(a.key).toMatch(/^sbk-[0-9A-Za-z]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashKey(a.key));
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.last4).toBe(a.key.slice(-4));
    expect(looksLikeVirtualKey(a.key)).toBe(true);
    expect(looksLikeVirtualKey('sb-master')).toBe(false);
    expect(looksLikeVirtualKey(`${a.key}x`)).toBe(false);
  });

  it('resolves a key to its principal, and never looks up a malformed token', async () => {
    const keys = table();
    const secret = generateVirtualKey();
    keys.rows.set(secret.hash, { key: record(), project: null, secret: 'current' });
    const resolver = createVirtualKeyResolver({
      lookup: (hash) => keys.lookup(hash),
      changes: createInProcessChangeBus(),
    });
    expect(await resolver.resolve(secret.key)).toMatchObject({
      keyId: 'key_a',
      role: 'client',
      projectId: 'proj_a',
      metadata: { team: 'search' },
      limits: { rpm: 60, models: ['openai/*'], maxCostPerRequestNanoUsd: 5n },
    });
    expect(await resolver.resolve('not-a-key')).toBeNull();
    expect(await resolver.resolve(generateVirtualKey().key)).toBeNull();
    expect(keys.lookups).toBe(2);
  });

  it('reuses a look-up for at most the cache bound; a bus message drops it at once', async () => {
    let now = 1_000_000;
    const keys = table();
    const changes = createInProcessChangeBus();
    const secret = generateVirtualKey();
    keys.rows.set(secret.hash, { key: record(), project: null, secret: 'current' });
    const resolver = createVirtualKeyResolver({
      lookup: (hash) => keys.lookup(hash),
      changes,
      cacheMs: 5_000,
      now: () => now,
    });
    expect(await resolver.resolve(secret.key)).not.toBeNull();
    // Revoked on "another instance" whose bus message was lost: the cache holds it < 1 s.
    keys.rows.set(secret.hash, {
      key: record({ revokedAt: new Date(now) }),
      project: null,
      secret: 'current',
    });
    now += 999;
    expect(await resolver.resolve(secret.key)).not.toBeNull();
    now += 1;
    expect(await resolver.resolve(secret.key)).toBeNull();

    // A change announced on the bus takes effect on the next call, without waiting.
    keys.rows.set(secret.hash, { key: record(), project: null, secret: 'current' });
    now += 1_000;
    expect(await resolver.resolve(secret.key)).not.toBeNull();
    keys.rows.set(secret.hash, {
      key: record({ revokedAt: new Date(now) }),
      project: null,
      secret: 'current',
    });
    await changes.publish({ topic: KEYS_TOPIC, id: 'key_a' });
    expect(await resolver.resolve(secret.key)).toBeNull();
    resolver.close();
  });

  it('refuses an expired key and an old secret past its grace, checked on every call', async () => {
    let now = 1_000_000;
    const keys = table();
    const current = generateVirtualKey();
    const previous = generateVirtualKey();
    const key = record({
      expiresAt: new Date(now + 10_000),
      previousExpiresAt: new Date(now + 500),
    });
    keys.rows.set(current.hash, { key, project: null, secret: 'current' });
    keys.rows.set(previous.hash, { key, project: null, secret: 'previous' });
    const resolver = createVirtualKeyResolver({
      lookup: (hash) => keys.lookup(hash),
      changes: createInProcessChangeBus(),
      now: () => now,
    });
    expect(await resolver.resolve(previous.key)).not.toBeNull();
    now += 500;
    expect(await resolver.resolve(previous.key)).toBeNull();
    expect(await resolver.resolve(current.key)).not.toBeNull();
    now += 9_500;
    expect(await resolver.resolve(current.key)).toBeNull();
  });

  it('gives admin and viewer keys no limits, and project limits to keys in a limited project', async () => {
    const keys = table();
    const admin = generateVirtualKey();
    const client = generateVirtualKey();
    const project = {
      id: 'proj_a',
      name: 'p',
      rpm: 10,
      tpm: null,
      budget: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      deletedAt: null,
    };
    keys.rows.set(admin.hash, { key: record({ role: 'admin' }), project, secret: 'current' });
    keys.rows.set(client.hash, { key: record(), project, secret: 'current' });
    const resolver = createVirtualKeyResolver({
      lookup: (hash) => keys.lookup(hash),
      changes: createInProcessChangeBus(),
    });
    const adminPrincipal = await resolver.resolve(admin.key);
    expect(adminPrincipal?.role).toBe('admin');
    expect(adminPrincipal?.limits).toBeUndefined();
    expect((await resolver.resolve(client.key))?.projectLimits).toEqual({
      rpm: 10,
      tpm: null,
      budget: null,
    });
  });
});
