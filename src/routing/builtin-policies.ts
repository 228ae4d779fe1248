/**
 * Built-in policies (version 0). `signalbox/auto`: balanced cost and latency over every enabled
 * catalogued chat model that satisfies the request, leaving out OpenRouter's routers (priced
 * "-1"), the rate-limited `:free` variants and image or audio generators (whose per-token price
 * says nothing of what they cost). A stored policy of the same name replaces it.
 */
import { compilePolicy, type CompiledPolicy } from './compiled-policy.ts';
import type { RoutingPolicy } from './policy-schema.ts';

export const AUTO_POLICY: RoutingPolicy = {
  name: 'auto',
  description:
    'Balanced cost and latency over every enabled catalogued model that satisfies the request.',
  filter: { exclude: ['openrouter/*', '*:free'], output_modalities: ['text'] },
  strategy: 'balanced',
  cost_weight: 0.5,
  fallbacks: 2,
};

const builtins: ReadonlyMap<string, CompiledPolicy> = new Map([
  ['auto', compilePolicy({ name: 'auto', version: 0, policy: AUTO_POLICY })],
]);

/** The built-in policy of that name, or undefined. */
export function builtinPolicy(name: string): CompiledPolicy | undefined {
  return builtins.get(name);
}
