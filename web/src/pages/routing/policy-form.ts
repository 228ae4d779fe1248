/**
 * The policy builder's form values and their translation to and from the policy document
 * (docs/routing.md). Fields the builder does not edit (quality scores, weights, variants) travel
 * as one JSON object in `advanced`, so nothing in a loaded policy is lost on save.
 */
import type { StoredPolicy } from '../../api/types';

export const strategies = [
  { value: 'ordered', label: 'Ordered — the listed order' },
  { value: 'cheapest', label: 'Cheapest — lowest expected cost' },
  { value: 'fastest', label: 'Fastest — lowest observed latency' },
  { value: 'balanced', label: 'Balanced — cost ↔ performance' },
  { value: 'quality', label: 'Quality — your scores' },
  { value: 'weighted', label: 'Weighted — random by weight' },
] as const;

export type Strategy = (typeof strategies)[number]['value'];

/** A number input's value: '' when empty. */
type Optional = number | '';

export interface CandidateRow {
  model: string;
  providers: string[];
}

export interface PolicyFormValues {
  name: string;
  description: string;
  mode: 'candidates' | 'filter';
  candidates: CandidateRow[];
  supports: string[];
  minContext: Optional;
  maxPromptUsdPerMtok: Optional;
  maxCompletionUsdPerMtok: Optional;
  filterProviders: string[];
  include: string[];
  exclude: string[];
  textOnly: boolean;
  strategy: Strategy;
  costWeight: number;
  fallbacks: Optional;
  ttftTimeoutMs: Optional;
  maxCostUsd: Optional;
  /** JSON object: `quality`, `weights`, `variants` (an experiment). */
  advanced: string;
}

export const emptyPolicy: PolicyFormValues = {
  name: '',
  description: '',
  mode: 'candidates',
  candidates: [{ model: 'openai/gpt-4o-mini', providers: [] }],
  supports: [],
  minContext: '',
  maxPromptUsdPerMtok: '',
  maxCompletionUsdPerMtok: '',
  filterProviders: [],
  include: [],
  exclude: [],
  textOnly: true,
  strategy: 'ordered',
  costWeight: 0.5,
  fallbacks: '',
  ttftTimeoutMs: '',
  maxCostUsd: '',
  advanced: '{}',
};

const ADVANCED = ['quality', 'weights', 'variants'] as const;

/** Form values showing a stored policy. */
export function formFromPolicy(policy: StoredPolicy): PolicyFormValues {
  const filter = policy.filter;
  const advanced = Object.fromEntries(
    ADVANCED.filter((key) => policy[key] !== undefined).map((key) => [key, policy[key]]),
  );
  const optional = (value: number | undefined): Optional => value ?? '';
  return {
    name: policy.name,
    description: policy.description ?? '',
    mode: filter === undefined ? 'candidates' : 'filter',
    candidates: (policy.candidates ?? []).map((candidate) => ({
      model: candidate.model,
      providers: candidate.providers ?? [],
    })),
    supports: filter?.supports ?? [],
    minContext: optional(filter?.min_context),
    maxPromptUsdPerMtok: optional(filter?.max_prompt_usd_per_mtok),
    maxCompletionUsdPerMtok: optional(filter?.max_completion_usd_per_mtok),
    filterProviders: filter?.providers ?? [],
    include: filter?.include ?? [],
    exclude: filter?.exclude ?? [],
    textOnly: filter?.output_modalities?.length === 1 && filter.output_modalities[0] === 'text',
    strategy: policy.strategy ?? (filter === undefined ? 'ordered' : 'balanced'),
    costWeight: policy.cost_weight ?? 0.5,
    fallbacks: optional(policy.fallbacks),
    ttftTimeoutMs: optional(policy.ttft_timeout_ms),
    maxCostUsd: optional(policy.max_cost_usd),
    advanced: JSON.stringify(advanced, null, 2),
  };
}

function set<T>(target: Record<string, unknown>, key: string, value: T | '' | undefined): void {
  if (value === '' || value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

/**
 * The policy document the form describes.
 * @throws Error when `advanced` is not a JSON object
 */
export function policyFromForm(values: PolicyFormValues): Record<string, unknown> {
  const document: Record<string, unknown> = { name: values.name.trim() };
  set(document, 'description', values.description.trim());
  if (values.mode === 'candidates')
    document.candidates = values.candidates
      .filter((candidate) => candidate.model.trim() !== '')
      .map((candidate) => ({
        model: candidate.model.trim(),
        ...(candidate.providers.length === 0 ? {} : { providers: candidate.providers }),
      }));
  else {
    const filter: Record<string, unknown> = {};
    set(filter, 'supports', values.supports);
    set(filter, 'min_context', values.minContext);
    set(filter, 'max_prompt_usd_per_mtok', values.maxPromptUsdPerMtok);
    set(filter, 'max_completion_usd_per_mtok', values.maxCompletionUsdPerMtok);
    set(filter, 'providers', values.filterProviders);
    set(filter, 'include', values.include);
    set(filter, 'exclude', values.exclude);
    if (values.textOnly) filter.output_modalities = ['text'];
    document.filter = filter;
  }
  document.strategy = values.strategy;
  if (values.strategy === 'balanced') document.cost_weight = values.costWeight;
  set(document, 'fallbacks', values.fallbacks);
  set(document, 'ttft_timeout_ms', values.ttftTimeoutMs);
  set(document, 'max_cost_usd', values.maxCostUsd);
  const advanced: unknown = JSON.parse(values.advanced.trim() === '' ? '{}' : values.advanced);
  if (advanced === null || typeof advanced !== 'object' || Array.isArray(advanced))
    throw new Error('Advanced settings must be a JSON object.');
  return { ...document, ...(advanced as Record<string, unknown>) };
}

/** The cost ↔ performance slider's caption. */
export function costWeightLabel(weight: number): string {
  if (weight === 0) return 'performance only';
  if (weight === 1) return 'cost only';
  return `${Math.round(weight * 100)}% cost, ${Math.round((1 - weight) * 100)}% performance`;
}
