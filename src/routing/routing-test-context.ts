/**
 * Test support: a RoutingContext over the shipped catalogue snapshot, with direct providers,
 * policies and signals given per test.
 */
import { loadSnapshotModels } from '../catalog/snapshot.ts';
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import { compilePolicy } from './compiled-policy.ts';
import { builtinPolicy } from './builtin-policies.ts';
import { planRoute } from './plan-route.ts';
import { parsePolicy } from './policy-schema.ts';
import type { ProviderRoute, RouteInput, RoutePlan, RoutingContext } from './route-plan.ts';
import type { RoutingSignals } from './route-signals.ts';
import { createRoutingCatalog, type RoutingCatalog } from './routing-catalog.ts';

let snapshot: RoutingCatalog | null = null;

/** The shipped snapshot (356 models) as routing reads it, built once per test file. */
export function snapshotCatalog(extra: readonly ModelInfo[] = []): RoutingCatalog {
  if (extra.length > 0) return createRoutingCatalog([...loadSnapshotModels(), ...extra]);
  snapshot ??= createRoutingCatalog(loadSnapshotModels());
  return snapshot;
}

export interface TestContextOptions {
  direct?: ProviderRoute[];
  /** Policy documents (validated), stored as version 1. */
  policies?: unknown[];
  signals?: RoutingSignals;
  disabled?: string[];
  catalog?: RoutingCatalog;
}

export function testRoutingContext(options: TestContextOptions = {}): RoutingContext {
  const policies = new Map(
    (options.policies ?? []).map((body) => {
      const policy = parsePolicy(body);
      return [policy.name, compilePolicy({ name: policy.name, version: 1, policy })] as const;
    }),
  );
  const catalog = options.catalog ?? snapshotCatalog();
  const disabled = new Set(options.disabled ?? []);
  return {
    defaultProvider: 'openrouter',
    directProviders: options.direct ?? [],
    catalog: () => catalog,
    isModelDisabled: (id) => disabled.has(id),
    policy: (name) => policies.get(name) ?? builtinPolicy(name),
    ...(options.signals === undefined ? {} : { signals: options.signals }),
  };
}

/** Plans `request` (a user message "hello" unless given) with defaults for the rest. */
export function plan(
  context: RoutingContext,
  request: Partial<ChatCompletionRequest>,
  input: Partial<Omit<RouteInput, 'request'>> = {},
): RoutePlan {
  return planRoute(
    {
      request: { messages: [{ role: 'user', content: 'hello' }], ...request },
      stream: false,
      maxCostUsd: null,
      keyId: null,
      now: 1_000_000,
      ...input,
    },
    context,
  );
}

/** `[provider, model sent]` of each target, in attempt order. */
export function targets(planned: RoutePlan): [string, string][] {
  return planned.candidates.map((candidate) => [candidate.provider, candidate.model]);
}

/** A synthetic catalogue model: prices in USD per 1M tokens, context in tokens. */
export function testModel(
  id: string,
  options: {
    prompt?: number | null;
    completion?: number | null;
    context?: number;
    maxCompletion?: number | null;
    parameters?: string[];
    inputs?: string[];
  } = {},
): ModelInfo {
  const price = (perMillion: number | null | undefined, fallback: number): string =>
    perMillion === null ? '-1' : String((perMillion ?? fallback) / 1_000_000);
  return {
    id,
    name: id,
    created: 0,
    context_length: options.context ?? 128_000,
    architecture: {
      input_modalities: options.inputs ?? ['text'],
      output_modalities: ['text'],
    },
    pricing: { prompt: price(options.prompt, 1), completion: price(options.completion, 2) },
    top_provider: { max_completion_tokens: options.maxCompletion ?? 4096 },
    per_request_limits: null,
    supported_parameters: options.parameters ?? [
      'tools',
      'tool_choice',
      'response_format',
      'structured_outputs',
      'max_tokens',
    ],
  };
}
