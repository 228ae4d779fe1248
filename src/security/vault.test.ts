import { describe, expect, it } from 'vitest';
import { SignalboxError } from '../contracts/errors.ts';
import { createVault, generateKeyEncryptionKey, keyEncryptionKey } from './vault.ts';

const first = keyEncryptionKey(generateKeyEncryptionKey());
const second = keyEncryptionKey(generateKeyEncryptionKey());

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    return error instanceof SignalboxError ? error.code : 'other';
  }
}

describe('the vault', () => {
  it('seals with a fresh data key per secret and opens in the same context only', () => {
    const vault = createVault(first);
    const one = vault.seal('sk-secret-value', 'provider:a');
    const two = vault.seal('sk-secret-value', 'provider:a');
    expect(one).not.toBe(two);
    expect(one).not.toContain('sk-secret-value');
    expect(one.split('.')[1]).toBe(first.id);
    expect(vault.open(one, 'provider:a')).toBe('sk-secret-value');
    expect(codeOf(() => vault.open(one, 'provider:b'))).toBe('vault_decrypt_failed');
  });

  it('refuses a tampered envelope, a swapped key id and an unknown key', () => {
    const vault = createVault(first);
    const sealed = vault.seal('value', 'c');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[5] ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    parts[5] = flipped.toString('base64url');
    expect(codeOf(() => vault.open(parts.join('.'), 'c'))).toBe('vault_decrypt_failed');
    expect(codeOf(() => createVault(second).open(sealed, 'c'))).toBe('vault_decrypt_failed');
    expect(codeOf(() => vault.open('not an envelope', 'c'))).toBe('vault_decrypt_failed');
  });

  it('re-wraps the data key under a new key without touching the ciphertext', () => {
    const old = createVault(first);
    const sealed = old.seal('value', 'c');
    const rotating = createVault(second, [first]);
    expect(rotating.needsRewrap(sealed)).toBe(true);
    const rewrapped = rotating.rewrap(sealed);
    expect(rewrapped.split('.')[5]).toBe(sealed.split('.')[5]);
    expect(rotating.needsRewrap(rewrapped)).toBe(false);
    expect(createVault(second).open(rewrapped, 'c')).toBe('value');
    expect(rotating.open(sealed, 'c')).toBe('value');
  });

  it('rotates in place: the old key still opens, new secrets use the new key', () => {
    const vault = createVault(first);
    const before = vault.seal('value', 'c');
    vault.rotateTo(second);
    expect(vault.keyId).toBe(second.id);
    expect(vault.open(before, 'c')).toBe('value');
    expect(vault.seal('other', 'c').split('.')[1]).toBe(second.id);
  });

  it('refuses to store secrets without a key', () => {
    const vault = createVault(null);
    expect(vault.available).toBe(false);
    expect(codeOf(() => vault.seal('value', 'c'))).toBe('encryption_key_missing');
  });
});
