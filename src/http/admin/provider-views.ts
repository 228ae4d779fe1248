/**
 * The `ProviderView` of `GET /admin/providers` (http/admin/provider-schemas.ts) for an instance
 * stored through the API and for one from the environment or configuration file. Secrets are
 * shown only as their last four characters.
 */
import type { DirectProviderConfig } from '../../config/config.ts';
import type { ProviderInstance } from '../../providers/index.ts';
import { lastFour } from '../../security/mask-secrets.ts';
import type { StoredProvider } from '../../storage/index.ts';
import { isProviderType, type ProviderView } from './provider-schemas.ts';

/** Each header value as its last four characters. */
export function maskedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, lastFour(value)]),
  );
}

/**
 * A stored (API-managed) instance: `headers` its opened secret headers (masked here), `error` why
 * it is not installed (null = installed or disabled).
 */
export function storedProviderView(
  row: StoredProvider,
  headers: Readonly<Record<string, string>>,
  error: string | null,
): ProviderView {
  return {
    id: row.id,
    type: isProviderType(row.type) ? row.type : 'openai-compatible',
    base_url: row.baseUrl,
    api_key_last4: row.apiKeyLast4,
    models: row.models,
    headers: maskedHeaders(headers),
    enabled: row.enabled,
    serve_catalogue: row.serveCatalogue,
    source: 'api',
    read_only: false,
    status: !row.enabled ? 'disabled' : error === null ? 'active' : 'error',
    error,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy,
  };
}

/**
 * An instance from the environment or configuration file (`configured`), or the built-in
 * OpenRouter instance (`configured` undefined; `openrouter` its key and base URL). Read-only.
 */
export function configuredProviderView(
  instance: ProviderInstance,
  configured: DirectProviderConfig | undefined,
  openrouter: { apiKey: string; baseUrl: string },
): ProviderView {
  const builtIn = configured === undefined;
  const apiKey = builtIn ? openrouter.apiKey : configured.apiKey;
  return {
    id: instance.id,
    type: instance.kind,
    base_url: builtIn ? openrouter.baseUrl : configured.baseUrl,
    api_key_last4: apiKey === null ? null : lastFour(apiKey).slice(1) || null,
    models: configured?.models ?? {},
    headers: maskedHeaders(configured?.headers ?? {}),
    enabled: true,
    serve_catalogue: configured?.serveCatalogue ?? true,
    source: builtIn ? 'built_in' : 'configuration',
    read_only: true,
    status: 'active',
    error: null,
    version: null,
    created_at: null,
    updated_at: null,
    updated_by: null,
  };
}
