/**
 * Wire schemas of `/admin/alerts` (zod; published as OpenAPI) and the conversions between them
 * and the stored rules and events (docs/alerts.md). A webhook's `secret` is write-only: answers
 * carry `secret_last4` instead.
 */
import { z } from 'zod';
import {
  ALERT_METRICS,
  ALERT_OPERATORS,
  type AlertChannel,
  type AlertEvent,
  type AlertRule,
  type AlertScope,
  type SealedAlertSecret,
} from '../../contracts/alert-rule.ts';
import { alertScopeBody } from '../../alerts/alert-payload.ts';

const dimension = z.string().min(1).max(200);

export const alertScopeInput = z
  .object({
    project_id: dimension.optional(),
    key_id: dimension.optional(),
    model: dimension.optional(),
    provider: dimension.optional(),
  })
  .strict()
  .describe('Which traffic the rule watches (exact matches); empty = all of it.');

const webhookInput = z
  .object({
    type: z.literal('webhook'),
    url: z
      .string()
      .min(1)
      .max(2000)
      .describe('http(s) URL; private addresses only when allowlisted.'),
    secret: z
      .string()
      .min(8)
      .max(500)
      .nullable()
      .optional()
      .describe(
        'HMAC-SHA256 signing secret (write-only). On PATCH: omitted keeps the secret of the current channel with the same URL; null removes it.',
      ),
  })
  .strict();

const channelInput = z.discriminatedUnion('type', [
  webhookInput,
  z.object({ type: z.literal('log') }).strict(),
]);
export type AlertChannelInput = z.output<typeof channelInput>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  metric: z.enum(ALERT_METRICS),
  scope: alertScopeInput.default({}),
  window_minutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(60)
    .describe(
      'The metric covers the last N minutes (plus the current one). Ignored by budget_used_pct.',
    ),
  operator: z.enum(ALERT_OPERATORS),
  threshold: z.number(),
  channels: z.array(channelInput).max(10).default([]),
  enabled: z.boolean().default(true),
};

export const alertRuleCreateBody = z.object(ruleFields).strict();
export const alertRulePatchBody = z
  .object({
    name: ruleFields.name.optional(),
    metric: ruleFields.metric.optional(),
    scope: alertScopeInput.optional(),
    window_minutes: z.number().int().min(1).max(1440).optional(),
    operator: ruleFields.operator.optional(),
    threshold: ruleFields.threshold.optional(),
    channels: z.array(channelInput).max(10).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

const scopeOutput = z
  .object({
    project_id: z.string().optional(),
    key_id: z.string().optional(),
    model: z.string().optional(),
    provider: z.string().optional(),
  })
  .meta({ id: 'AlertScope' });

const channelOutput = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('webhook'),
      url: z.string(),
      secret_last4: z.string().nullable().meta({
        description:
          'The last 4 characters of the signing secret (never returned); null = unsigned.',
      }),
    }),
    z.object({ type: z.literal('log') }),
  ])
  .meta({ id: 'AlertChannel' });

export const alertRuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    metric: z.enum(ALERT_METRICS),
    scope: scopeOutput,
    window_minutes: z.number().int(),
    operator: z.enum(ALERT_OPERATORS),
    threshold: z.number(),
    channels: z.array(channelOutput),
    enabled: z.boolean(),
    state: z.enum(['ok', 'firing']),
    state_since: z.string().nullable(),
    last_value: z.number().nullable(),
    last_evaluated_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'AlertRule' });

const attemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
});

export const alertEventSchema = z
  .object({
    id: z.number().int(),
    rule_id: z.string(),
    rule_name: z.string(),
    state: z.enum(['firing', 'resolved']),
    metric: z.enum(ALERT_METRICS),
    scope: scopeOutput,
    value: z.number().nullable(),
    operator: z.enum(ALERT_OPERATORS),
    threshold: z.number(),
    window_minutes: z.number().int(),
    window_from: z.string(),
    window_to: z.string(),
    at: z.string(),
    deliveries: z.array(
      z.object({
        channel: z.number().int(),
        type: z.enum(['webhook', 'log']),
        status: z.enum(['pending', 'delivered', 'failed']),
        attempts: z.array(attemptSchema),
      }),
    ),
  })
  .meta({ id: 'AlertEvent' });

const isoTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .describe('ISO 8601 time');

export const alertEventsQuery = z.object({
  rule_id: z.string().min(1).optional(),
  state: z.enum(['firing', 'resolved']).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
});

export function alertScopeOf(input: z.output<typeof alertScopeInput>): AlertScope {
  return {
    ...(input.project_id === undefined ? {} : { projectId: input.project_id }),
    ...(input.key_id === undefined ? {} : { keyId: input.key_id }),
    ...(input.model === undefined ? {} : { model: input.model }),
    ...(input.provider === undefined ? {} : { provider: input.provider }),
  };
}

/**
 * The stored channels for `input`: a new secret is sealed by `seal` (the vault), a webhook
 * without `secret` keeps the sealed secret of the channel in `current` with the same URL (none
 * on create), `null` stores none.
 * @throws what `seal` throws (`encryption_key_missing` without a vault key).
 */
export function alertChannelsOf(
  input: readonly AlertChannelInput[],
  current: readonly AlertChannel[],
  seal: (plaintext: string) => SealedAlertSecret,
): AlertChannel[] {
  return input.map((channel) => {
    if (channel.type === 'log') return { type: 'log' };
    if (channel.secret === null) return { type: 'webhook', url: channel.url, secret: null };
    if (channel.secret !== undefined)
      return { type: 'webhook', url: channel.url, secret: seal(channel.secret) };
    const kept = current.find(
      (existing) => existing.type === 'webhook' && existing.url === channel.url,
    );
    return {
      type: 'webhook',
      url: channel.url,
      secret: kept?.type === 'webhook' ? kept.secret : null,
    };
  });
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export function alertRuleBody(rule: AlertRule): z.output<typeof alertRuleSchema> {
  return {
    id: rule.id,
    name: rule.name,
    metric: rule.metric,
    scope: alertScopeBody(rule.scope),
    window_minutes: rule.windowMinutes,
    operator: rule.operator,
    threshold: rule.threshold,
    channels: rule.channels.map((channel) =>
      channel.type === 'log'
        ? { type: 'log' }
        : {
            type: 'webhook',
            url: channel.url,
            secret_last4: channel.secret === null ? null : channel.secret.last4,
          },
    ),
    enabled: rule.enabled,
    state: rule.state,
    state_since: iso(rule.stateSince),
    last_value: rule.lastValue,
    last_evaluated_at: iso(rule.lastEvaluatedAt),
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

export function alertEventBody(event: AlertEvent): z.output<typeof alertEventSchema> {
  return {
    id: event.id,
    rule_id: event.ruleId,
    rule_name: event.ruleName,
    state: event.state,
    metric: event.metric,
    scope: alertScopeBody(event.scope),
    value: event.value,
    operator: event.operator,
    threshold: event.threshold,
    window_minutes: event.windowMinutes,
    window_from: event.windowFrom.toISOString(),
    window_to: event.windowTo.toISOString(),
    at: event.at.toISOString(),
    deliveries: event.deliveries.map((delivery) => ({
      channel: delivery.channel,
      type: delivery.type,
      status: delivery.status,
      attempts: delivery.attempts.map((attempt) => ({
        attempt: attempt.attempt,
        at: attempt.at.toISOString(),
        status_code: attempt.statusCode,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      })),
    })),
  };
}
