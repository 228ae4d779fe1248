/** The decision's reasoning sentences about the target and OpenRouter's own routing fields. */
import { isRecord } from '../lib/is-record.ts';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { DecisionDraft } from './decision-draft.ts';
import type { Expansion } from './expand-targets.ts';
import { requirementNames, type RequestRequirements } from './request-requirements.ts';

const suffixMeaning: Readonly<Record<string, string>> = {
  ':nitro': 'OpenRouter picks its highest-throughput provider',
  ':floor': 'OpenRouter picks its cheapest provider',
  ':free': 'the free variant, rate-limited by OpenRouter',
};

/** How a plain model id is served. */
export function describeTarget(
  requested: string,
  expansion: Expansion,
  defaultProvider: string,
): string {
  const targets = expansion.targets;
  const direct = targets.filter((target) => !target.isDefault).map((target) => target.provider);
  if (targets[0]?.info === undefined)
    return `${requested} is not in the local catalogue: ${defaultProvider} decides.`;
  if (direct.length === 0) return `${requested} is catalogued; served by ${defaultProvider}.`;
  const fallback = targets.some((target) => target.isDefault)
    ? `, then ${defaultProvider} as the fallback for the same model`
    : '';
  return `Direct providers first (${direct.join(', ')})${fallback}.`;
}

/** Sentences for requirements, routing shortcuts and `provider` fields the request carries. */
export function describePreferences(
  draft: DecisionDraft,
  requirements: RequestRequirements,
  request: ChatCompletionRequest,
): void {
  const needs = requirementNames(requirements);
  if (needs.length > 0) draft.reasoning.push(`The request needs: ${needs.join(', ')}.`);
  const suffix = Object.keys(suffixMeaning).find((key) => draft.requested.endsWith(key));
  if (suffix !== undefined)
    draft.reasoning.push(`"${suffix}": ${suffixMeaning[suffix] ?? ''}; priced as its base model.`);
  if (request.models !== undefined)
    draft.reasoning.push(
      `OpenRouter's models list: the provider itself falls back through ${request.models.length} models in order.`,
    );
  const provider = request.provider;
  if (!isRecord(provider)) return;
  if (provider.sort !== undefined)
    draft.reasoning.push(
      `provider.sort=${JSON.stringify(provider.sort)}: OpenRouter orders its own providers by it.`,
    );
  if (requirements.preferences.order.length > 0)
    draft.reasoning.push(
      `provider.order (${requirements.preferences.order.join(', ')}) orders each model's providers.`,
    );
}
