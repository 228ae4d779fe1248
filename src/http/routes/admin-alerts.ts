/**
 * The admin alerts API (docs/alerts.md): `POST/GET /admin/alerts/rules`,
 * `GET/PATCH/DELETE /admin/alerts/rules/{id}` (admins change, viewers read) and
 * `GET /admin/alerts/events`. Each rule change is written with its audit row in one
 * transaction (the webhook secret masked). Webhook URLs pass the SSRF guard's save-time check
 * (SIGNALBOX_ALLOWED_PRIVATE_HOSTS applies); the connect-time guard checks them again on every
 * delivery.
 */
import { z } from 'zod';
import {
  alertSecretContext,
  type AlertChannel,
  type AlertRuleSettings,
  type SealedAlertSecret,
} from '../../contracts/alert-rule.ts';
import { lastFour } from '../../security/mask-secrets.ts';
import type { Vault } from '../../security/vault.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import { randomAlphanumeric } from '../../lib/ids.ts';
import { checkOutboundUrl } from '../../security/ssrf-guard.ts';
import type { AlertRepository } from '../../storage/index.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import {
  alertChannelsOf,
  alertEventBody,
  alertEventSchema,
  alertEventsQuery,
  alertRuleBody,
  alertRuleCreateBody,
  alertRulePatchBody,
  alertRuleSchema,
  alertScopeOf,
} from '../admin/alert-schemas.ts';
import { idParams } from '../admin/key-schemas.ts';

export interface AlertsAdminDependencies {
  repository: AlertRepository;
  /**
   * The vault (src/security/vault.ts) that seals webhook secrets.
   * @throws SignalboxError `encryption_key_missing` from `seal` without a key.
   */
  vault: Pick<Vault, 'seal'>;
  /** SIGNALBOX_ALLOWED_PRIVATE_HOSTS: private hosts a webhook may reach. */
  allowedPrivateHosts: readonly string[];
  now?: () => number;
}

const tags = ['alerts'];
const audit = (action: string) => ({ action: `alerts.rules.${action}`, targetType: 'alert_rule' });

function ruleNotFound(id: string): SignalboxError {
  return new SignalboxError('alert_rule_not_found', `No alert rule has the id "${id}".`);
}

/**
 * Refuses what the schema cannot see: a webhook URL the SSRF guard refuses, a budget rule
 * without a key or project (or with a model or provider, which budgets do not have).
 * @throws SignalboxError `invalid_request` naming the field.
 */
function checkRule(settings: AlertRuleSettings, allowlist: readonly string[]): void {
  settings.channels.forEach((channel: AlertChannel, index) => {
    if (channel.type !== 'webhook') return;
    const check = checkOutboundUrl(channel.url, allowlist);
    if (!check.ok)
      throw new SignalboxError(
        'invalid_request',
        `channels[${String(index)}].url: ${check.reason}`,
        {
          param: `channels[${String(index)}].url`,
        },
      );
  });
  if (settings.metric !== 'budget_used_pct') return;
  const { keyId, projectId, model, provider } = settings.scope;
  if (keyId === undefined && projectId === undefined)
    throw new SignalboxError(
      'invalid_request',
      'budget_used_pct needs scope.key_id or scope.project_id (the budget it reads).',
      { param: 'scope' },
    );
  if (model !== undefined || provider !== undefined)
    throw new SignalboxError(
      'invalid_request',
      'budget_used_pct reads a key’s or project’s budget: scope.model and scope.provider do not apply.',
      { param: 'scope' },
    );
}

function patchOf(
  body: z.output<typeof alertRulePatchBody>,
  current: readonly AlertChannel[],
  seal: (plaintext: string) => SealedAlertSecret,
): Partial<AlertRuleSettings> {
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.metric === undefined ? {} : { metric: body.metric }),
    ...(body.scope === undefined ? {} : { scope: alertScopeOf(body.scope) }),
    ...(body.window_minutes === undefined ? {} : { windowMinutes: body.window_minutes }),
    ...(body.operator === undefined ? {} : { operator: body.operator }),
    ...(body.threshold === undefined ? {} : { threshold: body.threshold }),
    ...(body.channels === undefined
      ? {}
      : { channels: alertChannelsOf(body.channels, current, seal) }),
    ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
  };
}

/** The admin alerts API, as route definitions. */
export function adminAlertRoutes(dependencies: AlertsAdminDependencies): AdminRoute[] {
  const { repository, allowedPrivateHosts } = dependencies;
  const now = () => new Date((dependencies.now ?? Date.now)());
  const sealerFor =
    (ruleId: string) =>
    (plaintext: string): SealedAlertSecret => ({
      envelope: dependencies.vault.seal(plaintext, alertSecretContext(ruleId)),
      last4: lastFour(plaintext),
    });
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/alerts/rules',
      summary: 'Create an alert rule (a metric over a window and scope, a threshold, channels)',
      tags,
      minimumRole: 'admin',
      audit: audit('create'),
      request: { body: alertRuleCreateBody },
      responses: { 201: alertRuleSchema },
      async handler({ body, audit: scope, reply }) {
        const id = `alr_${randomAlphanumeric(16)}`;
        const settings: AlertRuleSettings = {
          name: body.name,
          metric: body.metric,
          scope: alertScopeOf(body.scope),
          windowMinutes: body.window_minutes,
          operator: body.operator,
          threshold: body.threshold,
          channels: alertChannelsOf(body.channels, [], sealerFor(id)),
          enabled: body.enabled,
        };
        checkRule(settings, allowedPrivateHosts);
        const created = await scope.transaction(
          (executor) => repository.createRule(id, settings, now(), executor),
          (rule) => ({ targetId: rule.id, after: alertRuleBody(rule) }),
        );
        return reply.code(201).send(alertRuleBody(created));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/alerts/rules',
      summary: 'Every alert rule, with its state and last value',
      tags,
      minimumRole: 'viewer',
      responses: { 200: z.object({ data: z.array(alertRuleSchema) }) },
      async handler() {
        return { data: (await repository.listRules()).map(alertRuleBody) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/alerts/rules/:id',
      summary: 'One alert rule',
      tags,
      minimumRole: 'viewer',
      request: { params: idParams },
      responses: { 200: alertRuleSchema },
      async handler({ params }) {
        const rule = await repository.getRule(params.id);
        if (rule === null) throw ruleNotFound(params.id);
        return alertRuleBody(rule);
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: '/alerts/rules/:id',
      summary: 'Change an alert rule (its state is kept; the next evaluation decides)',
      tags,
      minimumRole: 'admin',
      audit: audit('update'),
      request: { params: idParams, body: alertRulePatchBody },
      responses: { 200: alertRuleSchema },
      async handler({ params, body, audit: scope }) {
        const changed = await scope.transaction(
          async (executor) => {
            const current = await repository.getRule(params.id, executor);
            if (current === null) throw ruleNotFound(params.id);
            const changes = patchOf(body, current.channels, sealerFor(params.id));
            checkRule({ ...current, ...changes }, allowedPrivateHosts);
            const result = await repository.updateRule(params.id, changes, now(), executor);
            if (result === null) throw ruleNotFound(params.id);
            return result;
          },
          ({ before, after }) => ({ before: alertRuleBody(before), after: alertRuleBody(after) }),
        );
        return alertRuleBody(changed.after);
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/alerts/rules/:id',
      summary: 'Delete an alert rule (its events are kept)',
      tags,
      minimumRole: 'admin',
      audit: audit('delete'),
      request: { params: idParams },
      responses: { 200: alertRuleSchema },
      async handler({ params, audit: scope }) {
        const removed = await scope.transaction(
          async (executor) => {
            const result = await repository.deleteRule(params.id, executor);
            if (result === null) throw ruleNotFound(params.id);
            return result;
          },
          (rule) => ({ before: alertRuleBody(rule), after: null }),
        );
        return alertRuleBody(removed);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/alerts/events',
      summary: 'Alert events (firing, resolved) with their deliveries, newest first',
      description:
        'Filter by `rule_id`, `state` and time (`from` inclusive, `to` exclusive); page with ' +
        '`next_cursor`. Each delivery lists every attempt (status code, error, duration).',
      tags,
      minimumRole: 'viewer',
      request: { query: alertEventsQuery },
      responses: {
        200: z.object({ data: z.array(alertEventSchema), next_cursor: z.string().nullable() }),
      },
      async handler({ query }) {
        const page = await repository.listEvents({
          ruleId: query.rule_id,
          state: query.state,
          from: query.from,
          to: query.to,
          limit: query.limit,
          cursor: query.cursor ?? null,
        });
        return { data: page.data.map(alertEventBody), next_cursor: page.nextCursor };
      },
    }),
  ];
}
