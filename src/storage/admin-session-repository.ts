/**
 * Dashboard sessions in the `admin_sessions` table, addressed by the SHA-256 of the session
 * id (the id itself never reaches the database). Expiry is decided by the caller's clock
 * (src/http/admin/session-service.ts); this repository stores and deletes rows.
 */
import { eq, lt, or } from './drizzle.ts';
import type { Role } from '../contracts/principal.ts';
import type { Database } from './database.ts';
import { adminSessions } from './schema.ts';

/** One stored session: the principal it stands for and its times. */
export interface AdminSessionRecord {
  /** SHA-256 hex of the session id. */
  idHash: string;
  keyId: string;
  role: Role;
  projectId: string | null;
  name: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface AdminSessionRepository {
  create(session: AdminSessionRecord): Promise<void>;
  /** The session with this id hash, or null. */
  find(idHash: string): Promise<AdminSessionRecord | null>;
  /** Records a use of the session at `at`. */
  touch(idHash: string, at: Date): Promise<void>;
  /** Deletes one session; true if it existed. */
  delete(idHash: string): Promise<boolean>;
  /** Deletes every session of one key (logout everywhere; a revoked key); returns how many. */
  deleteForKey(keyId: string): Promise<number>;
  /** Deletes every session; returns how many. */
  deleteAll(): Promise<number>;
  /** Deletes sessions past their absolute end or idle since before `idleSince`. */
  deleteExpired(now: Date, idleSince: Date): Promise<number>;
}

const roles: readonly Role[] = ['owner', 'admin', 'viewer', 'client'];

function toRecord(row: typeof adminSessions.$inferSelect): AdminSessionRecord {
  // A row written by a newer version with an unknown role is read as the weakest role.
  const role = roles.find((candidate) => candidate === row.role) ?? 'client';
  return { ...row, role };
}

/** Binds the session repository to a database. */
export function createAdminSessionRepository(database: Database): AdminSessionRepository {
  const { db } = database;
  return {
    async create(session) {
      await db.insert(adminSessions).values(session);
    },

    async find(idHash) {
      const rows = await db.select().from(adminSessions).where(eq(adminSessions.idHash, idHash));
      const row = rows[0];
      return row === undefined ? null : toRecord(row);
    },

    async touch(idHash, at) {
      await db
        .update(adminSessions)
        .set({ lastSeenAt: at })
        .where(eq(adminSessions.idHash, idHash));
    },

    async delete(idHash) {
      const deleted = await db
        .delete(adminSessions)
        .where(eq(adminSessions.idHash, idHash))
        .returning({ idHash: adminSessions.idHash });
      return deleted.length > 0;
    },

    async deleteForKey(keyId) {
      const deleted = await db
        .delete(adminSessions)
        .where(eq(adminSessions.keyId, keyId))
        .returning({ idHash: adminSessions.idHash });
      return deleted.length;
    },

    async deleteAll() {
      const deleted = await db.delete(adminSessions).returning({ idHash: adminSessions.idHash });
      return deleted.length;
    },

    async deleteExpired(now, idleSince) {
      const deleted = await db
        .delete(adminSessions)
        .where(or(lt(adminSessions.expiresAt, now), lt(adminSessions.lastSeenAt, idleSince)))
        .returning({ idHash: adminSessions.idHash });
      return deleted.length;
    },
  };
}
