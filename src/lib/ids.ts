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

/** The last millisecond an id was made in, and how many ids this process made in it. */
let lastMs = 0;
let sequence = 0;
/** 36^9 ms ≈ year 5138; 36^4 ids per ms. */
const TIME_DIGITS = 9;
const SEQUENCE_DIGITS = 4;
const SEQUENCE_LIMIT = 36 ** SEQUENCE_DIGITS;

/**
 * A request id: `req_` + 24 alphanumerics, sent as `x-request-id` and used as the ledger key.
 * The first 13 are time-ordered: the creation time in ms (9 base-36 digits) and a sequence
 * number within that ms (4 base-36 digits), never going backwards in one process even when the
 * wall clock does; the last 11 are random [A-Za-z0-9] (~65 bits), so ids of several instances
 * never collide. Lower-case base 36 sorts the same under the C collation and a linguistic one,
 * so a process's ids of one ms sort in creation order — the request log's tie-break after
 * `created_at`, which has ms precision.
 */
export function createRequestId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (sequence >= SEQUENCE_LIMIT - 1) {
    lastMs += 1;
    sequence = 0;
  } else {
    sequence += 1;
  }
  return (
    `req_${lastMs.toString(36).padStart(TIME_DIGITS, '0')}` +
    `${sequence.toString(36).padStart(SEQUENCE_DIGITS, '0')}${randomAlphanumeric(11)}`
  );
}

/**
 * `<id>~<6 alphanumerics>`: the id a request gets when its id is already taken (a client that
 * reused an `x-request-id`), so a duplicate never replaces or drops a ledger row.
 */
export function suffixRequestId(id: string): string {
  return `${id}~${randomAlphanumeric(6)}`;
}
