/**
 * Who is calling: the master key (owner), an admin/viewer key, or a client (virtual) key, with
 * the limits governance enforces for it (src/limits/, docs/decisions for governance). Money is
 * integer nano-USD; rates are per minute.
 */
export type Role = 'owner' | 'admin' | 'viewer' | 'client';

/** A spending cap over a period (`day`, `week`, `month` in the configured time zone, or `total`). */
export interface BudgetSpec {
  limitNanoUsd: bigint;
  period: 'day' | 'week' | 'month' | 'total';
}

/** Limits a key or a project carries; null = unlimited. */
export interface UsageLimits {
  /** Requests per minute. */
  rpm: number | null;
  /** Tokens per minute (estimated prompt + max output at admission, corrected at settle). */
  tpm: number | null;
  budget: BudgetSpec | null;
}

/** What a virtual key may do, beyond its usage limits. */
export interface KeyLimits extends UsageLimits {
  /** Requests in flight at once (over it, requests wait in the queue). */
  maxConcurrency: number | null;
  /** Largest worst-case cost of one request, nano-USD. */
  maxCostPerRequestNanoUsd: bigint | null;
  /** Model id globs the key may use (`openai/*`); null = any. */
  models: readonly string[] | null;
  /** Routing policy names the key may use; null = any. */
  policies: readonly string[] | null;
  /** The policy a request naming no model (or `signalbox/default`) gets; null = none. */
  defaultPolicy: string | null;
  /** Whether requests for models with unknown prices are allowed under a budget. */
  allowUnpriced: boolean;
}

export interface Principal {
  /** `master` for the master key, else the key's id. */
  readonly keyId: string;
  readonly role: Role;
  /** The key's project, null for the master key. */
  readonly projectId: string | null;
  /** Shown in logs and the audit log. */
  readonly name: string;
  /** A virtual key's limits; absent = unlimited (the master key, admin and viewer keys). */
  readonly limits?: KeyLimits;
  /** The limits of the key's project, when it has a project with any. */
  readonly projectLimits?: UsageLimits;
  /** When a stored key stops working, ms since the epoch; absent or null = never. */
  readonly expiresAt?: number | null;
  /** The key's metadata/tags, copied into the request's tags. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The master key's principal. */
export const MASTER_PRINCIPAL: Principal = Object.freeze({
  keyId: 'master',
  role: 'owner',
  projectId: null,
  name: 'master key',
});
