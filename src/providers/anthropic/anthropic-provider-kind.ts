/** The `anthropic` kind: `anthropic/…` catalogue models under Anthropic's own names. */
import type { ProviderKindDefinition } from '../provider-kind.ts';
import { authorModelName } from '../shared/author-model-name.ts';
import { createAnthropicAdapter, DEFAULT_ANTHROPIC_BASE_URL } from './anthropic-adapter.ts';

export const anthropicProviderKind: ProviderKindDefinition = {
  kind: 'anthropic',
  displayName: 'Anthropic',
  defaultBaseUrl: DEFAULT_ANTHROPIC_BASE_URL,
  requiresApiKey: true,
  // `anthropic/claude-sonnet-4.5` → `claude-sonnet-4-5`: Anthropic writes versions with dashes.
  nativeModel: (canonicalId) =>
    authorModelName('anthropic/', canonicalId)?.replace(/(\d)\.(\d)/g, '$1-$2') ?? null,
  priceTableKey: (nativeName) => ({ key: nativeName, provider: 'anthropic' }),
  create: (options) => createAnthropicAdapter({ ...options, apiKey: options.apiKey ?? '' }),
};
