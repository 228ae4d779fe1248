/** The `gemini` kind: `google/…` catalogue models under Gemini's own names. */
import type { ProviderKindDefinition } from '../provider-kind.ts';
import { authorModelName } from '../shared/author-model-name.ts';
import { createGeminiAdapter, DEFAULT_GEMINI_BASE_URL } from './gemini-adapter.ts';

export const geminiProviderKind: ProviderKindDefinition = {
  kind: 'gemini',
  displayName: 'Google',
  defaultBaseUrl: DEFAULT_GEMINI_BASE_URL,
  requiresApiKey: true,
  // `google/gemini-2.5-flash` → `gemini-2.5-flash`.
  nativeModel: (canonicalId) => authorModelName('google/', canonicalId),
  // Gemini's API names models `models/gemini-2.5-flash`; LiteLLM keys them `gemini/…`.
  priceTableKey: (nativeName) => ({
    key: `gemini/${nativeName.replace(/^models\//, '')}`,
    provider: 'gemini',
  }),
  create: (options) => createGeminiAdapter({ ...options, apiKey: options.apiKey ?? '' }),
};
