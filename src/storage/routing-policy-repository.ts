/**
 * Routing policies in the database: `routing_policies` holds each policy's current version,
 * `routing_policy_versions` every version ever made (append-only). A change is one transaction:
 * the version row, then the current row — updated only if it is still at the version the change
 * was computed against (optimistic concurrency), else `conflict`.
 */
import { asc, desc, eq, sql } from './drizzle.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type {
  PolicyChange,
  PolicyRepository,
  PolicyVersionRecord,
  StoredPolicy,
} from '../routing/policy-repository.ts';
import type { Database, SignalboxDrizzle } from './database.ts';
import { routingPolicies, routingPolicyVersions } from './schema.ts';

type Transaction = Parameters<Parameters<SignalboxDrizzle['transaction']>[0]>[0];
type VersionRow = typeof routingPolicyVersions.$inferSelect;

export interface PolicyRepositoryOptions {
  /**
   * Runs inside the transaction of every change, after the version row is written: the place
   * for an audit-log row that must commit (or roll back) with the change.
   */
  onCommit?(transaction: Transaction, version: PolicyVersionRecord): Promise<void>;
}

function toRecord(row: VersionRow): PolicyVersionRecord {
  return { ...row };
}

function conflict(name: string): SignalboxError {
  return new SignalboxError(
    'conflict',
    `The routing policy "${name}" changed meanwhile (or its name is taken); read it again and retry.`,
    { param: 'name' },
  );
}

/** PostgreSQL's unique_violation (a concurrent change took the same version number). */
function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause)
    if ((current as { code?: unknown }).code === '23505') return true;
  return false;
}

async function apply(
  transaction: Transaction,
  change: PolicyChange,
  options: PolicyRepositoryOptions,
): Promise<PolicyVersionRecord> {
  const [last] = await transaction
    .select({ version: routingPolicyVersions.version })
    .from(routingPolicyVersions)
    .where(eq(routingPolicyVersions.name, change.name))
    .orderBy(desc(routingPolicyVersions.version))
    .limit(1);
  const [row] = await transaction
    .insert(routingPolicyVersions)
    .values({
      name: change.name,
      version: (last?.version ?? 0) + 1,
      action: change.action,
      policy: change.policy,
      diff: change.diff,
      createdAt: change.at,
      createdBy: change.actor,
      note: change.note,
    })
    .returning();
  if (row === undefined) throw conflict(change.name);
  const record = toRecord(row);
  const current = { version: record.version, updatedAt: change.at, updatedBy: change.actor };
  const expected = change.expectedVersion;
  let touched: { name: string }[];
  if (change.policy === null) {
    touched = await transaction
      .delete(routingPolicies)
      .where(
        sql`${routingPolicies.name} = ${change.name} and ${routingPolicies.version} = ${expected ?? -1}`,
      )
      .returning({ name: routingPolicies.name });
  } else if (expected === null) {
    touched = await transaction
      .insert(routingPolicies)
      .values({ name: change.name, policy: change.policy, ...current })
      .onConflictDoNothing()
      .returning({ name: routingPolicies.name });
  } else {
    touched = await transaction
      .update(routingPolicies)
      .set({ policy: change.policy, ...current })
      .where(
        sql`${routingPolicies.name} = ${change.name} and ${routingPolicies.version} = ${expected}`,
      )
      .returning({ name: routingPolicies.name });
  }
  if (touched.length === 0) throw conflict(change.name);
  await options.onCommit?.(transaction, record);
  await change.onCommit?.(transaction, record);
  return record;
}

export function createRoutingPolicyRepository(
  database: Database,
  options: PolicyRepositoryOptions = {},
): PolicyRepository {
  const { db } = database;
  return {
    async list() {
      const rows = await db.select().from(routingPolicies).orderBy(asc(routingPolicies.name));
      return rows satisfies StoredPolicy[];
    },

    async get(name) {
      const [row] = await db.select().from(routingPolicies).where(eq(routingPolicies.name, name));
      return row ?? null;
    },

    async versions(name) {
      const rows = await db
        .select()
        .from(routingPolicyVersions)
        .where(eq(routingPolicyVersions.name, name))
        .orderBy(asc(routingPolicyVersions.version));
      return rows.map(toRecord);
    },

    async commit(change) {
      try {
        return await db.transaction((transaction) => apply(transaction, change, options));
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(change.name);
        throw error;
      }
    },

    async revision() {
      const [row] = await db
        .select({
          count: sql<number>`count(*)::int`,
          latest: sql<string | null>`max(${routingPolicyVersions.createdAt})::text`,
        })
        .from(routingPolicyVersions);
      return `${row?.count ?? 0}/${row?.latest ?? ''}`;
    },
  };
}
