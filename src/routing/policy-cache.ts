/**
 * The policies the request path reads: every stored policy compiled once per change, plus the
 * built-ins, looked up synchronously by name. Reloaded after a local change and, for changes
 * made on other instances, on their change-bus notice (`policies`) and on a reconcile timer that
 * re-reads when the repository's revision moved (compose-routing.ts).
 */
import { builtinPolicy } from './builtin-policies.ts';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.ts';
import type { StoredPolicy } from './policy-repository.ts';

export interface PolicyCache {
  /** The current version of `name` (stored, else built in), or undefined. */
  get(name: string): CompiledPolicy | undefined;
  /** Re-reads every policy. */
  reload(): Promise<void>;
  /** Re-reads when the revision changed since the last read. */
  refresh(): Promise<void>;
}

export interface PolicySource {
  list(): Promise<StoredPolicy[]>;
  revision(): Promise<string>;
}

/** An empty cache until `reload()` resolves (then built-ins and stored policies). */
export function createPolicyCache(source: PolicySource | null): PolicyCache {
  let compiled = new Map<string, CompiledPolicy>();
  let revision: string | null = null;
  async function reload(): Promise<void> {
    if (source === null) return;
    const seen = await source.revision();
    const next = new Map<string, CompiledPolicy>();
    for (const policy of await source.list()) next.set(policy.name, compilePolicy(policy));
    compiled = next;
    revision = seen;
  }
  return {
    get: (name) => compiled.get(name) ?? builtinPolicy(name),
    reload,
    async refresh() {
      if (source === null) return;
      if ((await source.revision()) !== revision) await reload();
    },
  };
}
