/**
 * Routing: turns a chat request into an inspectable RoutingDecision. Pure: catalogue and
 * provider availability are passed in, never fetched. This first version plans one route per
 * requested model through the default provider; OpenRouter's own `models`/`provider`
 * preferences travel inside the request body untouched.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { computeCostNanoUsd } from '../pricing/cost.ts';

export interface RouteCandidate {
  provider: string;
  model: string;
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
}

export interface RoutingContext {
  /** The provider that serves every model not claimed by another (OpenRouter). */
  defaultProvider: string;
  lookupModel(id: string): ModelInfo | undefined;
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

/**
 * Plans the route. The requested model is `request.model`, else `request.models[0]`.
 * @throws never; validation happens before routing.
 */
export function planRoute(
  request: ChatCompletionRequest,
  context: RoutingContext,
): RoutingDecision {
  const requestedModel = request.model ?? request.models?.[0] ?? '';
  const model = context.lookupModel(requestedModel);
  const promptTokens = estimatePromptTokens(request);
  const completionTokens = maxCompletionTokens(request, model);
  const estimatedCostNanoUsd = model
    ? computeCostNanoUsd(
        {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
        model.pricing,
      )
    : null;
  return {
    requestedModel,
    candidates: [
      {
        provider: context.defaultProvider,
        model: requestedModel,
        reason: model
          ? 'catalogued model, default provider'
          : 'not in the local catalogue; the default provider decides',
        estimatedCostNanoUsd,
      },
    ],
    filteredOut: [],
    catalogued: model !== undefined,
    confidence: model ? 0.9 : 0.5,
  };
}
