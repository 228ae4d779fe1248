/**
 * The admin keys API: `POST/GET /admin/keys`, `GET/PATCH/DELETE /admin/keys/{id}` (delete =
 * revoke) and `POST /admin/keys/{id}/rotate`. A new secret is answered once (`key`) and never
 * stored: only its SHA-256. Each change is written with its audit row (secrets masked) in one
 * transaction, then announced on the ChangeBus (topic `keys`), so every instance drops the key's
 * cached principal at once (and within 1 s regardless: the resolver's cache bound). Revoking a
 * key or changing its role or expiry also ends its dashboard sessions (which never outlive
 * the key's expiry). docs/decisions/0013-virtual-keys.md.
 */
import { z } from 'zod';
import type { ApiKeyRecord, ApiKeySettings } from '../../contracts/api-key.ts';
import type { BudgetUsageReader } from '../../contracts/budget-usage.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ChangeBus } from '../../lib/change-bus.ts';
import { randomAlphanumeric } from '../../lib/ids.ts';
import { generateVirtualKey } from '../../security/virtual-key.ts';
import { KEYS_TOPIC } from '../../security/virtual-key-resolver.ts';
import type {
  ApiKeyRepository,
  LedgerSpendReader,
  ProjectRepository,
  SqlExecutor,
} from '../../storage/index.ts';
import type { LedgerWriter } from '../../usage/ledger-writer.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { budgetUsageView } from '../admin/budget-usage-view.ts';
import {
  createdKeySchema,
  idParams,
  keyBody,
  keyCreateBody,
  keyDetailSchema,
  keyPatchBody,
  keySchema,
  keySettingsOf,
  rotateBody,
} from '../admin/key-schemas.ts';
import type { SessionService } from '../admin/session-service.ts';
import { adminBudgetRoutes } from './admin-budgets.ts';
import { adminProjectRoutes, projectNotFound } from './admin-projects.ts';

export interface KeysAdminDependencies {
  keys: ApiKeyRepository;
  projects: ProjectRepository;
  /** Announces changes (topics `keys`, `projects`) to every instance's resolver cache. */
  changes: ChangeBus;
  /** The budget store's spend and reservations (src/limits/); null = read spend from the ledger. */
  budgetUsage: BudgetUsageReader | null;
  spend: LedgerSpendReader;
  ledger: Pick<LedgerWriter, 'flush'>;
  /** Ends the dashboard sessions of a revoked key, or one whose role changed. */
  sessions: Pick<SessionService, 'endAll'>;
  /** Wall clock, ms since the epoch. */
  now?: () => number;
}

const tags = ['keys'];
const audit = (action: string) => ({ action: `keys.${action}`, targetType: 'key' });

function keyNotFound(id: string): SignalboxError {
  return new SignalboxError('key_not_found', `No API key has the id "${id}".`);
}

const CLIENT_ONLY: readonly [keyof ApiKeySettings, string][] = [
  ['models', 'models'],
  ['policies', 'policies'],
  ['defaultPolicy', 'default_policy'],
  ['rpm', 'rpm'],
  ['tpm', 'tpm'],
  ['maxConcurrency', 'max_concurrency'],
  ['budget', 'budget'],
  ['maxCostPerRequestNanoUsd', 'max_cost_per_request_usd'],
];

/**
 * Checks a key's settings as they will be stored.
 * @throws SignalboxError `invalid_request` (limits on an admin/viewer key, a default policy
 *   outside `policies`), `project_not_found`
 */
async function checkSettings(
  settings: ApiKeySettings,
  projects: ProjectRepository,
  executor: SqlExecutor | undefined,
): Promise<void> {
  if (settings.role !== 'client') {
    for (const [field, param] of CLIENT_ONLY) {
      if (settings[field] !== null)
        throw new SignalboxError(
          'invalid_request',
          `"${param}" applies only to client keys; ${settings.role} keys reach only the admin API.`,
          { param },
        );
    }
  }
  if (
    settings.defaultPolicy !== null &&
    settings.policies !== null &&
    !settings.policies.includes(settings.defaultPolicy)
  )
    throw new SignalboxError(
      'invalid_request',
      `"default_policy" must be one of the key's "policies" (${settings.policies.join(', ')}).`,
      { param: 'default_policy' },
    );
  if (settings.projectId !== null && (await projects.get(settings.projectId, executor)) === null)
    throw projectNotFound(settings.projectId, 'project_id');
}

const EMPTY: Omit<ApiKeySettings, 'name' | 'role'> = {
  projectId: null,
  models: null,
  policies: null,
  defaultPolicy: null,
  rpm: null,
  tpm: null,
  maxConcurrency: null,
  budget: null,
  maxCostPerRequestNanoUsd: null,
  allowUnpriced: false,
  expiresAt: null,
  metadata: {},
};

const listQuery = z.object({
  project_id: z.string().optional(),
  role: z.enum(['client', 'viewer', 'admin']).optional(),
  include_revoked: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Also list revoked keys.'),
});

/** The admin keys, projects and budgets APIs, as route definitions. */
export function adminKeyRoutes(dependencies: KeysAdminDependencies): AdminRoute[] {
  const { keys, projects, changes, sessions } = dependencies;
  const now = dependencies.now ?? Date.now;
  const announce = (id: string) => changes.publish({ topic: KEYS_TOPIC, id });
  /** Runs a change of an existing key: unknown → 404, revoked → 409. */
  const changeKey = async <T>(
    id: string,
    executor: SqlExecutor | undefined,
    change: (current: ApiKeyRecord) => Promise<T | null>,
  ): Promise<T> => {
    const current = await keys.get(id, executor);
    if (current === null) throw keyNotFound(id);
    if (current.revokedAt !== null)
      throw new SignalboxError('conflict', `The API key "${id}" is revoked.`);
    const result = await change(current);
    if (result === null)
      throw new SignalboxError('conflict', `The API key "${id}" changed meanwhile; retry.`);
    return result;
  };
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/keys',
      summary: 'Create an API key (the secret is answered once)',
      description:
        '`client` keys call /v1 and /api/v1 under their limits; `viewer` and `admin` keys call ' +
        'the admin API (read-only, or read and change). Answers the secret in `key`, once.',
      tags,
      minimumRole: 'admin',
      audit: audit('create'),
      request: { body: keyCreateBody },
      responses: { 201: createdKeySchema },
      async handler({ body, audit: scope, reply }) {
        const settings: ApiKeySettings = {
          ...EMPTY,
          name: body.name,
          role: body.role,
          ...keySettingsOf(body),
        };
        const secret = generateVirtualKey();
        const created = await scope.transaction(
          async (executor) => {
            await checkSettings(settings, projects, executor);
            return keys.create(
              {
                ...settings,
                id: `key_${randomAlphanumeric(16)}`,
                secretHash: secret.hash,
                prefix: secret.prefix,
                last4: secret.last4,
              },
              new Date(now()),
              executor,
            );
          },
          (key) => ({ targetId: key.id, after: keyBody(key) }),
        );
        await announce(created.id);
        return reply.code(201).send({ ...keyBody(created), key: secret.key });
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/keys',
      summary: 'API keys (never their secrets), oldest first',
      tags,
      minimumRole: 'viewer',
      request: { query: listQuery },
      responses: { 200: z.object({ data: z.array(keySchema) }) },
      async handler({ query }) {
        const listed = await keys.list({
          projectId: query.project_id,
          role: query.role,
          includeRevoked: query.include_revoked,
        });
        return { data: listed.map(keyBody) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/keys/:id',
      summary: 'One API key, with its spend in the budget period and its reservations',
      tags,
      minimumRole: 'viewer',
      request: { params: idParams },
      responses: { 200: keyDetailSchema },
      async handler({ params }) {
        const key = await keys.get(params.id);
        if (key === null) throw keyNotFound(params.id);
        const usage = await budgetUsageView(
          dependencies,
          { kind: 'key', id: key.id },
          key.budget,
          now(),
        );
        return { ...keyBody(key), ...usage };
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: '/keys/:id',
      summary: 'Change an API key’s settings (null clears a limit); the secret stays',
      tags,
      minimumRole: 'admin',
      audit: audit('update'),
      request: { params: idParams, body: keyPatchBody },
      responses: { 200: keySchema },
      async handler({ params, body, audit: scope }) {
        const changes = keySettingsOf(body);
        const changed = await scope.transaction(
          (executor) =>
            changeKey(params.id, executor, async (current) => {
              await checkSettings({ ...current, ...changes }, projects, executor);
              return keys.update(params.id, changes, new Date(now()), executor);
            }),
          ({ before, after }) => ({ before: keyBody(before), after: keyBody(after) }),
        );
        await announce(params.id);
        // A session holds the role and expiry it was opened with: end it when either changes.
        if (
          changed.before.role !== changed.after.role ||
          changed.before.expiresAt?.getTime() !== changed.after.expiresAt?.getTime()
        )
          await sessions.endAll(params.id);
        return keyBody(changed.after);
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/keys/:id',
      summary: 'Revoke an API key: refused on every instance within 1 s, sessions ended',
      tags,
      minimumRole: 'admin',
      audit: audit('revoke'),
      request: { params: idParams },
      responses: { 200: keySchema },
      async handler({ params, audit: scope }) {
        const changed = await scope.transaction(
          (executor) =>
            changeKey(params.id, executor, () => keys.revoke(params.id, new Date(now()), executor)),
          ({ before, after }) => ({ before: keyBody(before), after: keyBody(after) }),
        );
        await announce(params.id);
        await sessions.endAll(params.id);
        return keyBody(changed.after);
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/keys/:id/rotate',
      summary: 'Rotate an API key’s secret; the old one works for `grace_seconds` more',
      tags,
      minimumRole: 'admin',
      audit: audit('rotate'),
      request: { params: idParams, body: rotateBody },
      responses: { 200: createdKeySchema },
      async handler({ params, body, audit: scope }) {
        const graceMs = (body?.grace_seconds ?? 0) * 1000;
        const at = now();
        const secret = generateVirtualKey();
        const changed = await scope.transaction(
          (executor) =>
            changeKey(params.id, executor, () =>
              keys.rotate(
                params.id,
                {
                  secretHash: secret.hash,
                  prefix: secret.prefix,
                  last4: secret.last4,
                  previousExpiresAt: graceMs === 0 ? null : new Date(at + graceMs),
                },
                new Date(at),
                executor,
              ),
            ),
          ({ before, after }) => ({
            before: keyBody(before),
            after: { ...keyBody(after), grace_seconds: graceMs / 1000 },
          }),
        );
        await announce(params.id);
        return { ...keyBody(changed.after), key: secret.key };
      },
    }),
    ...adminProjectRoutes(dependencies),
    ...adminBudgetRoutes(dependencies),
  ];
}
