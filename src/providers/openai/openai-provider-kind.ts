/** The `openai` kind: `openai/…` catalogue models under OpenAI's own names. */
import type { ProviderKindDefinition } from '../provider-kind.ts';
import { authorModelName } from '../shared/author-model-name.ts';
import { createOpenAIAdapter, DEFAULT_OPENAI_BASE_URL } from './openai-adapter.ts';

export const openAIProviderKind: ProviderKindDefinition = {
  kind: 'openai',
  displayName: 'OpenAI',
  defaultBaseUrl: DEFAULT_OPENAI_BASE_URL,
  requiresApiKey: true,
  // `openai/gpt-4o` → `gpt-4o`.
  nativeModel: (canonicalId) => authorModelName('openai/', canonicalId),
  priceTableKey: (nativeName) => ({ key: nativeName, provider: 'openai' }),
  create: (options) => createOpenAIAdapter({ ...options, apiKey: options.apiKey ?? '' }),
};
