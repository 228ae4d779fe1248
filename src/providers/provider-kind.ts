/**
 * A provider KIND (the wire dialect and vendor conventions) as opposed to a provider INSTANCE
 * (an id, a base URL, a credential source). Each kind is defined once, in its own folder
 * (`openrouter/openrouter-provider-kind.ts`, …), and listed in `provider-kinds.ts`; adding a
 * kind touches its folder and that one list.
 */
import type { Dispatcher } from 'undici';
import type { ProviderKind, UpstreamTimeouts } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import type { ProviderAdapter } from './provider-adapter.ts';

/**
 * Where an instance's API key comes from, read on every call so that a key can change without
 * a restart: the key itself, or a function returning the current key (null = none set now).
 */
export type CredentialSource = string | (() => string | null);

/** Everything one instance of a kind needs. */
export interface ProviderInstanceOptions {
  /** Signalbox provider instance id (`openai`, `anthropic-eu`, …). */
  id: string;
  /**
   * The vendor SDK's base URL convention (`OPENAI_BASE_URL` includes `/v1`, `ANTHROPIC_BASE_URL`
   * and `GEMINI_BASE_URL` do not, but may); absent = the kind's default.
   */
  baseUrl?: string | undefined;
  /** Absent only for kinds that need none (a local OpenAI-compatible server). */
  apiKey?: CredentialSource | undefined;
  /** Extra headers on every request. */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent per instance. */
  dispatcher?: Dispatcher | undefined;
}

/** Where LiteLLM's price table keeps a native model name (its key and `litellm_provider`). */
export interface PriceTableKey {
  key: string;
  provider: string;
}

export interface ProviderKindDefinition {
  readonly kind: ProviderKind;
  /** For people: `OpenAI`, `Anthropic`, … */
  readonly displayName: string;
  /** The default base URL, in the vendor SDK's convention. */
  readonly defaultBaseUrl: string;
  /** Whether an instance must have an API key. */
  readonly requiresApiKey: boolean;
  /**
   * The native name of a catalogued canonical id by the vendor's naming convention
   * (`openai/gpt-4o` → `gpt-4o`), or null when this kind does not serve it by convention.
   */
  nativeModel(canonicalId: string): string | null;
  /** Where LiteLLM prices a native name of this kind; null when it does not price the kind. */
  priceTableKey(nativeName: string): PriceTableKey | null;
  /** Builds an instance. @throws ConfigError for a missing key or a bad base URL. */
  create(options: ProviderInstanceOptions): ProviderAdapter;
}

/**
 * Checks and normalises a base URL: http(s), no trailing slash, and, for vendors whose API
 * path carries a version, that version appended unless the URL already ends with one.
 * @throws ConfigError naming the instance.
 */
export function normaliseBaseUrl(
  id: string,
  raw: string,
  version?: { append: string; accepted: readonly string[] },
): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`Provider "${id}": the base URL must be an http(s) URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(`Provider "${id}": the base URL must be an http(s) URL.`);
  const url = raw.replace(/\/+$/, '');
  if (version === undefined) return url;
  return version.accepted.some((suffix) => url.endsWith(suffix)) ? url : `${url}${version.append}`;
}

/**
 * The key as a per-call reader. A literal key must be non-empty.
 * @throws ConfigError when a required literal key is empty or missing.
 */
export function credentialReader(
  id: string,
  source: CredentialSource | undefined,
  required: boolean,
): () => string | null {
  if (typeof source === 'function') return source;
  const key = source?.trim() ?? '';
  if (key === '') {
    if (required) throw new ConfigError(`Provider "${id}": an API key is required.`);
    return () => null;
  }
  if (/\s/.test(key)) throw new ConfigError(`Provider "${id}": the API key contains white space.`);
  return () => key;
}

/** Headers that carry a key, rebuilt only when the key changes (keys rarely change). */
export function credentialHeaders(
  read: () => string | null,
  build: (key: string | null) => Readonly<Record<string, string>>,
): () => Readonly<Record<string, string>> {
  let lastKey: string | null | undefined;
  let headers: Readonly<Record<string, string>> = {};
  return () => {
    const key = read();
    if (key !== lastKey) {
      lastKey = key;
      headers = Object.freeze(build(key));
    }
    return headers;
  };
}
