/**
 * A policy version prepared for the request path: each variant's settings merged and
 * defaulted once, globs compiled, and a filter's matching catalogue models remembered per
 * catalogue load, so a request only does what depends on the request. Variant assignment is
 * a stable hash of the policy name and a sticky key (tensorzero `get_uniform_value` +
 * `sample_weighted`): the same user or key lands in the same variant on every instance.
 */
import type { StrategyName } from '../contracts/routing-decision.ts';
import { stableUnit } from '../lib/stable-hash.ts';
import {
  mergeSettings,
  type PolicyCandidate,
  type PolicySettings,
  type RoutingPolicy,
} from './policy-schema.ts';
import { capabilityFeature, type RoutingCatalog, type RoutingModel } from './routing-catalog.ts';

/** A stored policy version (version 0 = built in). */
export interface PolicyVersion {
  name: string;
  version: number;
  policy: RoutingPolicy;
}

export interface CompiledFilter {
  /** Whether a catalogue model passes the policy's (request-independent) filter. */
  matches(model: RoutingModel): boolean;
  /** Provider instance ids allowed to serve; null = any. */
  readonly providers: ReadonlySet<string> | null;
  /** The catalogue's models that pass, computed once per catalogue load. */
  models(catalog: RoutingCatalog): readonly RoutingModel[];
}

export interface EffectiveSettings {
  strategy: StrategyName;
  /** 0–1; default 0.5. */
  costWeight: number;
  /** Targets after the first; null = every candidate. */
  fallbacks: number | null;
  ttftTimeoutMs: number | null;
  maxCostUsd: number | null;
  quality: ReadonlyMap<string, number>;
  weights: ReadonlyMap<string, number>;
  candidates: readonly PolicyCandidate[] | null;
  filter: CompiledFilter | null;
}

export interface CompiledVariant {
  /** null when the policy has no variants. */
  name: string | null;
  weight: number;
  settings: EffectiveSettings;
}

export interface CompiledPolicy extends PolicyVersion {
  variants: readonly CompiledVariant[];
  totalWeight: number;
}

/** Targets a filter policy keeps when it does not say (a filter can match hundreds of models). */
const FILTER_DEFAULT_FALLBACKS = 2;

/** A model-id glob (`openai/*`, `*:free`; `*` = any run of characters) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

function compileFilter(filter: NonNullable<PolicySettings['filter']>): CompiledFilter {
  let required = 0;
  for (const capability of filter.supports ?? []) required |= capabilityFeature[capability];
  const include = filter.include?.map(globToRegExp) ?? null;
  const exclude = (filter.exclude ?? []).map(globToRegExp);
  const maxPrompt =
    filter.max_prompt_usd_per_mtok === undefined ? null : filter.max_prompt_usd_per_mtok / 1e6;
  const maxCompletion =
    filter.max_completion_usd_per_mtok === undefined
      ? null
      : filter.max_completion_usd_per_mtok / 1e6;
  const minContext = filter.min_context ?? null;
  const outputs =
    filter.output_modalities === undefined ? null : new Set<string>(filter.output_modalities);
  // A tolerance of one part in 1e9 keeps "$1 per 1M tokens" within a "max 1" filter despite floats.
  const within = (price: number | null, max: number | null): boolean =>
    max === null || (price !== null && price <= max * (1 + 1e-9));
  const matches = (model: RoutingModel): boolean =>
    (model.features & required) === required &&
    (minContext === null || (model.contextLength ?? 0) >= minContext) &&
    within(model.promptPrice, maxPrompt) &&
    within(model.completionPrice, maxCompletion) &&
    (outputs === null || model.outputModalities.every((modality) => outputs.has(modality))) &&
    (include === null || include.some((pattern) => pattern.test(model.id))) &&
    !exclude.some((pattern) => pattern.test(model.id));
  const cache = new WeakMap<RoutingCatalog, readonly RoutingModel[]>();
  return {
    matches,
    providers: filter.providers === undefined ? null : new Set(filter.providers),
    models(catalog) {
      let listed = cache.get(catalog);
      if (listed === undefined) {
        listed = catalog.models.filter(matches);
        cache.set(catalog, listed);
      }
      return listed;
    },
  };
}

function effective(settings: PolicySettings): EffectiveSettings {
  const filter = settings.filter === undefined ? null : compileFilter(settings.filter);
  return {
    strategy: settings.strategy ?? (filter === null ? 'ordered' : 'balanced'),
    costWeight: settings.cost_weight ?? 0.5,
    fallbacks: settings.fallbacks ?? (filter === null ? null : FILTER_DEFAULT_FALLBACKS),
    ttftTimeoutMs: settings.ttft_timeout_ms ?? null,
    maxCostUsd: settings.max_cost_usd ?? null,
    quality: new Map(Object.entries(settings.quality ?? {})),
    weights: new Map(Object.entries(settings.weights ?? {})),
    candidates: settings.candidates ?? null,
    filter,
  };
}

/** The policy's own settings, without its name and variants. */
export function policySettings(policy: RoutingPolicy): PolicySettings {
  const { name: _name, variants: _variants, ...settings } = policy;
  return settings;
}

/** Prepares a validated policy version for routing (O(size of the policy)). */
export function compilePolicy(source: PolicyVersion): CompiledPolicy {
  const base = policySettings(source.policy);
  const variants: CompiledVariant[] =
    source.policy.variants === undefined
      ? [{ name: null, weight: 1, settings: effective(base) }]
      : source.policy.variants.map((variant) => ({
          name: variant.name,
          weight: variant.weight,
          settings: effective(mergeSettings(base, variant)),
        }));
  return {
    ...source,
    variants,
    totalWeight: variants.reduce((total, variant) => total + variant.weight, 0),
  };
}

/**
 * The variant a sticky key falls in: a stable hash of the policy name and the key to [0, 1),
 * scaled by the total weight and looked up in the variants' cumulative weights, in order.
 * The version is not hashed, so an assignment survives edits that keep the weights.
 */
export function assignVariant(policy: CompiledPolicy, key: string): CompiledVariant {
  const first = policy.variants[0];
  if (first === undefined) throw new Error(`policy ${policy.name} has no variant`);
  if (policy.variants.length === 1) return first;
  const threshold = stableUnit('variant', policy.name, key) * policy.totalWeight;
  let cumulative = 0;
  for (const variant of policy.variants) {
    cumulative += variant.weight;
    if (cumulative > threshold) return variant;
  }
  // Float rounding at the very top: the last variant with any weight.
  return policy.variants.findLast((variant) => variant.weight > 0) ?? first;
}
