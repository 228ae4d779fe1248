/**
 * Projects and API keys other than the master key, as stored (src/storage/api-key-repository.ts,
 * project-repository.ts) and served by the admin API (`/admin/projects`, `/admin/keys`). A key's
 * secret never appears here: only its SHA-256 is stored, and `prefix`/`last4` identify it.
 * Money is integer nano-USD; rates are per minute. docs/decisions/0013-virtual-keys.md.
 */
import type { BudgetSpec, Role } from './principal.ts';

/** The roles a stored key can have (the owner is the master key alone). */
export type KeyRole = Exclude<Role, 'owner'>;

/** What a project's creator sets. */
export interface ProjectSettings {
  name: string;
  /** Requests per minute over all the project's keys; null = unlimited. */
  rpm: number | null;
  /** Tokens per minute over all the project's keys; null = unlimited. */
  tpm: number | null;
  budget: BudgetSpec | null;
}

export interface ProjectRecord extends ProjectSettings {
  /** `proj_` + 16 alphanumerics. */
  id: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set by a delete (rows are kept so the ledger's project ids still name something). */
  deletedAt: Date | null;
}

/** What a key's creator sets (and PATCH changes). */
export interface ApiKeySettings {
  name: string;
  projectId: string | null;
  role: KeyRole;
  /** Model id globs (`openai/*`); null = any model. */
  models: string[] | null;
  /** Routing policy names (`signalbox/<name>` without the prefix); null = any. */
  policies: string[] | null;
  /** The policy for requests naming no model or `signalbox/default`; null = none. */
  defaultPolicy: string | null;
  rpm: number | null;
  tpm: number | null;
  maxConcurrency: number | null;
  budget: BudgetSpec | null;
  /** Largest worst-case cost of one request, nano-USD; null = no cap. */
  maxCostPerRequestNanoUsd: bigint | null;
  /** Whether models with unknown prices may be used under a budget. */
  allowUnpriced: boolean;
  /** After it the key is refused like an unknown one; null = never. */
  expiresAt: Date | null;
  /** Copied into the tags of every request made with the key. */
  metadata: Record<string, string>;
}

export interface ApiKeyRecord extends ApiKeySettings {
  /** `key_` + 16 alphanumerics. */
  id: string;
  /** `sbk-` + the secret's first 8 random characters: shown to tell keys apart. */
  prefix: string;
  /** The secret's last 4 characters. */
  last4: string;
  /** Set by a revoke: refused from then on, on every instance within 1 s. */
  revokedAt: Date | null;
  /** After a rotation: the previous secret keeps working until then; null = not at all. */
  previousExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a secret's hash resolves to: the key, its project, and whether it was the old secret. */
export interface ApiKeyMatch {
  key: ApiKeyRecord;
  project: ProjectRecord | null;
  /** `previous`: the secret replaced by the last rotation (valid until `previousExpiresAt`). */
  secret: 'current' | 'previous';
}
