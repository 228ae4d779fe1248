/**
 * Requirement filters: each answers, for one target (model × provider instance), null when it
 * may serve the request, or the machine-readable reason it may not. Pure and allocation-free
 * on the passing path; the reason codes are listed in docs/routing.md.
 */
import type { ExclusionCode } from '../contracts/routing-decision.ts';
import type { ProviderPreferences, RequestRequirements } from './request-requirements.ts';
import { featureRequirements } from './request-requirements.ts';
import { Feature, type RoutingModel } from './routing-catalog.ts';

/** One model on one provider instance, as the plan may try it. */
export interface Target {
  /** The id the client (or the policy) names, e.g. `openai/gpt-4o`, `openai/gpt-4o:nitro`. */
  readonly model: string;
  /** Provider instance id. */
  readonly provider: string;
  /** The model name this instance is sent. */
  readonly native: string;
  /** The catalogue's description of the model (the base model for routing shortcuts); undefined = uncatalogued. */
  readonly info: RoutingModel | undefined;
  /** The instance that serves every model (OpenRouter). */
  readonly isDefault: boolean;
}

export interface Exclusion {
  code: ExclusionCode;
  /** One sentence, built only if the decision lists this exclusion. */
  reason: () => string;
}

const featureCodes: ReadonlyMap<number, ExclusionCode> = new Map([
  [Feature.tools, 'tools_unsupported'],
  [Feature.toolChoice, 'tool_choice_unsupported'],
  [Feature.structuredOutputs, 'structured_outputs_unsupported'],
  [Feature.responseFormat, 'json_mode_unsupported'],
  [Feature.reasoning, 'reasoning_unsupported'],
  [Feature.image, 'image_input_unsupported'],
  [Feature.file, 'file_input_unsupported'],
  [Feature.audio, 'audio_input_unsupported'],
  [Feature.video, 'video_input_unsupported'],
]);

/**
 * OpenRouter's provider preferences with Signalbox instance ids (docs/decisions/0005): `ignore`
 * drops an instance; an `only` list naming a Signalbox instance keeps just those, while one
 * naming none of ours (OpenRouter's own provider slugs) is for the default provider to honour.
 * A data policy (`data_collection: "deny"`, `zdr: true`) can be enforced only by the default
 * provider, which applies it across its own providers.
 */
export function preferenceExclusion(
  target: Target,
  preferences: ProviderPreferences,
  namesOurs: boolean,
): Exclusion | null {
  if (preferences.ignore.includes(target.provider))
    return { code: 'provider_ignored', reason: () => `${target.provider} is in provider.ignore.` };
  if (preferences.only !== null) {
    const allowed = namesOurs ? preferences.only.includes(target.provider) : target.isDefault;
    if (!allowed)
      return {
        code: 'provider_not_in_only',
        reason: () =>
          namesOurs
            ? `${target.provider} is not in provider.only.`
            : 'provider.only names providers only the default provider can choose among.',
      };
  }
  if (preferences.restrictsData && !target.isDefault)
    return {
      code: 'data_policy_unverified',
      reason: () =>
        `The request's data policy (provider.data_collection / zdr) cannot be verified for ${target.provider}.`,
    };
  return null;
}

/**
 * The first capability the model lacks, or a context window too small for the estimated prompt
 * plus the requested output. Uncatalogued models and models only a direct provider describes
 * pass: their provider decides. File inputs pass on the default provider, which parses PDFs for
 * every model (OpenRouter "PDF inputs").
 */
export function capabilityExclusion(
  target: Target,
  requirements: RequestRequirements,
): Exclusion | null {
  const info = target.info;
  if (info === undefined || !info.capabilitiesKnown) return null;
  let missing = requirements.features & ~info.features;
  if (target.isDefault) missing &= ~Feature.file;
  if (missing !== 0) {
    for (const requirement of featureRequirements) {
      if ((missing & requirement.feature) === 0) continue;
      return {
        code: featureCodes.get(requirement.feature) ?? 'tools_unsupported',
        reason: () => `${target.model} does not support ${requirement.label}.`,
      };
    }
  }
  const needed = requirements.promptTokens + (requirements.maxOutputTokens ?? 0);
  if (info.contextLength !== null && needed > info.contextLength)
    return {
      code: 'context_length_exceeded',
      reason: () =>
        `${target.model} has a ${info.contextLength}-token context window; the request needs about ${needed} (prompt estimate + max output).`,
    };
  return null;
}

/** The request field a capability exclusion is about, for the error's `param`. */
export function exclusionParam(code: ExclusionCode): string | null {
  if (code === 'context_length_exceeded') return 'messages';
  for (const requirement of featureRequirements)
    if (featureCodes.get(requirement.feature) === code) return requirement.param;
  return null;
}

/** The requirement an exclusion code stands for (`tools`, `image_input`, …), or null. */
export function exclusionRequirement(code: ExclusionCode): string | null {
  if (code === 'context_length_exceeded') return 'context_length';
  for (const requirement of featureRequirements)
    if (featureCodes.get(requirement.feature) === code) return requirement.name;
  return null;
}
