/**
 * Routing: turns a chat request into an inspectable RoutingDecision. Pure: catalogue and
 * provider routes are passed in, never fetched. Candidates for a model: every direct provider
 * that serves it (configuration order), then the default provider (OpenRouter), which serves
 * everything and so is also the fallback. OpenRouter's provider-preference vocabulary selects
 * among them, with Signalbox provider ids (docs/decisions/0005-provider-addressing.md):
 * `provider.only`, `provider.ignore`, `provider.order`. The `provider` object itself still
 * travels to OpenRouter untouched, where it selects among OpenRouter's own providers.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { isDirectProviderEntry } from '../catalog/direct-provider-models.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';

export interface RouteCandidate {
  provider: string;
  /** The model name sent to this provider (its native name for a direct provider). */
  model: string;
  /** The canonical OpenRouter id (for prices and the ledger). */
  canonicalModel: string;
  /** Why this candidate is in the plan. */
  reason: string;
  /** Upper bound of the request's cost on this candidate, nano-USD; null when unpriced. */
  estimatedCostNanoUsd: bigint | null;
}

export interface RoutingDecision {
  /** The model the client asked for (`model`, else the first of `models`). */
  requestedModel: string;
  /** In the order they will be tried. */
  candidates: RouteCandidate[];
  /** Candidates considered and dropped, with the reason. */
  filteredOut: { provider: string; model: string; reason: string }[];
  /** Whether the catalogue knows the model (unknown models still go to the default provider, which decides). */
  catalogued: boolean;
  /** 0..1: how sure the plan is that its first candidate can serve the request. */
  confidence: number;
  /** The operator disabled the model: no candidate may serve it. */
  disabled: boolean;
}

/** A direct provider as routing sees it. */
export interface ProviderRoute {
  id: string;
  /** The native model name it serves for a canonical id, or null. */
  nativeModel(canonicalId: string): string | null;
}

export interface RoutingContext {
  /** The provider that serves every model (OpenRouter). */
  defaultProvider: string;
  /** Direct providers, in configuration order. */
  directProviders?: readonly ProviderRoute[];
  lookupModel(id: string): ModelInfo | undefined;
  /** Models the operator disabled: planned with no candidate. */
  isModelDisabled?(id: string): boolean;
}

interface ProviderPreferences {
  only: string[] | null;
  ignore: string[];
  order: string[];
}

/** Rough prompt size in tokens: characters / 4 over message text (OpenAI's rule of thumb). */
export function estimatePromptTokens(request: ChatCompletionRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    if (typeof message.content === 'string') characters += message.content.length;
    else if (Array.isArray(message.content)) {
      for (const part of message.content) {
        const text: unknown = (part as { text?: unknown }).text;
        if (typeof text === 'string') characters += text.length;
      }
    }
  }
  return Math.ceil(characters / 4);
}

function maxCompletionTokens(request: ChatCompletionRequest, model: ModelInfo | undefined): number {
  const asked = request.max_completion_tokens ?? request.max_tokens;
  if (typeof asked === 'number') return asked;
  return model?.top_provider.max_completion_tokens ?? model?.context_length ?? 4096;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

function preferencesOf(request: ChatCompletionRequest): ProviderPreferences {
  const provider = request.provider;
  if (typeof provider !== 'object' || provider === null)
    return { only: null, ignore: [], order: [] };
  const record = provider as Record<string, unknown>;
  return {
    only: Array.isArray(record.only) ? strings(record.only) : null,
    ignore: strings(record.ignore),
    order: strings(record.order),
  };
}

function estimateCost(request: ChatCompletionRequest, model: ModelInfo | undefined): bigint | null {
  if (model === undefined) return null;
  const promptTokens = estimatePromptTokens(request);
  const completionTokens = maxCompletionTokens(request, model);
  return computeCostNanoUsd(
    {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    model.pricing,
  );
}

function exclusion(
  candidate: RouteCandidate,
  preferences: ProviderPreferences,
  directIds: Set<string>,
  defaultProvider: string,
): string | null {
  if (preferences.ignore.includes(candidate.provider)) return 'excluded by provider.ignore';
  if (preferences.only === null) return null;
  // `only` naming no Signalbox provider selects among OpenRouter's own providers: only OpenRouter can honour it.
  const namesOurs = preferences.only.some((id) => id === defaultProvider || directIds.has(id));
  if (
    namesOurs
      ? preferences.only.includes(candidate.provider)
      : candidate.provider === defaultProvider
  )
    return null;
  return 'not in provider.only';
}

/**
 * Plans the route. The requested model is `request.model`, else `request.models[0]`.
 * Never throws; an empty `candidates` list means every candidate was filtered out.
 */
export function planRoute(
  request: ChatCompletionRequest,
  context: RoutingContext,
): RoutingDecision {
  const requestedModel = request.model ?? request.models?.[0] ?? '';
  if (context.isModelDisabled?.(requestedModel) === true) {
    return {
      requestedModel,
      candidates: [],
      filteredOut: [
        {
          provider: context.defaultProvider,
          model: requestedModel,
          reason: 'disabled by the operator',
        },
      ],
      catalogued: true,
      confidence: 0,
      disabled: true,
    };
  }
  const model = context.lookupModel(requestedModel);
  const estimatedCostNanoUsd = estimateCost(request, model);
  const direct = context.directProviders ?? [];
  const considered: RouteCandidate[] = [];
  // With an OpenRouter `models` fallback list, only OpenRouter can honour the whole request.
  if (request.models === undefined) {
    for (const provider of direct) {
      const native = provider.nativeModel(requestedModel);
      if (native === null) continue;
      considered.push({
        provider: provider.id,
        model: native,
        canonicalModel: requestedModel,
        reason: 'direct provider for this model',
        estimatedCostNanoUsd,
      });
    }
  }
  const preferences = preferencesOf(request);
  const filteredOut: RoutingDecision['filteredOut'] = [];
  // A model only a direct provider serves (its catalogue row says so) has no OpenRouter fallback:
  // OpenRouter would answer 404 and hide the direct provider's real failure.
  if (model !== undefined && isDirectProviderEntry(model) && considered.length > 0) {
    filteredOut.push({
      provider: context.defaultProvider,
      model: requestedModel,
      reason: 'not served by the default provider',
    });
  } else {
    considered.push({
      provider: context.defaultProvider,
      model: requestedModel,
      canonicalModel: requestedModel,
      reason:
        considered.length > 0
          ? 'fallback for the same model'
          : model
            ? 'catalogued model, default provider'
            : 'not in the local catalogue; the default provider decides',
      estimatedCostNanoUsd,
    });
  }
  const directIds = new Set(direct.map((provider) => provider.id));
  const candidates: RouteCandidate[] = [];
  for (const candidate of considered) {
    const reason = exclusion(candidate, preferences, directIds, context.defaultProvider);
    if (reason === null) candidates.push(candidate);
    else filteredOut.push({ provider: candidate.provider, model: candidate.model, reason });
  }
  const rank = (id: string): number => {
    const index = preferences.order.indexOf(id);
    return index === -1 ? preferences.order.length : index;
  };
  candidates.sort((a, b) => rank(a.provider) - rank(b.provider));
  return {
    requestedModel,
    candidates,
    filteredOut,
    catalogued: model !== undefined,
    confidence: candidates.length === 0 ? 0 : model ? 0.9 : 0.5,
    disabled: false,
  };
}
