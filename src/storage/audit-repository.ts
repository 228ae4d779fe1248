/**
 * The audit log's storage (table `audit_log`): appends, in the caller's transaction when it has
 * one, and reads newest first with a keyset cursor over (at, id). Append-only: this module has
 * no update or delete.
 */
import { and, desc, eq, gte, lt, or } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type { AuditEntry, StoredAuditEntry } from '../contracts/audit.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { Role } from '../contracts/principal.ts';
import type { Database, SignalboxDrizzle } from './database.ts';
import { auditLog } from './schema.ts';

/** A drizzle handle: the database itself, or a transaction open on it. */
export type SqlExecutor = Pick<SignalboxDrizzle, 'insert' | 'select' | 'update' | 'delete'>;

export interface AuditQuery {
  /** Actor key id (`master`, or a key id). */
  actor?: string | undefined;
  /** `type` or `type:id`. */
  target?: string | undefined;
  action?: string | undefined;
  /** Inclusive lower bound. */
  from?: Date | undefined;
  /** Exclusive upper bound. */
  to?: Date | undefined;
  /** 1–200. */
  limit: number;
  /** The previous page's `nextCursor`. */
  cursor: string | null;
}

export interface AuditPage {
  data: StoredAuditEntry[];
  nextCursor: string | null;
}

export interface AuditRepository {
  /** Appends one entry, through `executor` (a transaction) when given. @throws the driver's error. */
  append(entry: AuditEntry, executor?: SqlExecutor): Promise<void>;
  /**
   * Runs `work` in one transaction and appends `describe(result)` to the audit log in it, so the
   * change and its record commit (or roll back) together.
   */
  transaction<T>(
    work: (executor: SqlExecutor) => Promise<T>,
    describe: (result: T) => AuditEntry,
  ): Promise<T>;
  /**
   * Newest first. @throws SignalboxError `invalid_request` (param `cursor`) for a cursor this
   * function did not make.
   */
  list(query: AuditQuery): Promise<AuditPage>;
}

const roles: readonly Role[] = ['owner', 'admin', 'viewer', 'client'];

function toRow(entry: AuditEntry): typeof auditLog.$inferInsert {
  return {
    at: entry.at,
    actorKeyId: entry.actor.keyId,
    actorRole: entry.actor.role,
    actorName: entry.actor.name,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    clientIp: entry.clientIp,
    requestId: entry.requestId,
  };
}

function fromRow(row: typeof auditLog.$inferSelect): StoredAuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: {
      keyId: row.actorKeyId,
      role: roles.find((role) => role === row.actorRole) ?? 'client',
      name: row.actorName,
    },
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
    clientIp: row.clientIp,
    requestId: row.requestId,
  };
}

function encodeCursor(entry: StoredAuditEntry): string {
  return Buffer.from(`${entry.at.toISOString()}|${entry.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const number = Number(id);
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(number)) {
    throw new SignalboxError('invalid_request', 'cursor is not a cursor this endpoint returned.', {
      param: 'cursor',
    });
  }
  return { at: date, id: number };
}

function conditions(query: AuditQuery): SQL[] {
  const where: SQL[] = [];
  if (query.actor !== undefined) where.push(eq(auditLog.actorKeyId, query.actor));
  if (query.action !== undefined) where.push(eq(auditLog.action, query.action));
  if (query.target !== undefined) {
    const separator = query.target.indexOf(':');
    if (separator === -1) where.push(eq(auditLog.targetType, query.target));
    else {
      where.push(eq(auditLog.targetType, query.target.slice(0, separator)));
      where.push(eq(auditLog.targetId, query.target.slice(separator + 1)));
    }
  }
  if (query.from !== undefined) where.push(gte(auditLog.at, query.from));
  if (query.to !== undefined) where.push(lt(auditLog.at, query.to));
  if (query.cursor !== null) {
    const after = decodeCursor(query.cursor);
    const older = or(
      lt(auditLog.at, after.at),
      and(eq(auditLog.at, after.at), lt(auditLog.id, after.id)),
    );
    if (older !== undefined) where.push(older);
  }
  return where;
}

/** Binds the audit repository to a database. */
export function createAuditRepository(database: Database): AuditRepository {
  const { db } = database;
  return {
    async append(entry, executor = db) {
      await executor.insert(auditLog).values(toRow(entry));
    },
    transaction(work, describe) {
      return db.transaction(async (transaction) => {
        const result = await work(transaction);
        await transaction.insert(auditLog).values(toRow(describe(result)));
        return result;
      });
    },
    async list(query) {
      const where = conditions(query);
      const rows = await db
        .select()
        .from(auditLog)
        .where(where.length === 0 ? undefined : and(...where))
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(query.limit + 1);
      const data = rows.slice(0, query.limit).map(fromRow);
      const last = data.at(-1);
      return {
        data,
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  };
}
