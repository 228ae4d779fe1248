/**
 * The audit side of an admin mutation. Every route that declares `audit` gets one row in the
 * audit log per successful call: written by the route's own transaction when the handler runs
 * its writes through `audit.transaction` (change and record commit together), else appended by
 * the route layer right after the handler succeeds. `before`/`after` are masked
 * (src/security/mask-secrets.ts) on the way in. docs/decisions/0011-audit-log.md.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../../contracts/audit.ts';
import { MASTER_PRINCIPAL } from '../../contracts/principal.ts';
import { maskSecrets } from '../../security/mask-secrets.ts';
import type { AuditRepository, SqlExecutor } from '../../storage/index.ts';

/** What a route declares: the action and the kind of thing it changes. */
export interface AuditSpec {
  /** Dotted verb, e.g. `catalog.models.disable`. */
  action: string;
  targetType: string;
}

/** What a handler may say about its change. */
export interface AuditDetails {
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditScope {
  /** Overrides what the route layer records (defaults: target = `:id`, after = the body). */
  describe(details: AuditDetails): void;
  /**
   * Runs `work` in one database transaction that also appends the audit row, described by
   * `details(result)`; the route layer then writes nothing more. Without an audit repository
   * (route unit tests) `work` gets `undefined`: repositories then use their own connection.
   */
  transaction<T>(
    work: (executor: SqlExecutor | undefined) => Promise<T>,
    details: (result: T) => AuditDetails,
  ): Promise<T>;
  /**
   * Appends the row now, through a transaction the handler's service opened itself (the change
   * commits or rolls back with it); the route layer then writes nothing more.
   */
  within(executor: SqlExecutor, details: AuditDetails): Promise<void>;
}

export interface PendingAudit {
  scope: AuditScope;
  /** Appends the row unless the handler's transaction already did. */
  complete(): Promise<void>;
}

function defaultTargetId(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const record = params as Record<string, unknown>;
  const id = record.id ?? record.name ?? record['*'];
  return typeof id === 'string' ? id : null;
}

/** Starts the audit of one call; `repository` null = no database (route unit tests). */
export function startAudit(
  spec: AuditSpec,
  request: FastifyRequest,
  input: { params: unknown; body: unknown },
  repository: AuditRepository | null,
): PendingAudit {
  const principal = request.principal ?? MASTER_PRINCIPAL;
  let details: AuditDetails = {};
  let recorded = false;
  const entry = (described: AuditDetails): AuditEntry => ({
    at: new Date(),
    actor: { keyId: principal.keyId, role: principal.role, name: principal.name },
    action: spec.action,
    targetType: spec.targetType,
    targetId: described.targetId ?? defaultTargetId(input.params),
    before: maskSecrets(described.before ?? null),
    after: maskSecrets(described.after === undefined ? (input.body ?? null) : described.after),
    clientIp: request.ip,
    requestId: request.id,
  });
  return {
    scope: {
      describe(next) {
        details = { ...details, ...next };
      },
      async transaction(work, describe) {
        if (repository === null) return work(undefined);
        const result = await repository.transaction(work, (value) =>
          entry({ ...details, ...describe(value) }),
        );
        recorded = true;
        return result;
      },
      async within(executor, described) {
        if (repository === null) return;
        await repository.append(entry({ ...details, ...described }), executor);
        recorded = true;
      },
    },
    async complete() {
      if (recorded || repository === null) return;
      await repository.append(entry(details));
    },
  };
}
