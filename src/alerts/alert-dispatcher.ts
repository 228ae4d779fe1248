/**
 * Sends an alert event to its rule's channels and records every attempt (docs/alerts.md):
 * `log` writes one structured warn line; `webhook` POSTs the signed JSON body and retries a
 * failure (network error, time-out, any status but 2xx; not an address the SSRF guard refuses)
 * with capped exponential backoff
 * ("equal jitter", src/lib/backoff.ts), `attempts` times at most. Each attempt's status code,
 * error and duration go to the delivery's row; its status ends `delivered` or `failed`.
 * close() stops waiting between retries (the delivery then stays `pending`) and waits for
 * attempts in flight.
 */
import type { Logger } from 'pino';
import type {
  AlertChannel,
  AlertDelivery,
  AlertDeliveryAttemptRecord,
  AlertEvent,
} from '../contracts/alert-rule.ts';
import { retryDelayMs } from '../lib/backoff.ts';
import type { AlertRepository } from '../storage/index.ts';
import { alertWebhookBody } from './alert-payload.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.ts';

/** POSTs `body`; resolves with the answer's status; rejects on a network error or time-out. */
export type WebhookPoster = (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
) => Promise<number>;

export interface AlertDispatcherOptions {
  repository: Pick<AlertRepository, 'recordAttempt'>;
  post: WebhookPoster;
  /**
   * Opens a sealed webhook secret (the vault's `open` with `alertSecretContext(ruleId)`).
   * @throws when it cannot (unknown key, tampered): the delivery then fails at once.
   */
  openSecret: (envelope: string, ruleId: string) => string;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Most attempts per webhook delivery (≥ 1). */
  attempts: number;
  /** First retry's delay before jitter, ms; doubles per retry up to 60 s. */
  backoffMs: number;
  now?: () => Date;
}

export interface AlertDispatcher {
  /** Delivers `event` over `channels` (the rule's when the event was recorded). */
  dispatch(event: AlertEvent, channels: readonly AlertChannel[]): Promise<void>;
  /** Stops retrying and waits for deliveries in flight. */
  close(): Promise<void>;
}

/** The code of the SSRF guard's refusal (src/security/ssrf-guard.ts ForbiddenAddressError). */
const FORBIDDEN_ADDRESS = 'ERR_SIGNALBOX_FORBIDDEN_ADDRESS';

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const now = options.now ?? (() => new Date());
  const closing = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closing.signal.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done);
    });

  async function record(
    delivery: AlertDelivery,
    attempt: AlertDeliveryAttemptRecord,
    status: AlertDelivery['status'],
  ): Promise<void> {
    await options.repository.recordAttempt(delivery.id, attempt, status).catch((error: unknown) => {
      options.logger.error({ err: error, deliveryId: delivery.id }, 'alert: attempt not recorded');
    });
  }

  async function webhook(
    event: AlertEvent,
    delivery: AlertDelivery,
    channel: Extract<AlertChannel, { type: 'webhook' }>,
  ): Promise<void> {
    const body = JSON.stringify(alertWebhookBody(event));
    let secret: string | null;
    try {
      secret =
        channel.secret === null ? null : options.openSecret(channel.secret.envelope, event.ruleId);
    } catch (failure) {
      const error = `signing secret unavailable: ${errorText(failure)}`;
      await record(
        delivery,
        { attempt: 1, at: now(), statusCode: null, error, durationMs: 0 },
        'failed',
      );
      options.logger.warn(
        { alert: { eventId: event.id, ruleId: event.ruleId }, error },
        'alert: webhook delivery failed',
      );
      return;
    }
    for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
      const at = now();
      const timestamp = Math.floor(at.getTime() / 1000);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'signalbox-alerts',
        'x-signalbox-event-id': String(event.id),
        [TIMESTAMP_HEADER]: String(timestamp),
        ...(secret === null ? {} : { [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body) }),
      };
      const started = performance.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      let refused = false;
      try {
        statusCode = await options.post(channel.url, body, headers);
        if (statusCode < 200 || statusCode > 299) error = `HTTP ${String(statusCode)}`;
      } catch (failure) {
        error = errorText(failure);
        // The SSRF guard refused the address: retrying cannot help.
        refused = (failure as { code?: unknown }).code === FORBIDDEN_ADDRESS;
      }
      const durationMs = Math.round(performance.now() - started);
      const last = error === null || refused || attempt === options.attempts;
      const status = error === null ? 'delivered' : last ? 'failed' : 'pending';
      await record(delivery, { attempt, at, statusCode, error, durationMs }, status);
      if (error === null) return;
      if (last) {
        options.logger.warn(
          { alert: { eventId: event.id, ruleId: event.ruleId }, attempts: attempt, error },
          'alert: webhook delivery failed',
        );
        return;
      }
      await pause(
        retryDelayMs(attempt - 1, undefined, { initialMs: options.backoffMs, maxMs: 60_000 }),
      );
      if (closing.signal.aborted) return;
    }
  }

  async function log(event: AlertEvent, delivery: AlertDelivery): Promise<void> {
    const at = now();
    options.logger.warn(
      { alert: alertWebhookBody(event) },
      `alert ${event.state}: ${event.ruleName}`,
    );
    await record(
      delivery,
      { attempt: 1, at, statusCode: null, error: null, durationMs: 0 },
      'delivered',
    );
  }

  return {
    dispatch(event, channels) {
      const work = Promise.all(
        event.deliveries.map((delivery) => {
          const channel = channels[delivery.channel];
          if (channel === undefined) return Promise.resolve();
          return channel.type === 'log' ? log(event, delivery) : webhook(event, delivery, channel);
        }),
      ).then(() => undefined);
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      return work;
    },
    async close() {
      closing.abort();
      await Promise.all([...inFlight]);
    },
  };
}
