/** Identifier helpers. */
import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters from [A-Za-z0-9] (crypto-random, unbiased by rejection). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62] ?? '';
    }
  }
  return out;
}

/** A request id: `req_` + 24 alphanumerics. Sent as `x-request-id` and used as the ledger key. */
export function createRequestId(): string {
  return `req_${randomAlphanumeric(24)}`;
}
