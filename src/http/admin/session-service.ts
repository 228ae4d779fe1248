/**
 * Dashboard sessions: log in with a key's principal, read a session back from its cookie's id
 * (refusing idle or expired ones), log out one session or all of a key's. Times come from an
 * injected clock so tests can move time. Rows live in PostgreSQL/PGlite (every instance sees
 * them); only the SHA-256 of the session id is stored.
 */
import type { Principal } from '../../contracts/principal.ts';
import { csrfTokenFor, generateSessionId, hashSessionId } from '../../security/session-token.ts';
import type { AdminSessionRecord, AdminSessionRepository } from '../../storage/index.ts';

export interface SessionServiceOptions {
  repository: AdminSessionRepository;
  /** A session unused this long ends; ms. */
  idleMs: number;
  /** A session ends this long after login; ms. */
  maxMs: number;
  /** The clock (default `Date.now`); ms since the epoch. */
  now?: () => number;
}

/** A live session: who it stands for and its times. */
export interface AdminSession {
  readonly principal: Principal;
  /** The session id (from the cookie); needed to check its CSRF token. */
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly createdAt: Date;
  /** When it ends if unused from now on (the earlier of idle and absolute expiry). */
  readonly expiresAt: Date;
}

export interface SessionService {
  /** Starts a session for `principal`; the id goes into the cookie, never elsewhere. */
  create(principal: Principal): Promise<AdminSession>;
  /** The live session of `sessionId`, or null when unknown, idle too long, or expired. */
  read(sessionId: string): Promise<AdminSession | null>;
  /** Ends one session (logout). */
  end(sessionId: string): Promise<void>;
  /** Ends every session of `keyId`, or of everyone when `keyId` is null; returns how many. */
  endAll(keyId: string | null): Promise<number>;
  /** Session lifetimes, for the cookie's Max-Age. */
  readonly maxMs: number;
}

// A read refreshes last_seen_at at most this often: one write per minute per session,
// not one per admin request.
const TOUCH_INTERVAL_MS = 60_000;

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { repository, idleMs, maxMs } = options;
  const now = options.now ?? Date.now;
  const live = (sessionId: string, record: AdminSessionRecord, at: number): AdminSession => ({
    principal: Object.freeze({
      keyId: record.keyId,
      role: record.role,
      projectId: record.projectId,
      name: record.name,
    }),
    sessionId,
    csrfToken: csrfTokenFor(sessionId),
    createdAt: record.createdAt,
    expiresAt: new Date(Math.min(at + idleMs, record.expiresAt.getTime())),
  });
  let lastSweep = 0;
  const sweep = (at: number): void => {
    if (at - lastSweep < 10 * TOUCH_INTERVAL_MS) return;
    lastSweep = at;
    // Best effort housekeeping; expired rows are refused on read whatever happens here.
    void repository.deleteExpired(new Date(at), new Date(at - idleMs)).catch(() => undefined);
  };

  return {
    maxMs,
    async create(principal) {
      const at = now();
      const sessionId = generateSessionId();
      const record: AdminSessionRecord = {
        idHash: hashSessionId(sessionId),
        keyId: principal.keyId,
        role: principal.role,
        projectId: principal.projectId,
        name: principal.name,
        createdAt: new Date(at),
        lastSeenAt: new Date(at),
        // A session never outlives its key.
        expiresAt: new Date(Math.min(at + maxMs, principal.expiresAt ?? Infinity)),
      };
      await repository.create(record);
      sweep(at);
      return live(sessionId, record, at);
    },

    async read(sessionId) {
      const at = now();
      const idHash = hashSessionId(sessionId);
      const record = await repository.find(idHash);
      if (record === null) return null;
      if (record.expiresAt.getTime() <= at || record.lastSeenAt.getTime() + idleMs <= at) {
        await repository.delete(idHash);
        return null;
      }
      if (at - record.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS)
        await repository.touch(idHash, new Date(at));
      return live(sessionId, record, at);
    },

    async end(sessionId) {
      await repository.delete(hashSessionId(sessionId));
    },

    endAll: (keyId) => (keyId === null ? repository.deleteAll() : repository.deleteForKey(keyId)),
  };
}
