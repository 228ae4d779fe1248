/**
 * The admin side of routing policies: create, replace, delete, roll back and promote, each a new
 * version recorded with who made it, when, and the diff — all through `commit()` below, the one
 * place a policy changes (governance's audit log hooks in there). Pure over a PolicyRepository.
 */
import { SignalboxError } from '../contracts/errors.ts';
import { builtinPolicy } from './builtin-policies.ts';
import { compilePolicy, policySettings, type CompiledPolicy } from './compiled-policy.ts';
import { diffPolicies } from './policy-diff.ts';
import type {
  PolicyAction,
  PolicyRepository,
  PolicyVersionRecord,
  StoredPolicy,
} from './policy-repository.ts';
import { mergeSettings, parsePolicy, type RoutingPolicy } from './policy-schema.ts';

/** Who makes a change: the caller's key id (`master` for the master key). */
export interface Actor {
  keyId: string;
  /**
   * Runs inside the change's transaction, after its version row is written (the audit log's
   * row, which must commit or roll back with the change). `transaction` is the storage's.
   */
  onCommit?: (transaction: unknown, version: PolicyVersionRecord) => Promise<void>;
}

export interface PolicyServiceOptions {
  repository: PolicyRepository;
  now?: () => Date;
  /**
   * Called after every committed change with the policy's name, e.g. to reload the request
   * path's policies and announce the change to the other instances.
   */
  onChange?: (name: string) => Promise<void> | void;
}

export interface PolicyService {
  list(): Promise<StoredPolicy[]>;
  /** @throws SignalboxError `policy_not_found` */
  get(name: string): Promise<StoredPolicy>;
  /** @throws SignalboxError `invalid_request` (bad document), `conflict` (name taken) */
  create(body: unknown, actor: Actor): Promise<StoredPolicy>;
  /** Replaces the document; no new version when nothing changed. @throws `policy_not_found`, `invalid_request`, `conflict` */
  update(name: string, body: unknown, actor: Actor): Promise<StoredPolicy>;
  /** @throws `policy_not_found`, `conflict` */
  remove(name: string, actor: Actor): Promise<PolicyVersionRecord>;
  /** Oldest first. @throws `policy_not_found` when the name never existed */
  versions(name: string): Promise<PolicyVersionRecord[]>;
  /** Makes an old version's content current again, as a new version. @throws `policy_not_found`, `invalid_request` */
  rollback(name: string, version: number, actor: Actor): Promise<StoredPolicy>;
  /** Ends the experiment: the variant's settings become the policy, as a new version. */
  promote(name: string, variant: string, actor: Actor): Promise<StoredPolicy>;
  /**
   * The policy a test runs against: `draft` (validated, numbered as the next version) or the
   * current version, else the built-in of that name. @throws `policy_not_found`, `invalid_request`
   */
  testTarget(name: string, draft: unknown): Promise<CompiledPolicy>;
}

function notFound(name: string): SignalboxError {
  return new SignalboxError(
    'policy_not_found',
    `No routing policy is named "${name.slice(0, 100)}".`,
    {
      param: 'name',
    },
  );
}

/** The document with the path's name (a body may omit it; if it names another, that is an error). */
function withName(name: string, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const named = (body as { name?: unknown }).name;
  if (named !== undefined && named !== name)
    throw new SignalboxError(
      'invalid_request',
      `The body names ${JSON.stringify(named)} but the path "${name}".`,
      {
        param: 'name',
      },
    );
  return { ...body, name };
}

function stored(record: PolicyVersionRecord): StoredPolicy {
  if (record.policy === null) throw new Error('a deleted version is not a stored policy');
  return {
    name: record.name,
    version: record.version,
    policy: record.policy,
    updatedAt: record.createdAt,
    updatedBy: record.createdBy,
  };
}

export function createPolicyService(options: PolicyServiceOptions): PolicyService {
  const { repository } = options;
  const now = options.now ?? (() => new Date());

  async function current(name: string): Promise<StoredPolicy> {
    const found = await repository.get(name);
    if (found === null) throw notFound(name);
    return found;
  }

  async function commit(
    name: string,
    action: PolicyAction,
    before: StoredPolicy | null,
    policy: RoutingPolicy | null,
    actor: Actor,
    note: string | null = null,
  ): Promise<PolicyVersionRecord> {
    const record = await repository.commit({
      name,
      action,
      policy,
      diff: diffPolicies(before?.policy, policy),
      actor: actor.keyId,
      note,
      at: now(),
      expectedVersion: before?.version ?? null,
      ...(actor.onCommit === undefined ? {} : { onCommit: actor.onCommit }),
    });
    await options.onChange?.(name);
    return record;
  }

  return {
    list: () => repository.list(),
    get: current,

    async create(body, actor) {
      const policy = parsePolicy(body);
      if ((await repository.get(policy.name)) !== null)
        throw new SignalboxError('conflict', `A routing policy named "${policy.name}" exists.`, {
          param: 'name',
        });
      return stored(await commit(policy.name, 'create', null, policy, actor));
    },

    async update(name, body, actor) {
      const before = await current(name);
      const policy = parsePolicy(withName(name, body));
      if (diffPolicies(before.policy, policy).length === 0) return before;
      return stored(await commit(name, 'update', before, policy, actor));
    },

    async remove(name, actor) {
      return commit(name, 'delete', await current(name), null, actor);
    },

    async versions(name) {
      const history = await repository.versions(name);
      if (history.length === 0) throw notFound(name);
      return history;
    },

    async rollback(name, version, actor) {
      const history = await repository.versions(name);
      const target = history.find((entry) => entry.version === version);
      if (target === undefined) throw notFound(`${name}@${version}`);
      if (target.policy === null)
        throw new SignalboxError(
          'invalid_request',
          `Version ${version} of "${name}" is a deletion.`,
          {
            param: 'version',
          },
        );
      const before = await repository.get(name);
      return stored(
        await commit(name, 'rollback', before, target.policy, actor, `restored version ${version}`),
      );
    },

    async promote(name, variant, actor) {
      const before = await current(name);
      const chosen = before.policy.variants?.find((entry) => entry.name === variant);
      if (chosen === undefined)
        throw new SignalboxError('invalid_request', `"${name}" has no variant "${variant}".`, {
          param: 'variant',
        });
      const policy = parsePolicy({ name, ...mergeSettings(policySettings(before.policy), chosen) });
      return stored(
        await commit(name, 'promote', before, policy, actor, `promoted variant ${variant}`),
      );
    },

    async testTarget(name, draft) {
      const found = await repository.get(name);
      if (draft !== undefined && draft !== null) {
        const policy = parsePolicy(withName(name, draft));
        return compilePolicy({ name, version: (found?.version ?? 0) + 1, policy });
      }
      if (found !== null) return compilePolicy(found);
      const builtin = builtinPolicy(name);
      if (builtin === undefined) throw notFound(name);
      return builtin;
    },
  };
}
