/**
 * Ids in OpenRouter's recorded formats: generations `gen-<unix seconds>-<20 alphanumerics>`
 * (e.g. `gen-1762047030-dJUcJW4ildNGqK4UV6iJ`), tool calls `call_<24 alphanumerics>`.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** FNV-1a 32-bit hash of a string: cheap, stable across runs, good enough to pick words. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `length` alphanumerics derived from `seed` (deterministic). */
export function alphanumericFromSeed(seed: number, length: number): string {
  let state = seed >>> 0 || 1;
  let text = '';
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    text += ALPHABET.charAt(state % ALPHABET.length);
  }
  return text;
}

/**
 * A generator of unique generation ids: a random 8-character prefix per emulator (so two
 * emulators in one process never collide) plus a 12-character base-62 counter.
 */
export function createGenerationIdGenerator(): (unixSeconds: number) => string {
  const prefix = Array.from(randomBytes(8), (byte) => ALPHABET.charAt(byte % ALPHABET.length)).join(
    '',
  );
  let counter = 0;
  return (unixSeconds) => {
    counter += 1;
    let value = counter;
    let suffix = '';
    for (let index = 0; index < 12; index++) {
      suffix = ALPHABET.charAt(value % 62) + suffix;
      value = Math.floor(value / 62);
    }
    return `gen-${unixSeconds}-${prefix}${suffix}`;
  };
}
