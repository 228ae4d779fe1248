/** Who is calling: the master key (owner), an admin/viewer key, or a client (virtual) key. */
export type Role = 'owner' | 'admin' | 'viewer' | 'client';
export interface Principal {
  /** `master` for the master key, else the key's id. */
  readonly keyId: string;
  readonly role: Role;
  /** The key's project, null for the master key. */
  readonly projectId: string | null;
  /** Shown in logs and the audit log. */
  readonly name: string;
}
/** The master key's principal. */
export const MASTER_PRINCIPAL: Principal = Object.freeze({
  keyId: 'master',
  role: 'owner',
  projectId: null,
  name: 'master key',
});
