/**
 * Wire schemas of `/admin/projects` and `/admin/keys` (zod; published as OpenAPI) and the
 * conversions between their snake_case USD fields and the stored records (nano-USD). Money in
 * requests and answers is USD (`limit_usd`, `max_cost_per_request_usd`), stored as integer
 * nano-USD.
 */
import { z } from 'zod';
import type {
  ApiKeyRecord,
  ApiKeySettings,
  ProjectRecord,
  ProjectSettings,
} from '../../contracts/api-key.ts';
import type { BudgetSpec } from '../../contracts/principal.ts';

const NANO_PER_USD = 1e9;

/** USD → integer nano-USD (rounded). */
export function nanoUsdOf(usd: number): bigint {
  return BigInt(Math.round(usd * NANO_PER_USD));
}

/** Integer nano-USD → USD. */
export function usdOf(nanoUsd: bigint): number {
  return Number(nanoUsd) / NANO_PER_USD;
}

const period = z.enum(['day', 'week', 'month', 'total']);

export const budgetInput = z
  .object({
    limit_usd: z.number().positive().max(1e9).describe('The cap, USD.'),
    period: period.describe('`day`, `week`, `month` (calendar, UTC) or `total`.'),
  })
  .strict();

const budgetOutput = z.object({ limit_usd: z.number(), period }).nullable().meta({ id: 'Budget' });

const rate = z.number().int().positive().max(1e9);
const name = z.string().trim().min(1).max(200);
const id = z.string().min(1).max(100);

export const idParams = z.object({ id });

// ---- projects ----------------------------------------------------------------

const projectFields = {
  name,
  rpm: rate.nullish().describe('Requests per minute over all the project’s keys.'),
  tpm: rate.nullish().describe('Tokens per minute over all the project’s keys.'),
  budget: budgetInput.nullish(),
};

export const projectCreateBody = z.object(projectFields).strict();
export const projectPatchBody = z.object({ ...projectFields, name: name.optional() }).strict();

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rpm: z.number().int().nullable(),
    tpm: z.number().int().nullable(),
    budget: budgetOutput,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Project' });

export const projectDetailSchema = projectSchema
  .extend({
    spend_usd: z
      .number()
      .describe('Settled spend in the budget’s current period (all time without a budget).'),
    reserved_usd: z.number().describe('Worst-case cost of requests in flight.'),
    remaining_usd: z.number().nullable().describe('Budget left; null without a budget.'),
    period_start: z.string().nullable().describe('Start of the budget period; null for `total`.'),
    active_keys: z.number().int(),
  })
  .meta({ id: 'ProjectDetail' });

function budgetIn(
  budget: z.output<typeof budgetInput> | null | undefined,
): BudgetSpec | null | undefined {
  if (budget === undefined) return undefined;
  return budget === null
    ? null
    : { limitNanoUsd: nanoUsdOf(budget.limit_usd), period: budget.period };
}

function budgetOut(budget: BudgetSpec | null): z.output<typeof budgetOutput> {
  return budget === null ? null : { limit_usd: usdOf(budget.limitNanoUsd), period: budget.period };
}

/** A PATCH body (or a create body, all fields given) → the stored settings it changes. */
export function projectSettingsOf(
  body: z.output<typeof projectPatchBody>,
): Partial<ProjectSettings> {
  const settings: Partial<ProjectSettings> = {};
  if (body.name !== undefined) settings.name = body.name;
  if (body.rpm !== undefined) settings.rpm = body.rpm;
  if (body.tpm !== undefined) settings.tpm = body.tpm;
  const budget = budgetIn(body.budget);
  if (budget !== undefined) settings.budget = budget;
  return settings;
}

export function projectBody(project: ProjectRecord): z.output<typeof projectSchema> {
  return {
    id: project.id,
    name: project.name,
    rpm: project.rpm,
    tpm: project.tpm,
    budget: budgetOut(project.budget),
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}

// ---- keys --------------------------------------------------------------------

const role = z.enum(['client', 'viewer', 'admin']);
const glob = z.string().trim().min(1).max(200);

const keyFields = {
  name,
  project_id: id.nullish().describe('The project the key belongs to.'),
  role: role.describe(
    '`client`: /v1 and /api/v1 only (the default); `viewer`: read the admin API; `admin`: change it.',
  ),
  models: z
    .array(glob)
    .max(100)
    .nullish()
    .describe('Model ids the key may use, `*` globs (`openai/*`); null = any. Client keys only.'),
  policies: z
    .array(glob)
    .max(100)
    .nullish()
    .describe('Routing policies (`signalbox/<name>` or `<name>`) the key may use; null = any.'),
  default_policy: glob
    .nullish()
    .describe('Used when a request names no model or `signalbox/default`.'),
  rpm: rate.nullish(),
  tpm: rate.nullish(),
  max_concurrency: z.number().int().positive().max(100_000).nullish(),
  budget: budgetInput.nullish(),
  max_cost_per_request_usd: z
    .number()
    .positive()
    .max(1e6)
    .nullish()
    .describe(
      'Cap on one request’s worst-case cost, USD (the smaller of it and `x-signalbox-max-cost-usd`).',
    ),
  allow_unpriced: z
    .boolean()
    .optional()
    .describe('Allow models with unknown prices under a budget.'),
  expires_at: z.iso.datetime({ offset: true }).nullish().describe('After it the key is refused.'),
  metadata: z
    .record(z.string().max(100), z.string().max(500))
    .optional()
    .describe('Copied into the tags of every request made with the key.'),
};

export const keyCreateBody = z
  .object({ ...keyFields, role: keyFields.role.default('client') })
  .strict();
export const keyPatchBody = z
  .object({ ...keyFields, name: name.optional(), role: role.optional() })
  .strict();

export const rotateBody = z
  .object({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(0)
      .describe('How long the old secret keeps working, seconds (0 = it stops at once).'),
  })
  .strict()
  .nullish();

export const keySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    project_id: z.string().nullable(),
    role,
    prefix: z.string().describe('`sbk-` + the secret’s first 8 characters.'),
    last4: z.string(),
    models: z.array(z.string()).nullable(),
    policies: z.array(z.string()).nullable(),
    default_policy: z.string().nullable(),
    rpm: z.number().int().nullable(),
    tpm: z.number().int().nullable(),
    max_concurrency: z.number().int().nullable(),
    budget: budgetOutput,
    max_cost_per_request_usd: z.number().nullable(),
    allow_unpriced: z.boolean(),
    expires_at: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    revoked_at: z.string().nullable(),
    previous_key_expires_at: z
      .string()
      .nullable()
      .describe('After a rotation with grace: until when the old secret works.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'ApiKey' });

export const createdKeySchema = keySchema
  .extend({ key: z.string().describe('The secret, shown this once: store it now.') })
  .meta({ id: 'CreatedApiKey' });

export const keyDetailSchema = keySchema
  .extend({
    spend_usd: z
      .number()
      .describe('Settled spend in the budget’s current period (all time without a budget).'),
    reserved_usd: z.number().describe('Worst-case cost of the key’s requests in flight.'),
    remaining_usd: z.number().nullable().describe('Budget left; null without a budget.'),
    period_start: z.string().nullable().describe('Start of the budget period; null for `total`.'),
  })
  .meta({ id: 'ApiKeyDetail' });

/** Strips an optional `signalbox/` so policies are stored by name. */
function policyName(value: string): string {
  return value.startsWith('signalbox/') ? value.slice('signalbox/'.length) : value;
}

/** A key body → the stored settings it sets (undefined fields are left unchanged). */
export function keySettingsOf(body: z.output<typeof keyPatchBody>): Partial<ApiKeySettings> {
  const settings: Partial<ApiKeySettings> = {};
  const set = <K extends keyof ApiKeySettings>(key: K, value: ApiKeySettings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set('name', body.name);
  set('projectId', body.project_id);
  set('role', body.role);
  set('models', body.models);
  set(
    'policies',
    body.policies === undefined || body.policies === null
      ? body.policies
      : body.policies.map(policyName),
  );
  set(
    'defaultPolicy',
    body.default_policy === undefined || body.default_policy === null
      ? body.default_policy
      : policyName(body.default_policy),
  );
  set('rpm', body.rpm);
  set('tpm', body.tpm);
  set('maxConcurrency', body.max_concurrency);
  set('budget', budgetIn(body.budget));
  set(
    'maxCostPerRequestNanoUsd',
    body.max_cost_per_request_usd === undefined || body.max_cost_per_request_usd === null
      ? body.max_cost_per_request_usd
      : nanoUsdOf(body.max_cost_per_request_usd),
  );
  set('allowUnpriced', body.allow_unpriced);
  set(
    'expiresAt',
    body.expires_at === undefined || body.expires_at === null
      ? body.expires_at
      : new Date(body.expires_at),
  );
  set('metadata', body.metadata);
  return settings;
}

export function keyBody(key: ApiKeyRecord): z.output<typeof keySchema> {
  return {
    id: key.id,
    name: key.name,
    project_id: key.projectId,
    role: key.role,
    prefix: key.prefix,
    last4: key.last4,
    models: key.models,
    policies: key.policies,
    default_policy: key.defaultPolicy,
    rpm: key.rpm,
    tpm: key.tpm,
    max_concurrency: key.maxConcurrency,
    budget: budgetOut(key.budget),
    max_cost_per_request_usd:
      key.maxCostPerRequestNanoUsd === null ? null : usdOf(key.maxCostPerRequestNanoUsd),
    allow_unpriced: key.allowUnpriced,
    expires_at: key.expiresAt?.toISOString() ?? null,
    metadata: key.metadata,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    previous_key_expires_at: key.previousExpiresAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
    updated_at: key.updatedAt.toISOString(),
  };
}
