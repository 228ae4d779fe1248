import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../config/config.ts';
import { providerKind } from './provider-kinds.ts';

const conventionalNativeModel = (kind: ProviderKind, id: string): string | null =>
  providerKind(kind).nativeModel(id);

describe("each kind's native-name rule", () => {
  it('maps canonical ids to the names each vendor uses', () => {
    expect(conventionalNativeModel('openai', 'openai/gpt-4o')).toBe('gpt-4o');
    expect(conventionalNativeModel('anthropic', 'anthropic/claude-sonnet-4.5')).toBe(
      'claude-sonnet-4-5',
    );
    expect(conventionalNativeModel('anthropic', 'anthropic/claude-3.7-sonnet')).toBe(
      'claude-3-7-sonnet',
    );
    expect(conventionalNativeModel('gemini', 'google/gemini-2.5-flash')).toBe('gemini-2.5-flash');
  });

  it('serves neither other authors, variants nor custom endpoints by convention', () => {
    expect(conventionalNativeModel('openai', 'anthropic/claude-sonnet-4.5')).toBeNull();
    expect(conventionalNativeModel('openai', 'openai/gpt-4o:online')).toBeNull();
    expect(conventionalNativeModel('openai-compatible', 'openai/gpt-4o')).toBeNull();
  });
});
