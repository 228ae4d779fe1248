/**
 * The schema's alert tables (docs/alerts.md): rules, events and webhook deliveries
 * (re-exported by schema.ts, which drizzle.config.ts reads; migrations are generated from it).
 */
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from './drizzle.ts';
import { timestamptz } from './schema-columns.ts';

/** One channel of an alert rule as stored: a webhook's secret only as a vault envelope (ADR 0018). */
export interface StoredAlertChannel {
  type: 'webhook' | 'log';
  url?: string;
  sealed_secret?: string;
  secret_last4?: string;
}

/**
 * Alert rules (docs/alerts.md, ADR 0018): a metric over a window and a scope compared with a
 * threshold, and where to send its transitions. `state` is what the last evaluation concluded
 * (`ok` or `firing`); a transition is written only when it still holds the state the evaluator
 * read (compare-and-set), so two evaluators never record one transition twice.
 */
export const alertRules = pgTable('alert_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  metric: text('metric').notNull(),
  /** `{"project_id"?, "key_id"?, "model"?, "provider"?}`; empty = everything. */
  scope: jsonb('scope').$type<Record<string, string>>().notNull(),
  windowMinutes: integer('window_minutes').notNull(),
  operator: text('operator').notNull(),
  threshold: doublePrecision('threshold').notNull(),
  channels: jsonb('channels').$type<StoredAlertChannel[]>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  state: text('state').notNull().default('ok'),
  /** When the rule entered its current state (null: never evaluated). */
  stateSince: timestamptz('state_since'),
  /** The metric at the last evaluation (null: no data, e.g. a rate without requests). */
  lastValue: doublePrecision('last_value'),
  lastEvaluatedAt: timestamptz('last_evaluated_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** Alert transitions (`firing`, `resolved`) with the value that caused them. Kept when the rule is deleted. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    state: text('state').notNull(),
    metric: text('metric').notNull(),
    scope: jsonb('scope').$type<Record<string, string>>().notNull(),
    value: doublePrecision('value'),
    operator: text('operator').notNull(),
    threshold: doublePrecision('threshold').notNull(),
    windowMinutes: integer('window_minutes').notNull(),
    windowFrom: timestamptz('window_from').notNull(),
    windowTo: timestamptz('window_to').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
  },
  (table) => [
    index('alert_events_at_id_idx').on(table.at.desc(), table.id.desc()),
    index('alert_events_rule_idx').on(table.ruleId, table.at.desc()),
  ],
);

/** One delivery attempt of an event to a channel. */
export interface AlertDeliveryAttempt {
  attempt: number;
  at: string;
  /** HTTP status of a webhook's answer; null when none came (network error, time-out) or for `log`. */
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** An event's delivery to one channel of its rule, and every attempt made. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => alertEvents.id, { onDelete: 'cascade' }),
    /** The channel's index in the rule's `channels` when the event was recorded. */
    channel: integer('channel').notNull(),
    type: text('type').notNull(),
    /** `pending`, `delivered` or `failed` (attempts used up). */
    status: text('status').notNull(),
    attempts: jsonb('attempts').$type<AlertDeliveryAttempt[]>().notNull().default([]),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [index('alert_deliveries_event_idx').on(table.eventId)],
);
