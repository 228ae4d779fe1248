/**
 * Canonical OpenRouter model ids → a direct provider's native model name, by the naming
 * conventions the vendors use (docs/decisions/0005-provider-addressing.md). Explicit
 * configuration always wins over these rules. Variant ids (`:free`, `:thinking`, `:online`, …)
 * are OpenRouter features: no direct provider serves them.
 */
import type { ProviderKind } from '../config/config.ts';

/** The author prefix of the catalogue models a provider kind serves by convention. */
const AUTHOR: Readonly<Record<ProviderKind, string | null>> = {
  openai: 'openai/',
  anthropic: 'anthropic/',
  gemini: 'google/',
  'openai-compatible': null,
};

/**
 * `openai/gpt-4o` → `gpt-4o`; `anthropic/claude-sonnet-4.5` → `claude-sonnet-4-5` (Anthropic
 * writes versions with dashes); `google/gemini-2.5-flash` → `gemini-2.5-flash`.
 * @returns null when the provider kind does not serve the id by convention.
 */
export function conventionalNativeModel(kind: ProviderKind, canonicalId: string): string | null {
  const author = AUTHOR[kind];
  if (author === null || !canonicalId.startsWith(author) || canonicalId.includes(':')) return null;
  const name = canonicalId.slice(author.length);
  if (name === '') return null;
  return kind === 'anthropic' ? name.replace(/(\d)\.(\d)/g, '$1-$2') : name;
}
