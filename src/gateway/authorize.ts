/**
 * Authorize: what a virtual key may ask for (docs/decisions/0013-virtual-keys.md). Runs in two
 * halves around plan:
 * - `authorize` (after validate, before plan): a request naming no model, or
 *   `signalbox/default`, gets the key's default policy; the models and policies it names must be
 *   allowed by the key's `models` globs and `policies`; for a request with `max_tokens` the
 *   key's `max_cost_per_request_usd` lowers the request's cost cap (the smaller of it and
 *   `x-signalbox-max-cost-usd`), which routing applies (without `max_tokens`, admission caps the
 *   output to what the key's cap affords); the key's metadata is copied into the request's tags.
 * - `authorizePlan` (after plan, before admit): a policy may choose models outside the key's
 *   globs; those targets are dropped, and none left is `model_not_allowed`.
 * Principals without limits (the master key) pass unchanged.
 */
import { SignalboxError } from '../contracts/errors.ts';
import type { KeyLimits, Principal } from '../contracts/principal.ts';
import { hasCompletionBound } from '../limits/reservation-cost.ts';
import { globToRegExp } from '../routing/compiled-policy.ts';
import { POLICY_PREFIX } from '../routing/route-plan.ts';
import type { RequestContext } from './request-context.ts';

/** The model a request names to get the key's default policy. */
export const DEFAULT_POLICY_MODEL = `${POLICY_PREFIX}default`;

interface CompiledLimits {
  models: readonly RegExp[] | null;
  policies: readonly RegExp[] | null;
}

// Principals are cached by the resolver, so a key's globs are compiled once, not per request.
const compiled = new WeakMap<KeyLimits, CompiledLimits>();

function compile(limits: KeyLimits): CompiledLimits {
  let entry = compiled.get(limits);
  if (entry === undefined) {
    entry = {
      models: limits.models?.map(globToRegExp) ?? null,
      policies: limits.policies?.map(globToRegExp) ?? null,
    };
    compiled.set(limits, entry);
  }
  return entry;
}

function matches(patterns: readonly RegExp[] | null, id: string): boolean {
  return patterns === null || patterns.some((pattern) => pattern.test(id));
}

function notAllowed(message: string): SignalboxError {
  return new SignalboxError('model_not_allowed', message, { param: 'model' });
}

/**
 * The body to validate: when the principal has a default policy and the body names no model,
 * the body with `model: "signalbox/<default>"` (its client bytes then no longer apply).
 */
export function withDefaultModel(input: unknown, principal: Principal): unknown {
  const policy = principal.limits?.defaultPolicy ?? null;
  if (policy === null || typeof input !== 'object' || input === null || Array.isArray(input))
    return input;
  const body = input as Record<string, unknown>;
  if (body.model !== undefined || body.models !== undefined) return input;
  return { ...body, model: `${POLICY_PREFIX}${policy}` };
}

/**
 * The first half, before plan.
 * @throws SignalboxError `model_not_allowed` for a model or policy outside the key's lists
 */
export function authorize(context: RequestContext): void {
  const { principal } = context;
  if (principal.metadata !== undefined) Object.assign(context.tags, principal.metadata);
  const limits = principal.limits;
  if (limits === undefined || context.body === null) return;
  let request = context.body.request;
  if (request.model === DEFAULT_POLICY_MODEL && limits.defaultPolicy !== null) {
    context.body = context.body.with({ model: `${POLICY_PREFIX}${limits.defaultPolicy}` });
    request = context.body.request;
  }
  const { models, policies } = compile(limits);
  const named = [
    ...(request.model === undefined ? [] : [request.model]),
    ...(request.models ?? []),
  ];
  for (const id of named) {
    if (id.startsWith(POLICY_PREFIX)) {
      const policy = id.slice(POLICY_PREFIX.length);
      if (!matches(policies, policy))
        throw notAllowed(
          `This key may not use the routing policy "${id}"; its policies: ${(limits.policies ?? []).join(', ') || 'none'}.`,
        );
    } else if (!matches(models, id)) {
      throw notAllowed(
        `This key may not use the model "${id}"; its models: ${(limits.models ?? []).join(', ') || 'none'}.`,
      );
    }
  }
  // With a completion bound the worst case is known here, so routing excludes what the key
  // cannot afford and the decision shows the cap. Without one, admission (limits-admission.ts)
  // sends the request with the largest max_tokens the cap affords instead of refusing it.
  if (limits.maxCostPerRequestNanoUsd !== null && hasCompletionBound(request)) {
    const cap = Number(limits.maxCostPerRequestNanoUsd) / 1e9;
    context.maxCostUsd = context.maxCostUsd === null ? cap : Math.min(context.maxCostUsd, cap);
  }
}

/**
 * The second half, after plan: drops the targets outside the key's model globs.
 * @throws SignalboxError `model_not_allowed` when no target is left
 */
export function authorizePlan(context: RequestContext): void {
  const limits = context.principal.limits;
  const plan = context.plan;
  if (limits?.models === undefined || limits.models === null || plan === null) return;
  const { models } = compile(limits);
  const allowed = plan.candidates.filter((candidate) => matches(models, candidate.canonicalModel));
  if (allowed.length === plan.candidates.length) return;
  if (allowed.length === 0)
    throw notAllowed(
      `None of the models routing chose for "${plan.decision.requested_model}" is among this key's models (${limits.models.join(', ')}).`,
    );
  context.plan = { ...plan, candidates: allowed };
}
