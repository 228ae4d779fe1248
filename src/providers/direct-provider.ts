/**
 * Provider instances from configuration (src/config/provider-config.ts): the adapter, built by
 * its kind's definition (provider-kinds.ts), and the models it serves. Base URLs follow each
 * vendor SDK's convention for its `*_BASE_URL` variable; each kind normalises its own.
 */
import type { Dispatcher } from 'undici';
import type { DirectProviderConfig, UpstreamTimeouts } from '../config/config.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import { providerKind } from './provider-kinds.ts';

/**
 * The adapter of a configured provider instance.
 * @throws ConfigError for a kind that needs a key configured without one, or a bad base URL.
 */
export function createDirectProviderAdapter(
  config: DirectProviderConfig,
  shared: { timeouts: UpstreamTimeouts; dispatcher: Dispatcher },
): ProviderAdapter {
  return providerKind(config.kind).create({
    id: config.id,
    baseUrl: config.baseUrl,
    ...(config.apiKey === null ? {} : { apiKey: config.apiKey }),
    headers: config.headers,
    timeouts: shared.timeouts,
    dispatcher: shared.dispatcher,
  });
}

/**
 * The models a provider instance serves: its explicit `models` map, and, when `serveCatalogue`
 * is set, every catalogued model its kind serves by naming convention.
 * @returns canonical id → native name, or null when it does not serve the id.
 */
export function directProviderModelResolver(
  config: DirectProviderConfig,
  isCatalogued: (canonicalId: string) => boolean,
): (canonicalId: string) => string | null {
  const kind = providerKind(config.kind);
  return (canonicalId) => {
    const explicit = config.models[canonicalId];
    if (explicit !== undefined) return explicit;
    if (!config.serveCatalogue || !isCatalogued(canonicalId)) return null;
    return kind.nativeModel(canonicalId);
  };
}
