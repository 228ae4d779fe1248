/**
 * Where the vault's key-encryption key comes from: `SIGNALBOX_ENCRYPTION_KEY` (and, while
 * rotating, `SIGNALBOX_ENCRYPTION_KEY_PREVIOUS`); in demo mode without one, a key generated into
 * the data directory (`<dataDir>/encryption-key`, mode 0600) with a warning; in live mode
 * without one, none (the vault then refuses to store secrets). docs/decisions/0015-vault-and-change-bus.md.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createVault,
  generateKeyEncryptionKey,
  keyEncryptionKey,
  type KeyEncryptionKey,
  type Vault,
} from './vault.ts';

export interface VaultKeySource {
  /** `environment`: from the variables; `data-directory`: the demo key file; `none`. */
  readonly origin: 'environment' | 'data-directory' | 'none';
  readonly vault: Vault;
  /**
   * Demo key file only: makes a new KEK current and persists it (the next start reads it);
   * `commit` runs the re-wrap with the new key current and must succeed before the file is
   * replaced. null for environment keys (rotate those by restarting with the new key).
   */
  readonly generateNext: ((commit: () => Promise<void>) => Promise<KeyEncryptionKey>) | null;
  /** A warning to log once at start (demo key generated, or no key in live mode); null = none. */
  readonly warning: string | null;
}

const KEY_FILE = 'encryption-key';

async function writeKeyFile(file: string, base64: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${base64}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * The vault of this process.
 * @param options.encryptionKey / encryptionKeyPrevious: base64 (validated by loadConfig).
 * @param options.demo whether the emulator stands in for OpenRouter (a key may be generated).
 */
export async function loadVaultKey(options: {
  encryptionKey: string | null;
  encryptionKeyPrevious: string | null;
  dataDir: string;
  demo: boolean;
}): Promise<VaultKeySource> {
  if (options.encryptionKey !== null) {
    const previous =
      options.encryptionKeyPrevious === null
        ? []
        : [keyEncryptionKey(options.encryptionKeyPrevious)];
    return {
      origin: 'environment',
      vault: createVault(keyEncryptionKey(options.encryptionKey), previous),
      generateNext: null,
      warning: null,
    };
  }
  if (!options.demo)
    return {
      origin: 'none',
      vault: createVault(
        null,
        [],
        'Live mode stores secrets only with SIGNALBOX_ENCRYPTION_KEY (32 bytes, base64; `openssl rand -base64 32`).',
      ),
      generateNext: null,
      warning:
        'SIGNALBOX_ENCRYPTION_KEY is not set: provider API keys cannot be stored through the admin API.',
    };
  const file = path.join(options.dataDir, KEY_FILE);
  const next = `${file}.next`;
  let warning: string | null = null;
  if (!existsSync(file)) {
    await writeKeyFile(file, generateKeyEncryptionKey());
    warning = `Demo mode: generated the vault's encryption key into ${file}. Set SIGNALBOX_ENCRYPTION_KEY in production (a key kept next to the data it protects is no protection).`;
  }
  const current = keyEncryptionKey((await readFile(file, 'utf8')).trim());
  // A rotation that stopped between its commit and the file swap: the rows may be wrapped by
  // either key, so both open, and the next rotation or start-up re-wrap settles them.
  const previous = existsSync(next)
    ? [keyEncryptionKey((await readFile(next, 'utf8')).trim())]
    : [];
  const vault = createVault(current, previous);
  let currentKey = current;
  return {
    origin: 'data-directory',
    vault,
    warning,
    async generateNext(commit) {
      const base64 = generateKeyEncryptionKey();
      const key = keyEncryptionKey(base64);
      await writeKeyFile(next, base64);
      const before = currentKey;
      vault.rotateTo(key);
      try {
        await commit();
      } catch (error) {
        // Nothing was re-wrapped: the old key stays current. The new one stays known (and its file
        // stays, read as a previous key at the next start): a secret stored meanwhile used it.
        vault.rotateTo(before);
        throw error;
      }
      await rename(next, file);
      currentKey = key;
      return key;
    },
  };
}
