/**
 * The master key: `sb-` + 43 base64url characters (32 random bytes). Only its SHA-256
 * is stored; presented keys are compared in constant time on their digests.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const MASTER_KEY_PREFIX = 'sb-';

/** A new strong master key (256 bits of entropy). */
export function generateMasterKey(): string {
  return `${MASTER_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a key, hex. Keys are high-entropy, so a fast hash is enough. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time check of a presented key against a stored SHA-256 hex digest. */
export function verifyKey(presented: string, storedHashHex: string): boolean {
  const expected = Buffer.from(storedHashHex, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** `Authorization: Bearer <key>` → key, or null when absent or not a bearer credential. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
