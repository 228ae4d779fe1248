/**
 * What the policy service needs from storage (implemented by src/storage/routing-policy-repository.ts):
 * the current version of each policy and an append-only history of versions.
 */
import type { RoutingPolicy } from './policy-schema.ts';

/** What a version did. `rollback` and `promote` carry the content they made current. */
export type PolicyAction = 'create' | 'update' | 'delete' | 'rollback' | 'promote';

/** One changed field between two versions. */
export interface PolicyDiffEntry {
  /** JSON path, e.g. `strategy`, `candidates[1].model`. */
  path: string;
  /** Absent (undefined) when the field was added. */
  before?: unknown;
  /** Absent (undefined) when the field was removed. */
  after?: unknown;
}

export interface StoredPolicy {
  name: string;
  version: number;
  policy: RoutingPolicy;
  updatedAt: Date;
  /** The key id of whoever made the current version (`master` for the master key). */
  updatedBy: string;
}

export interface PolicyVersionRecord {
  name: string;
  version: number;
  action: PolicyAction;
  /** null for a delete. */
  policy: RoutingPolicy | null;
  diff: PolicyDiffEntry[];
  createdAt: Date;
  createdBy: string;
  /** `restored version 3`, `promoted variant b`; null otherwise. */
  note: string | null;
}

/** A change to commit: a new version, made current (or, for a delete, the name freed). */
export interface PolicyChange {
  name: string;
  action: PolicyAction;
  policy: RoutingPolicy | null;
  diff: PolicyDiffEntry[];
  actor: string;
  note: string | null;
  at: Date;
  /** The current version the change was computed against; null = the name must be free. */
  expectedVersion: number | null;
  /** Runs inside the change's transaction after the version row (its audit-log row). */
  onCommit?: (transaction: unknown, version: PolicyVersionRecord) => Promise<void>;
}

export interface PolicyRepository {
  list(): Promise<StoredPolicy[]>;
  get(name: string): Promise<StoredPolicy | null>;
  /** Oldest first. */
  versions(name: string): Promise<PolicyVersionRecord[]>;
  /**
   * Appends the version (numbered after the name's last, deleted versions included) and makes
   * it current, in one transaction — the one place a policy changes, so the audit log's row
   * belongs in that transaction.
   * @throws SignalboxError `conflict` when the current version is not `expectedVersion`
   *   (another change won the race, or the name is taken / gone)
   */
  commit(change: PolicyChange): Promise<PolicyVersionRecord>;
  /** A token that changes whenever any policy changes (for other instances' caches). */
  revision(): Promise<string>;
}
