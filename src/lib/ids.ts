/** Identifier helpers. */
import { randomFillSync } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes are drawn 4 KiB at a time: one crypto call per ~150 ids instead of one per id
// (a per-request randomFillSync showed up at ~3% of the gateway's CPU).
const pool = Buffer.alloc(4096);
let position = pool.length;

function randomByte(): number {
  if (position >= pool.length) {
    randomFillSync(pool);
    position = 0;
  }
  const byte = pool[position] ?? 0;
  position += 1;
  return byte;
}

/** `length` random characters from [A-Za-z0-9] (crypto-random, unbiased by rejection). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    // 248 = 4 × 62: bytes at or above it would bias the first characters.
    if (byte < 248) out += ALPHANUMERIC[byte % 62] ?? '';
  }
  return out;
}

/** A request id: `req_` + 24 alphanumerics. Sent as `x-request-id` and used as the ledger key. */
export function createRequestId(): string {
  return `req_${randomAlphanumeric(24)}`;
}

/**
 * `<id>~<6 alphanumerics>`: the id a request gets when its id is already taken (a client that
 * reused an `x-request-id`), so a duplicate never replaces or drops a ledger row.
 */
export function suffixRequestId(id: string): string {
  return `${id}~${randomAlphanumeric(6)}`;
}
