/**
 * What routing is given and what it returns. Pure: the catalogue, the policies and the health
 * and latency signals are passed in (RoutingContext), never fetched.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { SignalboxError } from '../contracts/errors.ts';
import type { RoutingDecision } from '../contracts/routing-decision.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import type { RoutingSignals } from './route-signals.ts';
import type { RoutingCatalog } from './routing-catalog.ts';

/** One target the attempt loop tries: a provider instance and the model name it is sent. */
export interface RouteCandidate {
  provider: string;
  /** The model name sent to this provider (its native name for a direct provider). */
  model: string;
  /** The id the plan routed (the canonical OpenRouter id, with any `:nitro`-style suffix). */
  canonicalModel: string;
  /** The catalogue id whose prices apply (the base model for a routing shortcut). */
  pricingModel: string;
  /** `first choice`, `fallback 1`, … */
  reason: string;
  /** Worst-case cost of the request on this target, nano-USD; null when unpriced. */
  estimatedCostNanoUsd: bigint | null;
}

export interface RoutePlan {
  /** The inspectable decision (stored in the ledger, returned by explain). */
  readonly decision: RoutingDecision;
  /** The targets in the order they are tried; empty when `failure` is set. */
  readonly candidates: readonly RouteCandidate[];
  /** Streams: time to first token before the next target takes over (the policy's), ms; null = configured. */
  readonly ttftTimeoutMs: number | null;
  /** Set when the request cannot be routed: the error it must get. */
  readonly failure: SignalboxError | null;
}

/** A direct provider instance as routing sees it. */
export interface ProviderRoute {
  id: string;
  /** The native model name it serves for a canonical id, or null. */
  nativeModel(canonicalId: string): string | null;
}

export interface RoutingContext {
  /** The provider instance that serves every model (OpenRouter). */
  defaultProvider: string;
  /** Direct provider instances, in configuration order. */
  directProviders?: readonly ProviderRoute[];
  /** The current catalogue (rebuilt on each catalogue load). */
  catalog(): RoutingCatalog;
  /** Models the operator disabled: never routed. */
  isModelDisabled?: (id: string) => boolean;
  /** The current version of a policy (stored, else built in), or undefined. */
  policy?: (name: string) => CompiledPolicy | undefined;
  /** Health and latency; default: none. */
  signals?: RoutingSignals;
  /** A monotonic clock in ms for `decided_in_us`; default `performance.now`. */
  clock?: () => number;
}

export interface RouteInput {
  request: ChatCompletionRequest;
  stream: boolean;
  /** The `x-signalbox-max-cost-usd` header, USD; null when absent. */
  maxCostUsd: number | null;
  /** The caller's virtual key id (sticky experiment assignment); null for the master key. */
  keyId: string | null;
  /** Wall clock, ms since the epoch (circuit cooldowns). */
  now: number;
}

/** The id prefix that addresses a policy: `signalbox/<name>`. */
export const POLICY_PREFIX = 'signalbox/';
