/** The `openai-compatible` kind: any Chat Completions server; serves only its mapped models. */
import type { ProviderKindDefinition } from '../provider-kind.ts';
import { createCustomProviderAdapter } from './custom-provider-adapter.ts';

export const customProviderKind: ProviderKindDefinition = {
  kind: 'openai-compatible',
  displayName: 'OpenAI-compatible',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
  requiresApiKey: false,
  nativeModel: () => null,
  priceTableKey: () => null,
  create: (options) =>
    createCustomProviderAdapter({
      ...options,
      baseUrl: options.baseUrl ?? customProviderKind.defaultBaseUrl,
    }),
};
