/**
 * Secrets of API keys other than the master key: `sbk-` + 43 base62 characters (32 random
 * bytes, 256 bits). Only the SHA-256 (hex) is stored (`hashKey`, as for the master key: a fast
 * hash suffices for a high-entropy secret); the prefix (`sbk-` + 8 characters) and the last 4
 * characters identify a key to people. docs/decisions/0013-virtual-keys.md.
 */
import { randomBytes } from 'node:crypto';
import { hashKey } from './master-key.ts';

export const VIRTUAL_KEY_PREFIX = 'sbk-';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^43 > 2^256: every 32-byte value fits in 43 characters. */
const SECRET_LENGTH = 43;

/** 32 random bytes as 43 base62 characters (big-endian, zero-padded). */
function base62(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = (BASE62[Number(value % 62n)] ?? '0') + out;
    value /= 62n;
  }
  return out.padStart(SECRET_LENGTH, '0');
}

/** A new key's secret (shown once) and what is stored about it. */
export interface VirtualKeySecret {
  /** `sbk-…`: shown to the creator once, never stored. */
  key: string;
  /** SHA-256 hex of `key`. */
  hash: string;
  /** `sbk-` + the first 8 characters after it. */
  prefix: string;
  last4: string;
}

/** Generates a new key secret. */
export function generateVirtualKey(): VirtualKeySecret {
  const key = `${VIRTUAL_KEY_PREFIX}${base62(randomBytes(32))}`;
  return {
    key,
    hash: hashKey(key),
    prefix: key.slice(0, VIRTUAL_KEY_PREFIX.length + 8),
    last4: key.slice(-4),
  };
}

/** Whether a bearer token has the shape of a key secret (checked before any look-up). */
export function looksLikeVirtualKey(token: string): boolean {
  return (
    token.length === VIRTUAL_KEY_PREFIX.length + SECRET_LENGTH &&
    token.startsWith(VIRTUAL_KEY_PREFIX) &&
    /^[0-9A-Za-z]+$/.test(token.slice(VIRTUAL_KEY_PREFIX.length))
  );
}
