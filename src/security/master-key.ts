/**
 * The master key: `sb-` + 43 base64url characters (32 random bytes). Only its SHA-256
 * is stored; presented keys are compared in constant time on their digests.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export const MASTER_KEY_PREFIX = 'sb-';

/** A new strong master key (256 bits of entropy). */
export function generateMasterKey(): string {
  return `${MASTER_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a key, hex. Keys are high-entropy, so a fast hash is enough. */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * A constant-time check of presented keys against one stored SHA-256 hex digest (decoded once,
 * not per call): `(presented) => boolean`.
 */
export function keyVerifier(storedHashHex: string): (presented: string) => boolean {
  const expected = Buffer.from(storedHashHex, 'hex');
  return (presented) => {
    const actual = hash('sha256', presented, 'buffer');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };
}

/** `Authorization: Bearer <key>` → key, or null when absent or not a bearer credential. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
