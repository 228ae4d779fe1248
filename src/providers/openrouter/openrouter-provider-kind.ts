/** The `openrouter` kind: every catalogued model, under its canonical id. */
import type { ProviderKindDefinition } from '../provider-kind.ts';
import { createOpenRouterAdapter, DEFAULT_OPENROUTER_BASE_URL } from './openrouter-adapter.ts';

/** `HTTP-Referer` and title sent when neither the client nor the operator chose others. */
export const DEFAULT_APP_ATTRIBUTION = {
  appUrl: 'https://github.com/signalbox-gateway/signalbox',
  appTitle: 'Signalbox',
};

export const openRouterProviderKind: ProviderKindDefinition = {
  kind: 'openrouter',
  displayName: 'OpenRouter',
  defaultBaseUrl: DEFAULT_OPENROUTER_BASE_URL,
  requiresApiKey: true,
  // OpenRouter's own ids are the canonical ids, variants (`:free`, `:nitro`) included.
  nativeModel: (canonicalId) => canonicalId,
  priceTableKey: () => null,
  create: (options) =>
    createOpenRouterAdapter({
      ...options,
      apiKey: options.apiKey ?? '',
      ...DEFAULT_APP_ATTRIBUTION,
    }),
};
