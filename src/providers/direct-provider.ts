/**
 * Builds the adapter for a configured direct provider (src/config/provider-config.ts), picking
 * the dialect by `kind`. Base URLs follow each vendor SDK's convention for its `*_BASE_URL`
 * variable: OpenAI's includes `/v1`; Anthropic's (`https://api.anthropic.com`) and Gemini's
 * (`https://generativelanguage.googleapis.com`) do not, so the API version path is added here.
 */
import type { Dispatcher } from 'undici';
import type { DirectProviderConfig, UpstreamTimeouts } from '../config/config.ts';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.ts';
import { createCustomProviderAdapter } from './custom/custom-provider-adapter.ts';
import { createGeminiAdapter } from './gemini/gemini-adapter.ts';
import { conventionalNativeModel } from './model-names.ts';
import { createOpenAIAdapter } from './openai/openai-adapter.ts';
import type { ProviderAdapter } from './provider-adapter.ts';

function withVersion(baseUrl: string, version: string): string {
  return baseUrl.endsWith(version) ? baseUrl : `${baseUrl}${version}`;
}

/**
 * @throws Error for a built-in kind configured without an API key (a start-up wiring error).
 */
export function createDirectProviderAdapter(
  config: DirectProviderConfig,
  shared: { timeouts: UpstreamTimeouts; dispatcher: Dispatcher },
): ProviderAdapter {
  const { timeouts, dispatcher } = shared;
  if (config.kind === 'openai-compatible') {
    return createCustomProviderAdapter({
      id: config.id,
      baseUrl: config.baseUrl,
      ...(config.apiKey === null ? {} : { apiKey: config.apiKey }),
      headers: config.headers,
      timeouts,
      dispatcher,
    });
  }
  if (config.apiKey === null) throw new Error(`The provider "${config.id}" needs an API key.`);
  switch (config.kind) {
    case 'openai':
      return createOpenAIAdapter({
        apiKey: config.apiKey,
        baseUrl: config.baseUrl,
        timeouts,
        dispatcher,
      });
    case 'anthropic':
      return createAnthropicAdapter({
        apiKey: config.apiKey,
        baseUrl: withVersion(config.baseUrl, '/v1'),
        timeouts,
        dispatcher,
      });
    case 'gemini':
      return createGeminiAdapter({
        id: config.id,
        apiKey: config.apiKey,
        baseUrl: withVersion(config.baseUrl, '/v1beta'),
        timeouts,
        dispatcher,
      });
  }
}

/**
 * The models a direct provider serves: its explicit `models` map, and, when `serveCatalogue`
 * is set, every catalogued model of its author under the conventional native name.
 * @returns canonical id → native name, or null when it does not serve the id.
 */
export function directProviderModelResolver(
  config: DirectProviderConfig,
  isCatalogued: (canonicalId: string) => boolean,
): (canonicalId: string) => string | null {
  return (canonicalId) => {
    const explicit = config.models[canonicalId];
    if (explicit !== undefined) return explicit;
    if (!config.serveCatalogue || !isCatalogued(canonicalId)) return null;
    return conventionalNativeModel(config.kind, canonicalId);
  };
}
