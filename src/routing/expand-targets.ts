/**
 * The targets (model × provider instance) a request could go to, in the policy's own order,
 * before any filter: for a plain model its direct providers then the default provider; for a
 * policy each listed candidate (restricted to its pinned providers, in pin order) or every
 * catalogue model its filter matches.
 */
import type { ExcludedCandidate } from '../contracts/routing-decision.ts';
import type { Target } from './candidate-filters.ts';
import type { CompiledFilter, EffectiveSettings } from './compiled-policy.ts';
import type { ProviderRoute, RoutingContext } from './route-plan.ts';
import { resolveModel, type RoutingCatalog, type RoutingModel } from './routing-catalog.ts';

export interface Expansion {
  targets: Target[];
  excluded: ExcludedCandidate[];
}

/** Every instance that serves `id`: direct providers (configuration order), then the default. */
function servingTargets(
  id: string,
  info: RoutingModel | undefined,
  context: RoutingContext,
  expansion: Expansion,
  directAllowed: boolean,
): Target[] {
  const targets: Target[] = [];
  for (const direct of context.directProviders ?? []) {
    const native = direct.nativeModel(id);
    if (native === null) continue;
    if (!directAllowed) {
      expansion.excluded.push({
        model: id,
        provider: direct.id,
        reason_code: 'models_list_needs_default_provider',
        reason: `OpenRouter's models fallback list can only be honoured by ${context.defaultProvider}.`,
      });
      continue;
    }
    targets.push({ model: id, provider: direct.id, native, info, isDefault: false });
  }
  // A model only a direct provider serves has no default-provider fallback: the default
  // provider would answer 404 and hide the direct provider's real failure.
  if (info?.directOnly === true && targets.length > 0) {
    expansion.excluded.push({
      model: id,
      provider: context.defaultProvider,
      reason_code: 'not_served_by_default_provider',
      reason: `${id} is served only by direct providers.`,
    });
  } else {
    targets.push({
      model: id,
      provider: context.defaultProvider,
      native: id,
      info,
      isDefault: true,
    });
  }
  return targets;
}

/** A plain model id. `modelsList`: the request carries OpenRouter's `models` fallback list. */
export function expandModel(
  id: string,
  context: RoutingContext,
  catalog: RoutingCatalog,
  modelsList: boolean,
): Expansion {
  const expansion: Expansion = { targets: [], excluded: [] };
  expansion.targets = servingTargets(
    id,
    resolveModel(catalog, id).model,
    context,
    expansion,
    !modelsList,
  );
  return expansion;
}

function disabled(id: string, context: RoutingContext, expansion: Expansion): boolean {
  if (context.isModelDisabled?.(id) !== true) return false;
  expansion.excluded.push({
    model: id,
    provider: '*',
    reason_code: 'model_disabled',
    reason: `${id} is disabled by the operator.`,
  });
  return true;
}

const NO_DIRECT: readonly ProviderRoute[] = [];
/**
 * A filter's targets depend only on the catalogue load, the provider instances and the
 * operator's disabled models, so they are built once per combination (all stable between
 * catalogue loads) and shared by requests, which never mutate them.
 */
const filterTargets = new WeakMap<
  CompiledFilter,
  WeakMap<
    RoutingCatalog,
    WeakMap<readonly ProviderRoute[], { disabled: unknown; expansion: Expansion }>
  >
>();

function expandFilter(
  filter: CompiledFilter,
  context: RoutingContext,
  catalog: RoutingCatalog,
): Expansion {
  const expansion: Expansion = { targets: [], excluded: [] };
  for (const model of filter.models(catalog)) {
    if (disabled(model.id, context, expansion)) continue;
    for (const target of servingTargets(model.id, model, context, expansion, true))
      if (filter.providers === null || filter.providers.has(target.provider))
        expansion.targets.push(target);
  }
  return expansion;
}

function cachedFilterExpansion(
  filter: CompiledFilter,
  context: RoutingContext,
  catalog: RoutingCatalog,
): Expansion {
  let byCatalog = filterTargets.get(filter);
  if (byCatalog === undefined) {
    byCatalog = new WeakMap();
    filterTargets.set(filter, byCatalog);
  }
  let byProviders = byCatalog.get(catalog);
  if (byProviders === undefined) {
    byProviders = new WeakMap();
    byCatalog.set(catalog, byProviders);
  }
  const providers = context.directProviders ?? NO_DIRECT;
  const cached = byProviders.get(providers);
  if (cached !== undefined && cached.disabled === context.isModelDisabled) return cached.expansion;
  const expansion = expandFilter(filter, context, catalog);
  byProviders.set(providers, { disabled: context.isModelDisabled, expansion });
  return expansion;
}

/** A policy's candidates or filter. */
export function expandPolicy(
  settings: EffectiveSettings,
  context: RoutingContext,
  catalog: RoutingCatalog,
): Expansion {
  const expansion: Expansion = { targets: [], excluded: [] };
  if (settings.candidates !== null) {
    for (const candidate of settings.candidates) {
      if (disabled(candidate.model, context, expansion)) continue;
      const info = resolveModel(catalog, candidate.model).model;
      const serving = servingTargets(candidate.model, info, context, expansion, true);
      const pins = candidate.providers;
      if (pins === undefined) expansion.targets.push(...serving);
      else
        for (const pin of pins) {
          const target = serving.find((entry) => entry.provider === pin);
          if (target !== undefined) expansion.targets.push(target);
        }
    }
    return expansion;
  }
  return settings.filter === null
    ? expansion
    : cachedFilterExpansion(settings.filter, context, catalog);
}
