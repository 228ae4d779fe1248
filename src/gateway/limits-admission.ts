/**
 * The `admit` stage's governance (GatewayServices.admission): for a principal with limits, in
 * this order — a place under the key's `max_concurrency` (waiting in the queue when full), the
 * budget reservation (key and project, reserve then settle; may cap `max_tokens`), then the
 * requests- and tokens-per-minute limits of the key and the project, taken all-or-nothing.
 * Whatever was taken is given back when a later step refuses, and settled once by settle:
 * the place released, the reservation replaced by the actual cost, the tokens corrected with
 * the actual usage. A principal without limits (the master key) costs one property check.
 * docs/decisions/0014-rate-limits-and-budgets.md.
 */
import type { BudgetScope } from '../contracts/budget-usage.ts';
import { SignalboxError } from '../contracts/errors.ts';
import { NO_METRICS, type Metrics } from '../contracts/metrics.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import type { KeyLimits, Principal, UsageLimits } from '../contracts/principal.ts';
import type { AdmissionQueue } from '../limits/admission-queue.ts';
import { budgetPeriodStart } from '../limits/budget-period.ts';
import { holdKey, type BudgetHold, type BudgetStore } from '../limits/budget-store.ts';
import type { RateLimiter, RateState, RateTake } from '../limits/rate-limiter.ts';
import {
  affordableCompletionTokens,
  hasCompletionBound,
  largestCompletionTokens,
  worstCaseNanoUsd,
} from '../limits/reservation-cost.ts';
import { ControlHealth, SKIPPED } from '../limits/store-failure.ts';
import { nanoToUsdNumber } from '../pricing/decimal.ts';
import type { Admission, GatewayLogger } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/** Holds outlive the request's deadline by this much before they lapse, ms. */
export const HOLD_GRACE_MS = 30_000;

export interface LimitsAdmissionOptions {
  budgets: BudgetStore;
  rates: RateLimiter;
  queue: AdmissionQueue;
  /** Catalogue lookup (prices) of the plan's candidates. */
  lookupModel: (id: string) => ModelInfo | undefined;
  /** IANA zone of the budget periods. */
  timeZone: string;
  health: { rates: ControlHealth; concurrency: ControlHealth; budgets: ControlHealth };
  logger: GatewayLogger;
  /** Rate-limit rejections, queue depth and wait, budget use (src/contracts/metrics.ts). */
  metrics?: Metrics;
  now?: () => number;
}

/** A budget's use gauge is refreshed at most this often (one store read per budget), ms. */
const BUDGET_GAUGE_INTERVAL_MS = 1_000;

export interface LimitsAdmission extends Admission {
  /** The controls whose store is unreachable now (`/health/ready`). */
  degraded(): string[];
}

/** The budgets a principal falls under, in their current periods. */
export function budgetHolds(principal: Principal, now: number, timeZone: string): BudgetHold[] {
  const holds: BudgetHold[] = [];
  const add = (scope: BudgetScope, limits: UsageLimits | undefined): void => {
    const budget = limits?.budget ?? null;
    if (budget === null) return;
    holds.push({ scope, budget, periodStart: budgetPeriodStart(budget.period, now, timeZone) });
  };
  add({ kind: 'key', id: principal.keyId }, principal.limits);
  if (principal.projectId !== null)
    add({ kind: 'project', id: principal.projectId }, principal.projectLimits);
  return holds;
}

/** Go-style duration, as OpenAI's `x-ratelimit-reset-*` (`20ms`, `1.5s`, `6m0s`). */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 100) / 10;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds - minutes * 60)}s`;
}

function usd(nano: bigint): string {
  return `$${nanoToUsdNumber(nano).toFixed(6)}`;
}

/** What one admitted request holds, given back by settle (or a later refusal). */
interface Holds {
  concurrencyKey: string | null;
  budget: { holds: BudgetHold[]; reservedNanoUsd: bigint } | null;
  /** Tokens-per-minute limits taken, with the estimate taken. */
  tokens: { key: string; limit: number }[];
  estimatedTokens: number;
}

export function createLimitsAdmission(options: LimitsAdmissionOptions): LimitsAdmission {
  const { budgets, rates, queue, health, logger } = options;
  const metrics = options.metrics ?? NO_METRICS;
  const now = options.now ?? Date.now;
  const budgetGaugeReadAt = new Map<string, number>();

  /** Refreshes the use gauge of each budget `holds` touched (throttled per budget). */
  function observeBudgets(holdsHeld: readonly BudgetHold[]): void {
    const at = now();
    for (const hold of holdsHeld) {
      const key = holdKey(hold);
      if (at - (budgetGaugeReadAt.get(key) ?? 0) < BUDGET_GAUGE_INTERVAL_MS) continue;
      budgetGaugeReadAt.set(key, at);
      if (budgetGaugeReadAt.size > 10_000) budgetGaugeReadAt.clear();
      budgets
        .usage(hold.scope, hold.budget)
        .then((usage) => {
          const limit = Number(hold.budget.limitNanoUsd);
          if (limit > 0)
            metrics.budgetUsed(hold.scope.kind, hold.scope.id, Number(usage.spentNanoUsd) / limit);
        })
        .catch(() => undefined);
    }
  }

  /** Gives back what `holds` took; the store calls run together (one round trip's wait). */
  async function release(context: RequestContext, holds: Holds, actual: bigint | null) {
    const calls: Promise<void>[] = [];
    if (holds.concurrencyKey !== null)
      calls.push(
        queue.release(holds.concurrencyKey, context.id).catch((error: unknown) => {
          health.concurrency.failed(error);
        }),
      );
    if (holds.budget !== null) {
      const { holds: budgetHoldsHeld, reservedNanoUsd } = holds.budget;
      const charged = actual ?? (billedWithoutCost(context) ? reservedNanoUsd : 0n);
      calls.push(
        budgets.settle(context.id, budgetHoldsHeld, charged).then(
          () => {
            observeBudgets(budgetHoldsHeld);
          },
          (error: unknown) => {
            health.budgets.failed(error);
            logger.error(
              { err: error, requestId: context.id, costNanoUsd: charged.toString() },
              'budget settle failed: the spend is read from the ledger when the counters reload',
            );
          },
        ),
      );
    }
    if (holds.tokens.length > 0) {
      const used = usedTokens(context);
      const delta = used === null ? 0 : used - holds.estimatedTokens;
      for (const { key, limit } of holds.tokens)
        calls.push(
          rates.adjust(key, limit, delta).catch((error: unknown) => {
            health.rates.failed(error);
          }),
        );
    }
    await Promise.all(calls);
  }

  async function takeConcurrency(context: RequestContext, limits: KeyLimits, holds: Holds) {
    const max = limits.maxConcurrency;
    if (max === null) return;
    const key = `key:${context.principal.keyId}`;
    const ttlMs = context.deadlineAt - now() + HOLD_GRACE_MS;
    const started = performance.now();
    const waited = await health.concurrency
      .guard(() =>
        queue.acquire({
          key,
          max,
          holder: context.id,
          ttlMs,
          fairnessKey: context.principal.keyId,
          signal: context.abort.signal,
        }),
      )
      .catch((error: unknown) => {
        // Refused after waiting (max wait, client gone): the ledger still says how long.
        const elapsed = Math.round(performance.now() - started);
        if (elapsed > 0) {
          context.queueWaitMs = elapsed;
          metrics.queueWaitMs(elapsed);
        }
        metrics.queueDepth(queue.depth());
        if (error instanceof SignalboxError && error.code === 'rate_limit_exceeded')
          metrics.rateLimitRejected('concurrency');
        throw error;
      });
    if (waited === SKIPPED) {
      degrade(context, 'concurrency');
      return;
    }
    holds.concurrencyKey = key;
    if (waited > 0) {
      context.queueWaitMs = Math.round(waited);
      metrics.queueWaitMs(waited);
      metrics.queueDepth(queue.depth());
    }
  }

  async function reserveBudget(context: RequestContext, holds: Holds): Promise<void> {
    const { principal } = context;
    const body = context.body;
    const plan = context.plan;
    if (body === null || plan === null) throw new Error('admit before validate and plan');
    const budgetsHeld = budgetHolds(principal, now(), options.timeZone);
    const perRequest = principal.limits?.maxCostPerRequestNanoUsd ?? null;
    if (budgetsHeld.length === 0 && perRequest === null) return;
    const request = body.request;
    const promptBytes = body.bytes?.length ?? Buffer.byteLength(JSON.stringify(request), 'utf8');
    const models = plan.candidates.map((candidate) => options.lookupModel(candidate.pricingModel));
    const explicit = hasCompletionBound(request);
    // Without a bound of its own, the request is sent with one: the largest completion any
    // candidate allows, or less when the budget cannot afford that. The guarantee then holds
    // even with an upstream that would answer longer than the model's advertised maximum.
    const upper = explicit ? null : largestCompletionTokens(models);
    const worst = explicit
      ? worstCaseNanoUsd(request, promptBytes, models, null)
      : upper === null
        ? null
        : worstCaseNanoUsd(request, promptBytes, models, upper);
    if (worst === null) {
      if (principal.limits?.allowUnpriced !== true)
        throw new SignalboxError(
          'budget_requires_price',
          'This key has a budget or a cost limit, and the model has no known price, so its cost cannot be reserved.',
          { param: 'model' },
        );
      if (budgetsHeld.length > 0) await reserve(context, holds, budgetsHeld, 1n, 1n);
      return;
    }
    const minimum = explicit ? worst : (worstCaseNanoUsd(request, promptBytes, models, 1) ?? worst);
    if (perRequest !== null && minimum > perRequest)
      throw new SignalboxError(
        'cost_limit_exceeded',
        `This request may cost up to ${usd(minimum)}, above the key's limit of ${usd(perRequest)} per request. Lower max_tokens.`,
        { param: explicit ? 'max_tokens' : null },
      );
    let allowed = perRequest !== null && worst > perRequest ? perRequest : worst;
    if (budgetsHeld.length > 0) {
      const reserved = await reserve(context, holds, budgetsHeld, allowed, minimum);
      if (reserved === null && upper === null) return;
      if (reserved !== null) allowed = reserved;
    }
    if (upper === null) return;
    const capped =
      allowed >= worst
        ? upper
        : affordableCompletionTokens(request, promptBytes, models, allowed, upper);
    context.body = body.with({ max_tokens: capped });
    context.responseHeaders['x-signalbox-max-tokens-capped'] = String(capped);
  }

  /** The amount reserved; null when the store was skipped (fail open). */
  async function reserve(
    context: RequestContext,
    holds: Holds,
    budgetsHeld: BudgetHold[],
    amount: bigint,
    minimum: bigint,
  ): Promise<bigint | null> {
    const result = await health.budgets.guard(() =>
      budgets.reserve({
        id: context.id,
        holds: budgetsHeld,
        amountNanoUsd: amount,
        minimumNanoUsd: minimum,
        ttlMs: context.deadlineAt - now() + HOLD_GRACE_MS,
      }),
    );
    if (result === SKIPPED) {
      degrade(context, 'budgets');
      return null;
    }
    if (!result.ok)
      throw new SignalboxError(
        'budget_exceeded',
        `Budget exceeded: ${usd(result.availableNanoUsd)} is left (requests in flight included), and this request needs at least ${usd(minimum)}.`,
        { metadata: { available_usd: nanoToUsdNumber(result.availableNanoUsd) } },
      );
    holds.budget = { holds: budgetsHeld, reservedNanoUsd: result.reservedNanoUsd };
    return result.reservedNanoUsd;
  }

  async function takeRates(context: RequestContext, holds: Holds): Promise<void> {
    const { principal } = context;
    const body = context.body;
    if (body === null) return;
    const scopes: { name: string; limits: UsageLimits | undefined }[] = [
      { name: `key:${principal.keyId}`, limits: principal.limits },
    ];
    if (principal.projectId !== null)
      scopes.push({ name: `project:${principal.projectId}`, limits: principal.projectLimits });
    const requestTakes: RateTake[] = [];
    const tokenTakes: RateTake[] = [];
    let estimate = 0;
    if (scopes.some((scope) => (scope.limits?.tpm ?? null) !== null)) {
      estimate = estimatedTokens(context, options.lookupModel);
    }
    for (const { name, limits } of scopes) {
      if (limits?.rpm != null)
        requestTakes.push({ key: `rpm:${name}`, limit: limits.rpm, cost: 1 });
      if (limits?.tpm != null)
        tokenTakes.push({
          key: `tpm:${name}`,
          limit: limits.tpm,
          // One request may use a whole minute's tokens; settle corrects the estimate.
          cost: Math.min(estimate, limits.tpm),
        });
    }
    const takes = [...requestTakes, ...tokenTakes];
    if (takes.length === 0) return;
    const result = await health.rates.guard(() => rates.take(takes));
    if (result === SKIPPED) {
      degrade(context, 'rate_limits');
      return;
    }
    setRateHeaders(context, result.states.slice(0, requestTakes.length), 'requests');
    setRateHeaders(context, result.states.slice(requestTakes.length), 'tokens');
    if (!result.allowed) {
      const exhausted = result.states.findIndex((state) => state.remaining <= 0);
      metrics.rateLimitRejected(exhausted >= 0 && exhausted < requestTakes.length ? 'rpm' : 'tpm');
      const seconds = Number.isFinite(result.retryAfterMs)
        ? Math.max(1, Math.ceil(result.retryAfterMs / 1000))
        : 60;
      throw new SignalboxError(
        'rate_limit_exceeded',
        `Rate limit reached for this key${principal.projectId === null ? '' : ' or its project'}; retry in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    }
    holds.tokens = tokenTakes.map((take) => ({ key: take.key, limit: take.limit }));
    holds.estimatedTokens = Math.min(estimate, ...tokenTakes.map((take) => take.limit));
  }

  return {
    async admit(context) {
      const { principal } = context;
      const limits = principal.limits;
      if (limits === undefined && principal.projectLimits === undefined) return;
      const holds: Holds = { concurrencyKey: null, budget: null, tokens: [], estimatedTokens: 0 };
      try {
        if (limits !== undefined) await takeConcurrency(context, limits, holds);
        await reserveBudget(context, holds);
        await takeRates(context, holds);
      } catch (error) {
        await release(context, { ...holds, tokens: [] }, 0n);
        throw error;
      }
      if (holds.concurrencyKey === null && holds.budget === null && holds.tokens.length === 0)
        return;
      context.reservation = {
        settle: (actual) => release(context, holds, actual),
      };
    },
    degraded: () =>
      [health.rates, health.concurrency, health.budgets]
        .filter((control) => control.degraded)
        .map((control) => control.control),
  };
}

function degrade(context: RequestContext, control: string): void {
  const present = context.responseHeaders['x-signalbox-degraded'];
  context.responseHeaders['x-signalbox-degraded'] =
    present === undefined ? control : `${present}, ${control}`;
}

/** The most restrictive of the states (fewest remaining) as OpenAI's three headers. */
function setRateHeaders(
  context: RequestContext,
  states: readonly RateState[],
  unit: 'requests' | 'tokens',
): void {
  let tightest: RateState | undefined;
  for (const state of states)
    if (tightest === undefined || state.remaining < tightest.remaining) tightest = state;
  if (tightest === undefined) return;
  context.responseHeaders[`x-ratelimit-limit-${unit}`] = String(tightest.limit);
  context.responseHeaders[`x-ratelimit-remaining-${unit}`] = String(tightest.remaining);
  context.responseHeaders[`x-ratelimit-reset-${unit}`] = formatResetDuration(tightest.resetMs);
}

/**
 * Tokens a request may use: its prompt estimated at 4 bytes a token plus the largest
 * completion it allows (its `max_tokens`, else the candidates' largest), times `n`.
 */
function estimatedTokens(
  context: RequestContext,
  lookupModel: (id: string) => ModelInfo | undefined,
): number {
  const body = context.body;
  if (body === null) return 0;
  const request = body.request;
  const bytes = body.bytes?.length ?? Buffer.byteLength(JSON.stringify(request), 'utf8');
  const models = (context.plan?.candidates ?? []).map((candidate) =>
    lookupModel(candidate.pricingModel),
  );
  const completion =
    request.max_completion_tokens ?? request.max_tokens ?? largestCompletionTokens(models) ?? 0;
  const choices = typeof request.n === 'number' && request.n > 0 ? request.n : 1;
  return Math.ceil(bytes / 4) + Math.max(0, completion) * choices;
}

/** Prompt + completion tokens of the attempt that reported usage last; null when none did. */
function usedTokens(context: RequestContext): number | null {
  for (let index = context.attempts.length - 1; index >= 0; index -= 1) {
    const attempt = context.attempts[index];
    if (attempt?.promptTokens != null)
      return attempt.promptTokens + (attempt.completionTokens ?? 0);
  }
  return null;
}

/** Whether an upstream may have billed the request though no cost is known. */
function billedWithoutCost(context: RequestContext): boolean {
  return context.attempts.some(
    (attempt) => attempt.generationId !== null || attempt.status === 'success',
  );
}
