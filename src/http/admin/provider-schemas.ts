/**
 * The admin providers and vault API's schemas (zod → OpenAPI). `api_key` is write-only: no
 * response schema has it; responses carry `api_key_last4` instead.
 */
import { z } from 'zod';

export const providerTypes = [
  'openrouter',
  'openai',
  'anthropic',
  'gemini',
  'openai-compatible',
] as const;

/** A provider kind the admin API accepts. */
export type ProviderType = (typeof providerTypes)[number];

/** Whether `value` (e.g. a stored row's `type`) is one of `providerTypes`. */
export function isProviderType(value: string): value is ProviderType {
  return (providerTypes as readonly string[]).includes(value);
}

const providerId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'id: 1–63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.',
  );

const apiKey = z
  .string()
  .min(1)
  .max(4_096)
  .regex(/^\S+$/, { error: 'api_key must not contain white space.' });

const headerMap = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(4_096))
  .refine((headers) => Object.keys(headers).length <= 50, { error: 'At most 50 headers.' });

const modelMap = z
  .record(z.string().min(1).max(200), z.string().min(1).max(200))
  .refine((models) => Object.keys(models).length <= 10_000, { error: 'At most 10000 models.' });

export const providerIdParams = z.object({ id: providerId });

export const providerCreateBody = z
  .object({
    id: providerId,
    type: z.enum(providerTypes),
    base_url: z.url().max(2_048).optional(),
    api_key: apiKey.optional(),
    models: modelMap.default({}),
    headers: headerMap.default({}),
    enabled: z.boolean().default(true),
    serve_catalogue: z.boolean().default(false),
  })
  .strict();
export type ProviderCreateBody = z.output<typeof providerCreateBody>;

export const providerPatchBody = z
  .object({
    type: z.enum(providerTypes).optional(),
    base_url: z.url().max(2_048).optional(),
    /** null removes the key. */
    api_key: apiKey.nullable().optional(),
    models: modelMap.optional(),
    headers: headerMap.optional(),
    enabled: z.boolean().optional(),
    serve_catalogue: z.boolean().optional(),
  })
  .strict();
export type ProviderPatchBody = z.output<typeof providerPatchBody>;

export const providerResponse = z
  .object({
    id: z.string(),
    type: z.enum(providerTypes),
    base_url: z.string(),
    api_key_last4: z.string().nullable().meta({
      description: 'The last 4 characters of the API key (the key itself is never returned).',
    }),
    models: z.record(z.string(), z.string()),
    headers: z.record(z.string(), z.string()).meta({
      description: 'Header names with their values masked to the last 4 characters.',
    }),
    enabled: z.boolean(),
    serve_catalogue: z.boolean(),
    source: z.enum(['api', 'configuration', 'built_in']),
    read_only: z.boolean(),
    status: z.enum(['active', 'disabled', 'error']),
    error: z.string().nullable(),
    version: z.number().int().nullable(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    updated_by: z.string().nullable(),
  })
  .meta({ id: 'Provider' });
export type ProviderView = z.output<typeof providerResponse>;

export const providerListResponse = z.object({ data: z.array(providerResponse) });

export const providerTestResponse = z
  .object({
    id: z.string(),
    ok: z.boolean(),
    reachable: z.boolean(),
    authenticated: z.boolean().nullable().meta({
      description: 'null when the provider answered without checking the key.',
    }),
    model_count: z.number().int().nullable(),
    latency_ms: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'ProviderTest' });
export type ProviderTestResult = z.output<typeof providerTestResponse>;

export const vaultStatusResponse = z
  .object({
    available: z.boolean(),
    key_id: z.string().nullable(),
    key_origin: z.enum(['environment', 'data-directory', 'none']),
    secrets: z.number().int(),
    secrets_on_previous_key: z.number().int(),
  })
  .meta({ id: 'VaultStatus' });
export type VaultStatus = z.output<typeof vaultStatusResponse>;

export const vaultRotateResponse = z
  .object({
    key_id: z.string(),
    generated: z.boolean().meta({
      description:
        'A new key was generated (demo key file); false = re-wrapped under the current key.',
    }),
    rewrapped: z.number().int(),
    secrets: z.number().int(),
  })
  .meta({ id: 'VaultRotation' });
export type VaultRotation = z.output<typeof vaultRotateResponse>;
