/**
 * The admin catalogue's query strings and JSON bodies as zod schemas that read them into the
 * catalogue's query types, leniently but exactly: lists are arrays or comma-separated strings,
 * numbers may come as strings, an empty value is absent; a bad value is `invalid_request`
 * naming its parameter. The schemas are also the OpenAPI description (admin-openapi.ts).
 */
import { z } from 'zod';
import { capabilities, type Capability } from '../../catalog/catalog-entry.ts';
import type { RecommendRequirements } from '../../catalog/recommend-models.ts';
import type { ModelSearchQuery, ModelSort } from '../../catalog/search-models.ts';
import type { Workload } from '../../catalog/compare-models.ts';

const sorts = ['price', 'context', 'newest', 'name'] as const satisfies readonly ModelSort[];

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A list: an array of strings or one comma-separated string. */
const stringList = (description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(description)
    .transform(list);

const capabilityList = (param: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(`Capabilities, any of: ${capabilities.join(', ')} (array or comma-separated).`)
    .transform((value, context): Capability[] => {
      const found: Capability[] = [];
      for (const item of list(value)) {
        const capability = capabilities.find((candidate) => candidate === item);
        if (capability === undefined) {
          context.addIssue({
            code: 'custom',
            message: `"${param}" takes ${capabilities.join(', ')}; got "${item}".`,
          });
          return z.NEVER;
        }
        found.push(capability);
      }
      return found;
    });

/** A number >= 0, also as a numeric string; empty = absent. */
const nonNegative = (param: string, description: string) =>
  z
    .union([z.number(), z.string()])
    .optional()
    .describe(description)
    .transform((value, context): number | undefined => {
      if (value === undefined || value === '') return undefined;
      const parsed = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(parsed) || parsed < 0) {
        context.addIssue({ code: 'custom', message: `"${param}" must be a number >= 0.` });
        return z.NEVER;
      }
      return parsed;
    });

/** true/false, also as strings; empty = absent. */
const flag = (param: string, description: string) =>
  z
    .union([z.boolean(), z.enum(['true', 'false', ''])], {
      error: `"${param}" must be true or false.`,
    })
    .optional()
    .describe(description)
    .transform((value) =>
      value === undefined || value === '' ? undefined : value === true || value === 'true',
    );

const text = (description: string) => z.string().optional().describe(description);

/** Sets only defined values (exactOptionalPropertyTypes). */
function defined<T extends object>(object: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** `GET /admin/catalog/models` query string → search query. */
export const searchQuerySchema = z
  .object({
    q: text('Words that must all appear in the id, name or description.'),
    input_modality: text('An input modality the model must accept, e.g. `image`.'),
    output_modality: text('An output modality the model must produce.'),
    supports: capabilityList('supports'),
    min_context: nonNegative('min_context', 'Least context window, tokens.'),
    max_prompt_price: nonNegative('max_prompt_price', 'Most USD per 1M prompt tokens.'),
    max_completion_price: nonNegative('max_completion_price', 'Most USD per 1M completion tokens.'),
    provider: stringList('Authors (`openai`, `anthropic`), any of.'),
    free: flag('free', 'Only free (true) or only paid (false) models.'),
    retired: flag('retired', 'Only retired (true) or only active (false) models.'),
    enabled: flag('enabled', 'Only enabled (true) or only disabled (false) models.'),
    sort: z
      .enum(sorts, { error: `"sort" must be one of ${sorts.join(', ')}.` })
      .optional()
      .describe('Default `name`; `price` is cheapest first, unpriced last.'),
    limit: nonNegative('limit', 'Page size, 1..500, default 50.'),
    cursor: text('`next_cursor` of the previous page, for the same query.'),
  })
  .transform((query): ModelSearchQuery =>
    defined<ModelSearchQuery>({
      text: query.q,
      inputModality: query.input_modality,
      outputModality: query.output_modality,
      supports: query.supports,
      minContext: query.min_context,
      maxPromptPrice: query.max_prompt_price,
      maxCompletionPrice: query.max_completion_price,
      providers: query.provider.length === 0 ? undefined : query.provider,
      free: query.free,
      retired: query.retired,
      enabled: query.enabled,
      sort: query.sort,
      limit: query.limit,
      cursor: query.cursor,
    }),
  );

/** `POST /admin/catalog/compare` body → model ids and workload (defaults 1000/500/1000). */
export const compareBodySchema = z
  .object({
    models: z
      .array(z.string(), { error: '"models" must be an array of model ids.' })
      .describe('2 to 6 model ids.'),
    workload: z
      .object({
        prompt_tokens: nonNegative('workload.prompt_tokens', 'Prompt tokens per request (1000).'),
        completion_tokens: nonNegative(
          'workload.completion_tokens',
          'Completion tokens per request (500).',
        ),
        requests_per_day: nonNegative('workload.requests_per_day', 'Requests per day (1000).'),
      })
      .optional(),
  })
  .transform((body): { ids: string[]; workload: Workload } => ({
    ids: body.models,
    workload: {
      promptTokens: body.workload?.prompt_tokens ?? 1000,
      completionTokens: body.workload?.completion_tokens ?? 500,
      requestsPerDay: body.workload?.requests_per_day ?? 1000,
    },
  }));

/** `POST /admin/catalog/recommend` body (snake_case fields of RecommendRequirements). */
export const recommendBodySchema = z
  .object({
    capabilities: capabilityList('capabilities'),
    min_context: nonNegative('min_context', 'Least context window, tokens.'),
    budget_per_1k_requests_usd: nonNegative(
      'budget_per_1k_requests_usd',
      'Most USD per 1,000 typical requests.',
    ),
    preference: z
      .enum(['cost', 'speed', 'balanced'], {
        error: '"preference" must be cost, speed or balanced.',
      })
      .optional(),
    prompt_tokens: nonNegative('prompt_tokens', 'Prompt tokens of a typical request (1000).'),
    completion_tokens: nonNegative(
      'completion_tokens',
      'Completion tokens of a typical request (500).',
    ),
    limit: nonNegative('limit', 'How many to return, 1..50 (5).'),
  })
  .transform((body): RecommendRequirements =>
    defined<RecommendRequirements>({
      capabilities: body.capabilities,
      minContext: body.min_context,
      budgetPer1kRequestsUsd: body.budget_per_1k_requests_usd,
      preference: body.preference,
      promptTokens: body.prompt_tokens,
      completionTokens: body.completion_tokens,
      limit: body.limit,
    }),
  );

/** `POST /admin/catalog/models/enable|disable` body: `{ids?: string[], providers?: string[]}`. */
export const selectionBodySchema = z
  .object({
    ids: stringList('Model ids.'),
    providers: stringList('Authors such as `openai`: every model of theirs.'),
  })
  .transform((body, context): { ids: string[]; authors: string[] } => {
    if (body.ids.length === 0 && body.providers.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['ids'],
        message: 'Give "ids" (model ids) and/or "providers" (authors such as "openai").',
      });
      return z.NEVER;
    }
    return { ids: body.ids, authors: body.providers };
  });

/** `POST /admin/catalog/sync` body, optional: `{wait?: boolean}` (default true). */
export const syncBodySchema = z
  .object({
    wait: flag('wait', 'Answer when the sync has finished (default), or at once with 202.'),
  })
  .nullish()
  .transform((body) => ({ wait: body?.wait ?? true }));
