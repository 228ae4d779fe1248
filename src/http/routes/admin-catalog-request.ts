/**
 * Reading the admin catalogue's query strings and JSON bodies into the catalogue's query
 * types, leniently but exactly: a bad value is `invalid_request` naming its parameter.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import { capabilities, type Capability } from '../../catalog/catalog-entry.ts';
import type { RecommendRequirements } from '../../catalog/recommend-models.ts';
import type { ModelSearchQuery, ModelSort } from '../../catalog/search-models.ts';
import type { Workload } from '../../catalog/compare-models.ts';

const sorts: readonly ModelSort[] = ['price', 'context', 'newest', 'name'];

function invalid(param: string, message: string): SignalboxError {
  return new SignalboxError('invalid_request', message, { param });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function capabilityList(value: unknown, param: string): Capability[] {
  return list(value).map((item) => {
    const found = capabilities.find((capability) => capability === item);
    if (found === undefined)
      throw invalid(param, `"${param}" takes ${capabilities.join(', ')}; got "${item}".`);
    return found;
  });
}

function number(value: unknown, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < 0)
    throw invalid(param, `"${param}" must be a number >= 0.`);
  return parsed;
}

function flag(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalid(param, `"${param}" must be true or false.`);
}

/** Sets only defined values (exactOptionalPropertyTypes). */
function defined<T extends object>(object: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** `GET /admin/catalog/models` query string → search query. */
export function parseSearchQuery(query: Record<string, unknown>): ModelSearchQuery {
  const sort = query.sort;
  if (sort !== undefined && !sorts.some((candidate) => candidate === sort))
    throw invalid('sort', `"sort" must be one of ${sorts.join(', ')}.`);
  const providers = list(query.provider);
  return defined<ModelSearchQuery>({
    text: typeof query.q === 'string' ? query.q : undefined,
    inputModality: typeof query.input_modality === 'string' ? query.input_modality : undefined,
    outputModality: typeof query.output_modality === 'string' ? query.output_modality : undefined,
    supports: capabilityList(query.supports, 'supports'),
    minContext: number(query.min_context, 'min_context'),
    maxPromptPrice: number(query.max_prompt_price, 'max_prompt_price'),
    maxCompletionPrice: number(query.max_completion_price, 'max_completion_price'),
    providers: providers.length === 0 ? undefined : providers,
    free: flag(query.free, 'free'),
    retired: flag(query.retired, 'retired'),
    enabled: flag(query.enabled, 'enabled'),
    sort: sorts.find((candidate) => candidate === sort),
    limit: number(query.limit, 'limit'),
    cursor: typeof query.cursor === 'string' ? query.cursor : undefined,
  });
}

function body(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw invalid('body', 'The request body must be a JSON object.');
  return value;
}

/** `POST /admin/catalog/compare` body: `{models: string[], workload?: {prompt_tokens, completion_tokens, requests_per_day}}`. */
export function parseCompareBody(value: unknown): { ids: string[]; workload: Workload } {
  const request = body(value);
  if (!Array.isArray(request.models) || !request.models.every((id) => typeof id === 'string'))
    throw invalid('models', '"models" must be an array of model ids.');
  const workload = isRecord(request.workload) ? request.workload : {};
  return {
    ids: request.models,
    workload: {
      promptTokens: number(workload.prompt_tokens, 'workload.prompt_tokens') ?? 1000,
      completionTokens: number(workload.completion_tokens, 'workload.completion_tokens') ?? 500,
      requestsPerDay: number(workload.requests_per_day, 'workload.requests_per_day') ?? 1000,
    },
  };
}

/** `POST /admin/catalog/recommend` body (snake_case fields of RecommendRequirements). */
export function parseRecommendBody(value: unknown): RecommendRequirements {
  const request = body(value);
  const preference = request.preference;
  if (
    preference !== undefined &&
    preference !== 'cost' &&
    preference !== 'speed' &&
    preference !== 'balanced'
  )
    throw invalid('preference', '"preference" must be cost, speed or balanced.');
  return defined<RecommendRequirements>({
    capabilities: capabilityList(request.capabilities, 'capabilities'),
    minContext: number(request.min_context, 'min_context'),
    budgetPer1kRequestsUsd: number(
      request.budget_per_1k_requests_usd,
      'budget_per_1k_requests_usd',
    ),
    preference,
    promptTokens: number(request.prompt_tokens, 'prompt_tokens'),
    completionTokens: number(request.completion_tokens, 'completion_tokens'),
    limit: number(request.limit, 'limit'),
  });
}

/** `POST /admin/catalog/models/enable|disable` body: `{ids?: string[], providers?: string[]}`. */
export function parseSelectionBody(value: unknown): { ids: string[]; authors: string[] } {
  const request = body(value);
  const ids = list(request.ids);
  const authors = list(request.providers);
  if (ids.length === 0 && authors.length === 0)
    throw invalid('ids', 'Give "ids" (model ids) and/or "providers" (authors such as "openai").');
  return { ids, authors };
}

/** `POST /admin/catalog/sync` body, optional: `{wait?: boolean}` (default true). */
export function parseSyncBody(value: unknown): { wait: boolean } {
  if (value === undefined || value === null) return { wait: true };
  return { wait: flag(body(value).wait, 'wait') ?? true };
}
