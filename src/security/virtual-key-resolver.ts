/**
 * Resolves API key secrets (`sbk-…`) to principals by the SHA-256 of the secret, through a
 * short in-memory cache: a look-up is reused for at most `cacheMs` (≤ 1 s), so a revocation,
 * rotation or change made on another instance holds everywhere within 1 s even if its
 * ChangeBus message is lost; a change announced on the bus (topics `keys`, `projects`) drops
 * the affected entries at once. Expiry and the end of a rotation's grace period are checked on
 * every call against the clock, never cached. docs/decisions/0013-virtual-keys.md.
 */
import type { ApiKeyMatch, ApiKeyRecord, ProjectRecord } from '../contracts/api-key.ts';
import type { KeyLimits, Principal, UsageLimits } from '../contracts/principal.ts';
import type { ChangeBus, ConfigChange } from '../lib/change-bus.ts';
import { hashKey } from './master-key.ts';
import type { PrincipalResolver } from './principal-resolver.ts';
import { looksLikeVirtualKey } from './virtual-key.ts';

/** The change-bus topics whose messages invalidate cached keys. */
export const KEYS_TOPIC = 'keys';
export const PROJECTS_TOPIC = 'projects';

/** The longest a cached look-up may be reused, ms: the bound on stale revocations. */
export const MAX_KEY_CACHE_MS = 1_000;

export interface VirtualKeyResolverOptions {
  /** The key whose current or previous secret has this SHA-256 hex (the API key repository). */
  lookup(hash: string): Promise<ApiKeyMatch | null>;
  /** Announces key and project changes from every instance. */
  changes: ChangeBus;
  /** How long a look-up is reused, ms; clamped to 0…1000 (default 1000). */
  cacheMs?: number;
  /** Cached secrets at most (oldest dropped first); default 10 000. */
  maxEntries?: number;
  /** Wall clock, ms since the epoch. */
  now?: () => number;
}

export interface VirtualKeyResolver extends PrincipalResolver {
  /** Drops the cached entries a change affects (also called for every bus message). */
  invalidate(change: ConfigChange): void;
  /** Unsubscribes from the bus. */
  close(): void;
}

interface Entry {
  at: number;
  pending: Promise<Resolved | null>;
  /** Set once the look-up finished. */
  resolved: Resolved | null | undefined;
}

interface Resolved {
  match: ApiKeyMatch;
  principal: Principal;
}

function usageLimits(project: ProjectRecord): UsageLimits | undefined {
  if (project.rpm === null && project.tpm === null && project.budget === null) return undefined;
  return { rpm: project.rpm, tpm: project.tpm, budget: project.budget };
}

function keyLimits(key: ApiKeyRecord): KeyLimits {
  return {
    rpm: key.rpm,
    tpm: key.tpm,
    budget: key.budget,
    maxConcurrency: key.maxConcurrency,
    maxCostPerRequestNanoUsd: key.maxCostPerRequestNanoUsd,
    models: key.models,
    policies: key.policies,
    defaultPolicy: key.defaultPolicy,
    allowUnpriced: key.allowUnpriced,
  };
}

/** The principal of a stored key (limits only on client keys; admin and viewer keys have none). */
export function principalOfKey(key: ApiKeyRecord, project: ProjectRecord | null): Principal {
  const projectLimits = project === null ? undefined : usageLimits(project);
  return Object.freeze({
    keyId: key.id,
    role: key.role,
    projectId: key.projectId,
    name: key.name,
    ...(key.role === 'client' ? { limits: keyLimits(key) } : {}),
    ...(projectLimits === undefined ? {} : { projectLimits }),
    expiresAt: key.expiresAt?.getTime() ?? null,
    metadata: key.metadata,
  });
}

/** Whether the matched secret is usable at `now` (not revoked, expired or past its grace). */
export function isUsable(match: ApiKeyMatch, now: number): boolean {
  const { key, project } = match;
  if (key.revokedAt !== null) return false;
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now) return false;
  if (project !== null && project.deletedAt !== null) return false;
  if (match.secret === 'previous')
    return key.previousExpiresAt !== null && key.previousExpiresAt.getTime() > now;
  return true;
}

/** A PrincipalResolver for `sbk-` secrets, cached for at most 1 s and invalidated by the bus. */
export function createVirtualKeyResolver(options: VirtualKeyResolverOptions): VirtualKeyResolver {
  const cacheMs = Math.max(0, Math.min(options.cacheMs ?? MAX_KEY_CACHE_MS, MAX_KEY_CACHE_MS));
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();

  const invalidate = (change: ConfigChange): void => {
    for (const [hash, entry] of cache) {
      const resolved = entry.resolved;
      // Pending and negative entries are cheap to redo: drop them on any change.
      if (resolved === undefined || resolved === null || change.id === null) {
        cache.delete(hash);
        continue;
      }
      const { key, project } = resolved.match;
      if (change.topic === KEYS_TOPIC ? key.id === change.id : project?.id === change.id)
        cache.delete(hash);
    }
  };
  const unsubscribe = [KEYS_TOPIC, PROJECTS_TOPIC].map((topic) =>
    options.changes.subscribe(topic, invalidate),
  );

  const lookUp = (hash: string, at: number): Entry => {
    const entry: Entry = {
      at,
      resolved: undefined,
      pending: options.lookup(hash).then(
        (match) => {
          const resolved =
            match === null ? null : { match, principal: principalOfKey(match.key, match.project) };
          entry.resolved = resolved;
          return resolved;
        },
        (error: unknown) => {
          if (cache.get(hash) === entry) cache.delete(hash);
          throw error;
        },
      ),
    };
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(hash, entry);
    return entry;
  };

  return {
    async resolve(token) {
      if (!looksLikeVirtualKey(token)) return null;
      const hash = hashKey(token);
      const at = now();
      let entry = cache.get(hash);
      if (entry === undefined || at - entry.at >= cacheMs) entry = lookUp(hash, at);
      const resolved = await entry.pending;
      if (resolved === null || !isUsable(resolved.match, now())) return null;
      return resolved.principal;
    },
    invalidate,
    close() {
      for (const stop of unsubscribe) stop();
    },
  };
}
