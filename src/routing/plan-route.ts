/**
 * Routing: a chat request becomes a RoutePlan — the attempt order for the pipeline and an
 * inspectable RoutingDecision. Pure: catalogue, policies, health and latency are passed in.
 *
 * Stages, in order (docs/routing.md): targets (a plain model's providers, or a policy's
 * candidates/filter) → provider preferences (`provider.only/ignore`, data policy) →
 * requirements (capabilities, context window) → cost cap → circuits (open ones excluded unless
 * every target is cooling down: then they stay and the attempt loop tries the one that reopens
 * first) → the strategy ranks (src/routing/strategies/) → `provider.order` → `fallbacks`.
 * The stage that leaves nothing decides the error.
 */
import type { SignalboxError } from '../contracts/errors.ts';
import {
  capabilityExclusion,
  preferenceExclusion,
  type Exclusion,
  type Target,
} from './candidate-filters.ts';
import { assignVariant, type EffectiveSettings } from './compiled-policy.ts';
import { circuitStage } from './circuit-stage.ts';
import { applyCostCap, costCap, priceTargets, type Priced } from './cost-stage.ts';
import { confidenceScore } from './confidence.ts';
import {
  createDecisionDraft,
  failedPlan,
  LISTED_CANDIDATES,
  successfulPlan,
  type DecisionDraft,
} from './decision-draft.ts';
import { estimateLatency } from './estimates.ts';
import { expandModel, expandPolicy, type Expansion } from './expand-targets.ts';
import { scoreObjectives } from './objective-scores.ts';
import { describePreferences, describeTarget } from './plan-reasoning.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { requestRequirements } from './request-requirements.ts';
import {
  POLICY_PREFIX,
  type RouteInput,
  type RoutePlan,
  type RoutingContext,
} from './route-plan.ts';
import { noSignals } from './route-signals.ts';
import * as failures from './routing-failures.ts';
import { strategies, type Contender } from './strategies/index.ts';

export { estimateCost } from './estimates.ts';

/** A plain model id: its providers in order, all of them tried. */
const PLAIN: EffectiveSettings = {
  strategy: 'ordered',
  costWeight: 0.5,
  fallbacks: null,
  ttftTimeoutMs: null,
  maxCostUsd: null,
  quality: new Map(),
  weights: new Map(),
  candidates: null,
  filter: null,
};

interface Stage {
  live: Target[];
  draft: DecisionDraft;
}

function filterStage(stage: Stage, exclusion: (target: Target) => Exclusion | null): void {
  const kept: Target[] = [];
  for (const target of stage.live) {
    const excluded = exclusion(target);
    if (excluded === null) kept.push(target);
    else stage.draft.excludeOne(target.model, target.provider, excluded.code, excluded.reason);
  }
  stage.live = kept;
}

/**
 * Sticky experiment key: the request's end user (`user`, or OpenAI's newer `safety_identifier`),
 * else the virtual key, else the request itself (not sticky: the master key has no identity).
 */
function stickyKey(input: RouteInput, fingerprint: () => string): { key: string; basis: string } {
  const user = input.request.user ?? input.request.safety_identifier;
  if (typeof user === 'string' && user !== '') return { key: `user:${user}`, basis: 'user' };
  if (input.keyId !== null) return { key: `key:${input.keyId}`, basis: 'virtual key' };
  return { key: `request:${fingerprint()}`, basis: 'request (no user or virtual key)' };
}

/** Groups each model's providers in `provider.order` order, keeping the models' ranked order. */
function applyProviderOrder(ranked: Contender[], order: readonly string[]): Contender[] {
  if (order.length === 0) return ranked;
  const modelRank = new Map<string, number>();
  for (const contender of ranked)
    if (!modelRank.has(contender.target.model))
      modelRank.set(contender.target.model, modelRank.size);
  const providerRank = (id: string): number => {
    const index = order.indexOf(id);
    return index === -1 ? order.length : index;
  };
  return ranked
    .map((contender, index) => ({ contender, index }))
    .sort(
      (left, right) =>
        (modelRank.get(left.contender.target.model) ?? 0) -
          (modelRank.get(right.contender.target.model) ?? 0) ||
        providerRank(left.contender.target.provider) -
          providerRank(right.contender.target.provider) ||
        left.index - right.index,
    )
    .map((entry) => entry.contender);
}

/**
 * Plans the route of one request. Never throws for the request's own reasons: a request that
 * cannot be routed gets a plan whose `failure` is the SignalboxError to answer with
 * (`unsupported_capability`, `cost_limit_exceeded`, `upstream_unavailable`,
 * `model_not_found`, `invalid_request`) and whose decision says why.
 */
export function planRoute(input: RouteInput, context: RoutingContext): RoutePlan {
  const clock = context.clock ?? (() => performance.now());
  const started = clock();
  const elapsedUs = (): number => (clock() - started) * 1000;
  const { request } = input;
  const requested = request.model ?? request.models?.[0] ?? '';
  const requirements = requestRequirements(request);
  const catalog = context.catalog();
  const signals = context.signals ?? noSignals;
  const draft = createDecisionDraft(requested);
  const fail = (failure: SignalboxError): RoutePlan =>
    failedPlan(draft, requirements, failure, elapsedUs);
  let fingerprint: string | null = null;
  const fingerprintOf = (): string => (fingerprint ??= requestFingerprint(request));

  let settings = PLAIN;
  let expansion: Expansion;
  let seed = '';
  if (requested.startsWith(POLICY_PREFIX)) {
    if (request.models !== undefined) return fail(failures.policyWithModelsList());
    const policy = context.policy?.(requested.slice(POLICY_PREFIX.length));
    if (policy === undefined) return fail(failures.unknownPolicy(requested));
    const sticky = stickyKey(input, fingerprintOf);
    const variant = assignVariant(policy, sticky.key);
    settings = variant.settings;
    draft.policy = { name: policy.name, version: policy.version, variant: variant.name };
    draft.reasoning.push(
      `Policy ${policy.name}@${policy.version}` +
        (variant.name === null
          ? '.'
          : `, variant ${variant.name} (weight ${variant.weight} of ${policy.totalWeight}), assigned by a hash of the ${sticky.basis}.`),
    );
    expansion = expandPolicy(settings, context, catalog);
    seed = `${policy.name}@${policy.version}/${variant.name ?? ''}`;
  } else {
    if (context.isModelDisabled?.(requested) === true)
      return fail(failures.disabledModel(requested));
    expansion = expandModel(requested, context, catalog, request.models !== undefined);
    draft.reasoning.push(describeTarget(requested, expansion, context.defaultProvider));
    if (request.models !== undefined) draft.providerFallbacks = request.models.slice(1);
  }
  draft.strategy = settings.strategy;
  draft.exclude(expansion.excluded);
  describePreferences(draft, requirements, request);
  const stage: Stage = { live: expansion.targets, draft };
  if (stage.live.length === 0) return fail(failures.noProviderLeft(draft.excluded));

  const { preferences } = requirements;
  const only = preferences.only;
  const namesOurs =
    only !== null &&
    (only.includes(context.defaultProvider) ||
      (context.directProviders ?? []).some((provider) => only.includes(provider.id)));
  if (only !== null || preferences.ignore.length > 0 || preferences.restrictsData) {
    filterStage(stage, (target) => preferenceExclusion(target, preferences, namesOurs));
    if (stage.live.length === 0) return fail(failures.noProviderLeft(draft.excluded));
  }

  filterStage(stage, (target) => capabilityExclusion(target, requirements));
  if (stage.live.length === 0)
    return fail(failures.unsupportedCapability(requested, draft.excluded));

  let priced = priceTargets(stage.live, request, catalog, requirements);
  const cap = costCap(input.maxCostUsd, settings.maxCostUsd);
  if (cap !== null) {
    draft.maxCostUsd = cap.usd;
    const capped = applyCostCap(priced, cap, draft);
    if (capped.kept.length === 0)
      return fail(failures.costLimitExceeded(cap.usd, cap.source, capped.cheapest, draft.excluded));
    priced = capped.kept;
  }

  const circuits = circuitStage(priced, signals, input.now, draft);

  const contenderOf = ({ target, cost }: Priced, baseIndex: number): Contender => ({
    target,
    baseIndex,
    cost,
    latency: estimateLatency(target, signals, target.info?.id ?? target.model),
    quality: settings.quality.get(target.model) ?? null,
    weight: settings.weights.get(target.model) ?? 1,
    scores: { cost: null, latency: null, quality: null, weight: null, total: 0 },
  });
  const contenders = circuits.ranked.map(contenderOf);
  scoreObjectives(contenders, input.stream);
  const strategy = strategies[settings.strategy];
  const limit = settings.fallbacks === null ? Infinity : settings.fallbacks + 1;
  const strategyContext = {
    costWeight: settings.costWeight,
    stream: input.stream,
    seed: settings.strategy === 'weighted' ? `${seed}|${fingerprintOf()}` : seed,
    // The route and the decision's listing are all that is read of the ranking.
    keep: Math.max(limit === Infinity ? contenders.length : limit, LISTED_CANDIDATES),
  };
  const ranked = applyProviderOrder(strategy.rank(contenders, strategyContext), preferences.order);
  // A plain model's order was described with its target (its providers, in order).
  if (settings !== PLAIN) draft.reasoning.push(strategy.describe(ranked, strategyContext));
  if (contenders.length > limit)
    draft.reasoning.push(`Fallbacks limited to ${settings.fallbacks ?? 0} by the policy.`);
  const route = ranked.slice(0, limit);
  const lastResort = circuits.lastResort
    .slice(0, Math.max(0, limit - route.length))
    .map((target, index) => contenderOf(target, contenders.length + index));
  return successfulPlan(
    draft,
    requirements,
    route,
    lastResort,
    ranked,
    contenders.length,
    confidenceScore(ranked, strategy),
    settings.ttftTimeoutMs,
    elapsedUs,
  );
}
