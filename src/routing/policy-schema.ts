/**
 * The routing policy document (docs/routing.md), validated with zod. A policy is addressed as
 * the model id `signalbox/<name>`. It lists its `candidates` (each optionally pinned to provider
 * instances) or instead a `filter` over the catalogue, a strategy and its settings, and
 * optionally `variants` that split traffic for an experiment, each overriding any field.
 * Unknown fields are refused (a typo must not silently do nothing).
 */
import { z } from 'zod';
import { capabilities } from '../catalog/catalog-entry.ts';
import type { StrategyName } from '../contracts/routing-decision.ts';
import { SignalboxError } from '../contracts/errors.ts';

export const strategyNames = [
  'ordered',
  'cheapest',
  'fastest',
  'balanced',
  'quality',
  'weighted',
] as const satisfies readonly StrategyName[];

/** `signalbox/<name>`: lower-case letters, digits, `.`, `_`, `-`; 1–64 characters. */
export const policyNamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const modelId = z.string().min(1).max(200);
const providerId = z.string().min(1).max(100);
/** `*` matches any run of characters: `openai/*`, `*:free`. */
const glob = z.string().min(1).max(200);
const usd = z.number().nonnegative().max(1_000_000);

const candidate = z.strictObject({
  model: modelId,
  /** Provider instance ids, in preference order; absent = every instance that serves the model. */
  providers: z.array(providerId).min(1).max(20).optional(),
});

const filter = z.strictObject({
  /** Catalogue capabilities every model must have (`supported_parameters`, input modalities). */
  supports: z.array(z.enum(capabilities)).max(capabilities.length).optional(),
  /** Tokens. */
  min_context: z.int().positive().optional(),
  max_prompt_usd_per_mtok: usd.optional(),
  max_completion_usd_per_mtok: usd.optional(),
  /** Provider instance ids allowed to serve. */
  providers: z.array(providerId).min(1).max(20).optional(),
  /** Model id globs; a model must match one (absent = every model). */
  include: z.array(glob).min(1).max(100).optional(),
  /** Model id globs; a model matching one is left out. */
  exclude: z.array(glob).max(100).optional(),
  /** Every output modality of a model must be listed (`["text"]` leaves out image and audio generators). */
  output_modalities: z
    .array(z.enum(['text', 'image', 'audio']))
    .min(1)
    .max(3)
    .optional(),
});

/** Every field a variant may override. */
const settings = {
  description: z.string().max(1000).optional(),
  candidates: z.array(candidate).min(1).max(100).optional(),
  filter: filter.optional(),
  strategy: z.enum(strategyNames).optional(),
  /** 0 = only performance counts, 1 = only cost (`balanced`). */
  cost_weight: z.number().min(0).max(1).optional(),
  /** Targets (model × provider) tried after the first; default all for `candidates`, 2 for `filter`. */
  fallbacks: z.int().min(0).max(20).optional(),
  /** Streams: time to first token before the next target takes over, ms. */
  ttft_timeout_ms: z.int().min(1).max(600_000).optional(),
  /** Candidates whose worst-case cost for the request is above this are excluded, USD. */
  max_cost_usd: z.number().positive().max(1_000_000).optional(),
  /** Quality scores 0–1 by model id (`quality`). */
  quality: z.record(modelId, z.number().min(0).max(1)).optional(),
  /** Relative weights by model id (`weighted`); unlisted models weigh 1. */
  weights: z.record(modelId, z.number().nonnegative().max(1_000_000)).optional(),
};

const variant = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, ".", "_" or "-" (1–32)'),
  /** Relative share of traffic. */
  weight: z.number().nonnegative().max(1_000_000),
  ...settings,
});

/** The policy document's zod schema (cross-field rules are applied by `parsePolicy`). */
export const routingPolicySchema = z.strictObject({
  name: z.string().regex(policyNamePattern, 'lower-case letters, digits, ".", "_" or "-" (1–64)'),
  ...settings,
  variants: z.array(variant).min(1).max(20).optional(),
});

export type RoutingPolicy = z.infer<typeof routingPolicySchema>;
export type PolicyVariant = z.infer<typeof variant>;
export type PolicyCandidate = z.infer<typeof candidate>;
export type PolicyFilter = z.infer<typeof filter>;
/** The fields a variant overrides: a policy without its name and variants. */
export type PolicySettings = Omit<RoutingPolicy, 'name' | 'variants'>;

function paramOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path)
    out +=
      typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  return out;
}

function invalid(param: string, message: string): SignalboxError {
  return new SignalboxError('invalid_request', `Invalid policy: ${message}`, { param });
}

/** Exactly one of `candidates` / `filter` once a variant's overrides are applied. */
function checkTargets(settingsOf: PolicySettings, where: string): void {
  const hasCandidates = settingsOf.candidates !== undefined;
  const hasFilter = settingsOf.filter !== undefined;
  if (hasCandidates === hasFilter)
    throw invalid(
      where === '' ? 'candidates' : where,
      `${where === '' ? 'the policy' : where} needs either "candidates" or "filter" (exactly one).`,
    );
}

/**
 * Validates a policy document.
 * @returns the document, typed (unknown fields refused, nothing added)
 * @throws SignalboxError `invalid_request` whose `param` is the path of the first bad field
 */
export function parsePolicy(body: unknown): RoutingPolicy {
  const result = routingPolicySchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue === undefined ? 'body' : paramOf(issue.path) || 'body';
    throw invalid(param, `${param}: ${issue?.message ?? 'invalid value'}.`);
  }
  const parsed = result.data;
  const { variants } = parsed;
  if (variants === undefined) {
    checkTargets(parsed, '');
    return parsed;
  }
  const names = new Set<string>();
  let total = 0;
  variants.forEach((entry, index) => {
    if (names.has(entry.name))
      throw invalid(`variants[${index}].name`, `variant "${entry.name}" appears twice.`);
    names.add(entry.name);
    total += entry.weight;
    checkTargets(mergeSettings(parsed, entry), `variants[${index}]`);
  });
  if (total <= 0) throw invalid('variants', "the variants' weights must add up to more than 0.");
  return parsed;
}

/**
 * The policy's settings with a variant's overrides applied. A variant that sets `candidates`
 * drops the policy's `filter` and the other way round, so it can switch how it finds models.
 */
export function mergeSettings(
  base: PolicySettings,
  overrides: Partial<PolicyVariant>,
): PolicySettings {
  const { name: _name, weight: _weight, ...fields } = overrides;
  const merged: PolicySettings = { ...base };
  if (fields.candidates !== undefined) delete merged.filter;
  if (fields.filter !== undefined) delete merged.candidates;
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return merged;
}
