/**
 * The errors a request gets when routing leaves no candidate, each naming why: the
 * requirement no candidate meets (`unsupported_capability`), the cost cap
 * (`cost_limit_exceeded`), provider preferences (`upstream_unavailable`), an unknown policy or a
 * disabled model (`model_not_found`). `error.metadata` carries the exclusions.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { CostEstimate, ExcludedCandidate } from '../contracts/routing-decision.ts';
import { exclusionParam, exclusionRequirement } from './candidate-filters.ts';
import { formatUsd } from './strategies/routing-strategy.ts';

/** At most this many exclusions are named in a message (all are in `error.metadata`). */
const NAMED = 8;

function excludedMetadata(excluded: readonly ExcludedCandidate[]) {
  return excluded
    .slice(0, 50)
    .map(({ model, provider, reason_code }) => ({ model, provider, reason_code }));
}

function listed(excluded: readonly ExcludedCandidate[]): string {
  const named = excluded
    .slice(0, NAMED)
    .map((entry) => `${entry.model}@${entry.provider}: ${entry.reason_code}`);
  const more = excluded.length > NAMED ? `; and ${excluded.length - NAMED} more` : '';
  return `${named.join('; ')}${more}`;
}

/** Every candidate lacks something the request needs. */
export function unsupportedCapability(
  requested: string,
  excluded: readonly ExcludedCandidate[],
): SignalboxError {
  const requirements = [
    ...new Set(
      excluded
        .map((entry) => exclusionRequirement(entry.reason_code))
        .filter((name): name is string => name !== null),
    ),
  ];
  const capability = excluded.filter((entry) => exclusionRequirement(entry.reason_code) !== null);
  const first = capability[0];
  // One model (a plain model id on its providers) lacking one thing: say just that.
  const single =
    new Set(capability.map((entry) => entry.model)).size === 1 && requirements.length === 1;
  const sentence =
    single && first !== undefined
      ? first.reason
      : `No candidate of ${requested} can serve this request (it needs ${requirements.join(', ')}).`;
  return new SignalboxError(
    'unsupported_capability',
    `${sentence} Candidates: ${listed(excluded)}.`,
    {
      param: first === undefined ? null : exclusionParam(first.reason_code),
      metadata: { requirements, excluded: excludedMetadata(excluded) },
    },
  );
}

/** Every candidate's worst case is over the cap (or unknown under it). */
export function costLimitExceeded(
  capUsd: number,
  source: 'header' | 'policy',
  cheapest: { model: string; provider: string; cost: CostEstimate } | null,
  excluded: readonly ExcludedCandidate[],
): SignalboxError {
  const cap = `${formatUsd(capUsd)} cap (${source === 'header' ? 'x-signalbox-max-cost-usd' : "the policy's max_cost_usd"})`;
  const detail =
    cheapest === null
      ? 'no candidate is priced, so its worst case is unknown'
      : `the cheapest, ${cheapest.model} on ${cheapest.provider}, may cost up to ${formatUsd(cheapest.cost.max)} (estimated prompt + max output)`;
  return new SignalboxError(
    'cost_limit_exceeded',
    `Every candidate's worst-case cost is above the ${cap}: ${detail}. Lower max_tokens or raise the cap.`,
    {
      param: source === 'header' ? 'x-signalbox-max-cost-usd' : 'max_cost_usd',
      metadata: {
        max_cost_usd: capUsd,
        cheapest:
          cheapest === null
            ? null
            : {
                model: cheapest.model,
                provider: cheapest.provider,
                worst_case_usd: cheapest.cost.max,
              },
        excluded: excludedMetadata(excluded),
      },
    },
  );
}

/** Provider preferences (or a data policy) left no provider instance. */
export function noProviderLeft(excluded: readonly ExcludedCandidate[]): SignalboxError {
  return new SignalboxError(
    'upstream_unavailable',
    'No upstream can serve this model with these provider preferences.',
    { metadata: { excluded: excludedMetadata(excluded) } },
  );
}

export function unknownPolicy(requested: string): SignalboxError {
  return new SignalboxError(
    'model_not_found',
    `No routing policy is named "${requested.slice(0, 200)}".`,
    { param: 'model' },
  );
}

export function disabledModel(requested: string): SignalboxError {
  return new SignalboxError(
    'model_not_found',
    `The model "${requested.slice(0, 200)}" is disabled on this gateway.`,
    { param: 'model' },
  );
}

export function policyWithModelsList(): SignalboxError {
  return new SignalboxError(
    'invalid_request',
    'A signalbox/ policy chooses its own fallbacks: it cannot be combined with "models".',
    { param: 'models' },
  );
}
