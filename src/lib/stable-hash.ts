/**
 * A fast, stable, non-cryptographic hash of strings to a number in [0, 1), for deterministic
 * sampling: the same inputs give the same value in every process and on every instance, so a
 * routing choice can be predicted (explain) and an experiment assignment stays sticky.
 * FNV-1a (32-bit) over UTF-16 code units, finished with MurmurHash3's fmix32 so every input bit
 * reaches the high bits that the division reads. tensorzero derives its sampling value the same
 * way, from a hash truncated to 32 bits divided by 2^32 (`experimentation/mod.rs
 * get_uniform_value`). Not for anything an attacker must not predict.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_32 = 4_294_967_296;

/** FNV-1a of `text` continuing from `hash` (start with {@link FNV_OFFSET}). */
function fnv1a(hash: number, text: string): number {
  let value = hash;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, FNV_PRIME);
  }
  return value;
}

/** MurmurHash3's 32-bit finaliser: full avalanche. */
function fmix32(hash: number): number {
  let value = hash;
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value >>> 0;
}

/** An unsigned 32-bit hash of the parts (each separated, so `["ab","c"]` ≠ `["a","bc"]`). */
export function stableHash32(...parts: readonly string[]): number {
  let hash = FNV_OFFSET;
  for (const part of parts) {
    hash = fnv1a(hash, part);
    // A separator no string part can produce on its own (a lone code unit 0xffff).
    hash ^= 0xffff;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return fmix32(hash);
}

/** A value in [0, 1) derived from the parts; uniform over distinct inputs. */
export function stableUnit(...parts: readonly string[]): number {
  return stableHash32(...parts) / TWO_TO_32;
}
