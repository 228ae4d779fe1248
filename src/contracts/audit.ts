/**
 * The audit log's entries: one per admin mutation, written in the same transaction as the
 * change it records (docs/decisions/0011-audit-log.md). Secrets never appear: `before` and
 * `after` pass through `maskSecrets` (src/security/mask-secrets.ts) before they are stored.
 */
import type { Role } from './principal.ts';

/** Who made the change. */
export interface AuditActor {
  /** `master`, or the key's id. */
  keyId: string;
  role: Role;
  name: string;
}

export interface AuditEntry {
  at: Date;
  actor: AuditActor;
  /** Dotted verb, e.g. `catalog.models.disable`, `keys.create`, `providers.update`. */
  action: string;
  /** What kind of thing changed: `model`, `key`, `project`, `provider`, `policy`, … */
  targetType: string;
  /** Its id, when the change is about one thing. */
  targetId: string | null;
  /** The state before the change (secrets masked); null for a creation. */
  before: unknown;
  /** The state after the change, or what was asked (secrets masked); null for a deletion. */
  after: unknown;
  clientIp: string | null;
  /** The `x-request-id` of the admin call. */
  requestId: string | null;
}

/** One stored entry, with its sequence id (the cursor's key). */
export interface StoredAuditEntry extends AuditEntry {
  id: number;
}
