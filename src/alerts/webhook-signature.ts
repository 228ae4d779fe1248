/**
 * Signing of alert webhooks (docs/alerts.md), as Stripe and GitHub do: the receiver recomputes
 * HMAC-SHA256 with the channel's secret over `<timestamp>.<raw body>` and compares it in
 * constant time, and refuses a timestamp too far from its clock (replays).
 *
 * Headers: `x-signalbox-timestamp: <unix seconds>`,
 * `x-signalbox-signature: sha256=<64 lowercase hex>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signalbox-signature';
export const TIMESTAMP_HEADER = 'x-signalbox-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`); timestamp in unix seconds. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret)
    .update(`${String(timestamp)}.`)
    .update(body);
  return `sha256=${mac.digest('hex')}`;
}

/**
 * Whether `signature` is the body's signature at `timestamp` and the timestamp is within
 * `toleranceSeconds` of `nowSeconds` (default 300 s).
 */
export function verifyWebhookSignature(options: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const { timestamp, signature } = options;
  if (timestamp === undefined || signature === undefined || !/^\d+$/.test(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(options.secret, Number(timestamp), options.body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
