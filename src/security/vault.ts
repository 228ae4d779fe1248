/**
 * The vault: AES-256-GCM envelope encryption of stored secrets (provider API keys). Each secret
 * gets its own random 256-bit data key (DEK); the DEK encrypts the secret, and the
 * key-encryption key (KEK, `SIGNALBOX_ENCRYPTION_KEY`) encrypts ("wraps") the DEK. Rotating the
 * KEK re-wraps DEKs only: secrets are never decrypted to disk and rows change in place.
 *
 * Envelope (one ASCII string, `.`-separated, base64url parts):
 *   `sbv1.<kid>.<wrap iv>.<wrapped DEK + tag>.<data iv>.<ciphertext + tag>`
 * `kid` is the first 8 bytes (hex) of SHA-256 of the KEK, so an envelope names the KEK that
 * opens it. The data layer's AAD is the secret's context (e.g. `provider:openai-eu`), so an
 * envelope copied to another row does not open there. docs/decisions/0015-vault-and-change-bus.md.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SignalboxError } from '../contracts/errors.ts';

const VERSION = 'sbv1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A key-encryption key and its id. */
export interface KeyEncryptionKey {
  /** 16 hex characters: the first 8 bytes of SHA-256(key). Not secret. */
  readonly id: string;
  readonly key: Buffer;
}

export interface Vault {
  /** Whether a KEK is configured (secrets can be stored). */
  readonly available: boolean;
  /** The current KEK's id; null without one. */
  readonly keyId: string | null;
  /**
   * Encrypts `plaintext` under a fresh data key wrapped by the current KEK.
   * @param context bound to the ciphertext as AAD; `open` must be given the same.
   * @throws SignalboxError `encryption_key_missing` without a KEK.
   */
  seal(plaintext: string, context: string): string;
  /**
   * Decrypts an envelope with whichever known KEK wrapped it (current or previous).
   * @throws SignalboxError `vault_decrypt_failed` (unknown KEK, tampered envelope, other context).
   */
  open(envelope: string, context: string): string;
  /** Whether the envelope's DEK is wrapped by a KEK other than the current one. */
  needsRewrap(envelope: string): boolean;
  /**
   * The same envelope with its DEK re-wrapped by the current KEK (the ciphertext is unchanged).
   * @throws SignalboxError `vault_decrypt_failed`, `encryption_key_missing`.
   */
  rewrap(envelope: string): string;
  /** Makes `next` the current KEK; the old current becomes a previous key (still opens). */
  rotateTo(next: KeyEncryptionKey): void;
}

/** A KEK from its base64 text. @throws Error when it is not 32 bytes. */
export function keyEncryptionKey(base64: string): KeyEncryptionKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new Error('a key-encryption key must be 32 bytes');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** A new random KEK as base64 (what `openssl rand -base64 32` prints). */
export function generateKeyEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; sealed: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, sealed: Buffer.concat([body, cipher.getAuthTag()]) };
}

function decrypt(key: Buffer, iv: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

interface Parsed {
  kid: string;
  wrapIv: Buffer;
  wrappedKey: Buffer;
  dataIv: Buffer;
  ciphertext: Buffer;
}

function failed(message: string): SignalboxError {
  return new SignalboxError('vault_decrypt_failed', message);
}

function parse(envelope: string): Parsed {
  const parts = envelope.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION)
    throw failed('The secret is not a vault envelope.');
  const [, kid = '', wrapIv = '', wrappedKey = '', dataIv = '', ciphertext = ''] = parts;
  return {
    kid,
    wrapIv: Buffer.from(wrapIv, 'base64url'),
    wrappedKey: Buffer.from(wrappedKey, 'base64url'),
    dataIv: Buffer.from(dataIv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
}

function format(
  kid: string,
  wrapIv: Buffer,
  wrappedKey: Buffer,
  dataIv: Buffer,
  ciphertext: Buffer,
): string {
  return [
    VERSION,
    kid,
    ...[wrapIv, wrappedKey, dataIv, ciphertext].map((part) => part.toString('base64url')),
  ].join('.');
}

/** The wrap layer's AAD: the format version and the KEK id, so a kid cannot be swapped. */
function wrapAad(kid: string): Buffer {
  return Buffer.from(`${VERSION}:${kid}`);
}

/**
 * A vault over a current KEK (null = none: `seal` refuses) and any previous KEKs (opened only).
 * @param missingKeyHint appended to the `encryption_key_missing` message (how to set a key).
 */
export function createVault(
  current: KeyEncryptionKey | null,
  previous: readonly KeyEncryptionKey[] = [],
  missingKeyHint = 'Set SIGNALBOX_ENCRYPTION_KEY (32 bytes, base64) to store secrets.',
): Vault {
  let active = current;
  const known = new Map<string, KeyEncryptionKey>();
  for (const key of [...previous, ...(current === null ? [] : [current])]) known.set(key.id, key);

  function requireKey(): KeyEncryptionKey {
    if (active === null)
      throw new SignalboxError(
        'encryption_key_missing',
        `No encryption key is configured. ${missingKeyHint}`,
      );
    return active;
  }

  function unwrap(parsed: Parsed): Buffer {
    const kek = known.get(parsed.kid);
    if (kek === undefined)
      throw failed(
        `The secret is wrapped by encryption key ${parsed.kid}, which this instance does not have.`,
      );
    try {
      return decrypt(kek.key, parsed.wrapIv, parsed.wrappedKey, wrapAad(parsed.kid));
    } catch {
      throw failed(
        "The secret's data key does not decrypt (tampered, or another key with the same id).",
      );
    }
  }

  return {
    get available() {
      return active !== null;
    },
    get keyId() {
      return active?.id ?? null;
    },
    seal(plaintext, context) {
      const kek = requireKey();
      const dataKey = randomBytes(KEY_BYTES);
      const data = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(context));
      const wrapped = encrypt(kek.key, dataKey, wrapAad(kek.id));
      dataKey.fill(0);
      return format(kek.id, wrapped.iv, wrapped.sealed, data.iv, data.sealed);
    },
    open(envelope, context) {
      const parsed = parse(envelope);
      const dataKey = unwrap(parsed);
      try {
        return decrypt(dataKey, parsed.dataIv, parsed.ciphertext, Buffer.from(context)).toString(
          'utf8',
        );
      } catch {
        throw failed('The secret does not decrypt (tampered, or stored under another name).');
      } finally {
        dataKey.fill(0);
      }
    },
    needsRewrap(envelope) {
      return parse(envelope).kid !== active?.id;
    },
    rewrap(envelope) {
      const kek = requireKey();
      const parsed = parse(envelope);
      if (parsed.kid === kek.id) return envelope;
      const dataKey = unwrap(parsed);
      const wrapped = encrypt(kek.key, dataKey, wrapAad(kek.id));
      dataKey.fill(0);
      return format(kek.id, wrapped.iv, wrapped.sealed, parsed.dataIv, parsed.ciphertext);
    },
    rotateTo(next) {
      known.set(next.id, next);
      active = next;
    },
  };
}
