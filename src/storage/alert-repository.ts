/**
 * Alert rules, events and deliveries (tables `alert_rules`, `alert_events`, `alert_deliveries`;
 * docs/alerts.md, ADR 0018). Rule writes accept the caller's transaction (`executor`), so an
 * admin change and its audit row commit together. A transition is recorded with a
 * compare-and-set on the rule's state, in one transaction with its event and its pending
 * deliveries: whoever evaluates, a transition is recorded (and so delivered) once.
 */
import { and, asc, desc, eq, gte, inArray, lt, or, sql } from './drizzle.ts';
import type { SQL } from 'drizzle-orm';
import type {
  AlertChannel,
  AlertDelivery,
  AlertDeliveryAttemptRecord,
  AlertDeliveryStatus,
  AlertEvent,
  AlertMetric,
  AlertOperator,
  AlertRule,
  AlertRuleSettings,
  AlertScope,
  AlertState,
} from '../contracts/alert-rule.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type { SqlExecutor } from './audit-repository.ts';
import type { Database } from './database.ts';
import type { Changed } from './project-repository.ts';
import { alertDeliveries, alertEvents, alertRules, type StoredAlertChannel } from './schema.ts';

/** A change of state found by an evaluation. */
export interface AlertTransition {
  rule: AlertRule;
  /** The state the evaluator read; the write happens only if the rule still holds it. */
  from: AlertState;
  to: 'firing' | 'resolved';
  value: number | null;
  windowFrom: Date;
  windowTo: Date;
  at: Date;
}

export interface AlertEventQuery {
  ruleId?: string | undefined;
  state?: 'firing' | 'resolved' | undefined;
  /** Inclusive lower bound. */
  from?: Date | undefined;
  /** Exclusive upper bound. */
  to?: Date | undefined;
  /** 1–200. */
  limit: number;
  cursor: string | null;
}

export interface AlertRepository {
  /** @throws the driver's error (a taken id: unique violation). */
  createRule(
    id: string,
    settings: AlertRuleSettings,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<AlertRule>;
  getRule(id: string, executor?: SqlExecutor): Promise<AlertRule | null>;
  /** Oldest first. */
  listRules(filter?: { enabledOnly?: boolean }): Promise<AlertRule[]>;
  /** Applies `changes`; null when the rule is unknown. */
  updateRule(
    id: string,
    changes: Partial<AlertRuleSettings>,
    at: Date,
    executor?: SqlExecutor,
  ): Promise<Changed<AlertRule> | null>;
  /** Deletes the rule (its events stay); null when unknown. */
  deleteRule(id: string, executor?: SqlExecutor): Promise<AlertRule | null>;
  /** The value seen by an evaluation that changed nothing. */
  recordEvaluation(ruleId: string, value: number | null, at: Date): Promise<void>;
  /**
   * Records a transition (rule state, event, one pending delivery per channel) in one
   * transaction; null when the rule no longer holds `from` (another evaluator was first) or was
   * deleted.
   */
  recordTransition(transition: AlertTransition): Promise<AlertEvent | null>;
  /** Appends an attempt to a delivery and sets its status. */
  recordAttempt(
    deliveryId: number,
    attempt: AlertDeliveryAttemptRecord,
    status: AlertDeliveryStatus,
  ): Promise<void>;
  /**
   * Re-wraps every sealed webhook secret for which `rewrap` returns a new envelope (null = leave
   * it), in `executor`'s transaction (its own when none), rows locked. For the vault's key rotation.
   * @returns how many secrets there are and how many were re-wrapped.
   */
  rewrapSecrets(
    rewrap: (envelope: string) => string | null,
    executor?: SqlExecutor,
  ): Promise<{ rewrapped: number; secrets: number }>;
  /**
   * Newest first, keyset cursor over (at, id).
   * @throws SignalboxError `invalid_request` (param `cursor`) for a cursor it did not make.
   */
  listEvents(query: AlertEventQuery): Promise<{ data: AlertEvent[]; nextCursor: string | null }>;
}

type RuleRow = typeof alertRules.$inferSelect;
type EventRow = typeof alertEvents.$inferSelect;
type DeliveryRow = typeof alertDeliveries.$inferSelect;

function scopeColumn(scope: AlertScope): Record<string, string> {
  const stored: Record<string, string> = {};
  if (scope.projectId !== undefined) stored.project_id = scope.projectId;
  if (scope.keyId !== undefined) stored.key_id = scope.keyId;
  if (scope.model !== undefined) stored.model = scope.model;
  if (scope.provider !== undefined) stored.provider = scope.provider;
  return stored;
}

function scopeOf(stored: Record<string, string>): AlertScope {
  return {
    ...(stored.project_id === undefined ? {} : { projectId: stored.project_id }),
    ...(stored.key_id === undefined ? {} : { keyId: stored.key_id }),
    ...(stored.model === undefined ? {} : { model: stored.model }),
    ...(stored.provider === undefined ? {} : { provider: stored.provider }),
  };
}

function channelsColumn(channels: readonly AlertChannel[]): StoredAlertChannel[] {
  return channels.map((channel) =>
    channel.type === 'log'
      ? { type: 'log' }
      : {
          type: 'webhook',
          url: channel.url,
          ...(channel.secret === null
            ? {}
            : { sealed_secret: channel.secret.envelope, secret_last4: channel.secret.last4 }),
        },
  );
}

function channelsOf(stored: readonly StoredAlertChannel[]): AlertChannel[] {
  return stored.map((channel) =>
    channel.type === 'log'
      ? { type: 'log' }
      : {
          type: 'webhook',
          url: channel.url ?? '',
          secret:
            channel.sealed_secret === undefined
              ? null
              : { envelope: channel.sealed_secret, last4: channel.secret_last4 ?? '…' },
        },
  );
}

function ruleOf(row: RuleRow): AlertRule {
  return {
    id: row.id,
    name: row.name,
    metric: row.metric as AlertMetric,
    scope: scopeOf(row.scope),
    windowMinutes: row.windowMinutes,
    operator: row.operator as AlertOperator,
    threshold: row.threshold,
    channels: channelsOf(row.channels),
    enabled: row.enabled,
    state: row.state === 'firing' ? 'firing' : 'ok',
    stateSince: row.stateSince,
    lastValue: row.lastValue,
    lastEvaluatedAt: row.lastEvaluatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function settingsColumns(settings: Partial<AlertRuleSettings>) {
  return {
    ...(settings.name === undefined ? {} : { name: settings.name }),
    ...(settings.metric === undefined ? {} : { metric: settings.metric }),
    ...(settings.scope === undefined ? {} : { scope: scopeColumn(settings.scope) }),
    ...(settings.windowMinutes === undefined ? {} : { windowMinutes: settings.windowMinutes }),
    ...(settings.operator === undefined ? {} : { operator: settings.operator }),
    ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
    ...(settings.channels === undefined ? {} : { channels: channelsColumn(settings.channels) }),
    ...(settings.enabled === undefined ? {} : { enabled: settings.enabled }),
  };
}

function deliveryOf(row: DeliveryRow): AlertDelivery {
  return {
    id: row.id,
    channel: row.channel,
    type: row.type === 'webhook' ? 'webhook' : 'log',
    status: row.status as AlertDeliveryStatus,
    attempts: row.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      at: new Date(attempt.at),
      statusCode: attempt.status_code,
      error: attempt.error,
      durationMs: attempt.duration_ms,
    })),
  };
}

function eventOf(row: EventRow, deliveries: readonly DeliveryRow[]): AlertEvent {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    state: row.state === 'firing' ? 'firing' : 'resolved',
    metric: row.metric as AlertMetric,
    scope: scopeOf(row.scope),
    value: row.value,
    operator: row.operator as AlertOperator,
    threshold: row.threshold,
    windowMinutes: row.windowMinutes,
    windowFrom: row.windowFrom,
    windowTo: row.windowTo,
    at: row.at,
    deliveries: deliveries.map(deliveryOf),
  };
}

function encodeCursor(event: AlertEvent): string {
  return Buffer.from(`${event.at.toISOString()}|${String(event.id)}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const number = Number(id);
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(number))
    throw new SignalboxError('invalid_request', 'cursor is not a cursor this endpoint returned.', {
      param: 'cursor',
    });
  return { at: date, id: number };
}

function eventConditions(query: AlertEventQuery): SQL[] {
  const where: SQL[] = [];
  if (query.ruleId !== undefined) where.push(eq(alertEvents.ruleId, query.ruleId));
  if (query.state !== undefined) where.push(eq(alertEvents.state, query.state));
  if (query.from !== undefined) where.push(gte(alertEvents.at, query.from));
  if (query.to !== undefined) where.push(lt(alertEvents.at, query.to));
  if (query.cursor !== null) {
    const after = decodeCursor(query.cursor);
    const older = or(
      lt(alertEvents.at, after.at),
      and(eq(alertEvents.at, after.at), lt(alertEvents.id, after.id)),
    );
    if (older !== undefined) where.push(older);
  }
  return where;
}

/** Binds the alert repository to a database. */
export function createAlertRepository(database: Database): AlertRepository {
  const { db } = database;
  const getRule = async (id: string, executor: SqlExecutor = db): Promise<AlertRule | null> => {
    const [row] = await executor.select().from(alertRules).where(eq(alertRules.id, id));
    return row === undefined ? null : ruleOf(row);
  };
  return {
    async createRule(id, settings, at, executor = db) {
      const [row] = await executor
        .insert(alertRules)
        .values({
          id,
          ...settingsColumns(settings),
          name: settings.name,
          metric: settings.metric,
          scope: scopeColumn(settings.scope),
          windowMinutes: settings.windowMinutes,
          operator: settings.operator,
          threshold: settings.threshold,
          channels: channelsColumn(settings.channels),
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      if (row === undefined) throw new Error('alert rule insert returned no row');
      return ruleOf(row);
    },
    getRule,
    async listRules(filter = {}) {
      const rows = await db
        .select()
        .from(alertRules)
        .where(filter.enabledOnly === true ? eq(alertRules.enabled, true) : undefined)
        .orderBy(asc(alertRules.createdAt), asc(alertRules.id));
      return rows.map(ruleOf);
    },
    async updateRule(id, changes, at, executor = db) {
      const before = await getRule(id, executor);
      if (before === null) return null;
      const [row] = await executor
        .update(alertRules)
        .set({ ...settingsColumns(changes), updatedAt: at })
        .where(eq(alertRules.id, id))
        .returning();
      return row === undefined ? null : { before, after: ruleOf(row) };
    },
    async deleteRule(id, executor = db) {
      const [row] = await executor.delete(alertRules).where(eq(alertRules.id, id)).returning();
      return row === undefined ? null : ruleOf(row);
    },
    async recordEvaluation(ruleId, value, at) {
      await db
        .update(alertRules)
        .set({ lastValue: value, lastEvaluatedAt: at })
        .where(eq(alertRules.id, ruleId));
    },
    recordTransition(transition) {
      const { rule } = transition;
      return db.transaction(async (tx) => {
        const [moved] = await tx
          .update(alertRules)
          .set({
            state: transition.to === 'firing' ? 'firing' : 'ok',
            stateSince: transition.at,
            lastValue: transition.value,
            lastEvaluatedAt: transition.at,
          })
          .where(and(eq(alertRules.id, rule.id), eq(alertRules.state, transition.from)))
          .returning({ id: alertRules.id });
        if (moved === undefined) return null;
        const [event] = await tx
          .insert(alertEvents)
          .values({
            ruleId: rule.id,
            ruleName: rule.name,
            state: transition.to,
            metric: rule.metric,
            scope: scopeColumn(rule.scope),
            value: transition.value,
            operator: rule.operator,
            threshold: rule.threshold,
            windowMinutes: rule.windowMinutes,
            windowFrom: transition.windowFrom,
            windowTo: transition.windowTo,
            at: transition.at,
          })
          .returning();
        if (event === undefined) throw new Error('alert event insert returned no row');
        const deliveries =
          rule.channels.length === 0
            ? []
            : await tx
                .insert(alertDeliveries)
                .values(
                  rule.channels.map((channel, index) => ({
                    eventId: event.id,
                    channel: index,
                    type: channel.type,
                    status: 'pending',
                    attempts: [],
                    updatedAt: transition.at,
                  })),
                )
                .returning();
        return eventOf(event, deliveries);
      });
    },
    async recordAttempt(deliveryId, attempt, status) {
      const stored = {
        attempt: attempt.attempt,
        at: attempt.at.toISOString(),
        status_code: attempt.statusCode,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      };
      await db
        .update(alertDeliveries)
        .set({
          status,
          attempts: sql`${alertDeliveries.attempts} || ${JSON.stringify([stored])}::jsonb`,
          updatedAt: attempt.at,
        })
        .where(eq(alertDeliveries.id, deliveryId));
    },
    async rewrapSecrets(rewrap, executor) {
      const work = async (through: SqlExecutor) => {
        const rows = await through.select().from(alertRules).for('update');
        let rewrapped = 0;
        let secrets = 0;
        for (const row of rows) {
          const before = rewrapped;
          const channels = row.channels.map((channel) => {
            if (channel.sealed_secret === undefined) return channel;
            secrets += 1;
            const next = rewrap(channel.sealed_secret);
            if (next === null) return channel;
            rewrapped += 1;
            return { ...channel, sealed_secret: next };
          });
          if (rewrapped > before)
            await through.update(alertRules).set({ channels }).where(eq(alertRules.id, row.id));
        }
        return { rewrapped, secrets };
      };
      return executor === undefined ? db.transaction(work) : work(executor);
    },
    async listEvents(query) {
      const where = eventConditions(query);
      const rows = await db
        .select()
        .from(alertEvents)
        .where(where.length === 0 ? undefined : and(...where))
        .orderBy(desc(alertEvents.at), desc(alertEvents.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      const deliveries =
        page.length === 0
          ? []
          : await db
              .select()
              .from(alertDeliveries)
              .where(
                inArray(
                  alertDeliveries.eventId,
                  page.map((row) => row.id),
                ),
              )
              .orderBy(asc(alertDeliveries.channel));
      const data = page.map((row) =>
        eventOf(
          row,
          deliveries.filter((delivery) => delivery.eventId === row.id),
        ),
      );
      const last = data.at(-1);
      return {
        data,
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  };
}
