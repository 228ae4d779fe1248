/**
 * Direct providers (OpenAI, Anthropic, Google Gemini, any OpenAI-compatible endpoint) from
 * the environment (the common case) and the configuration file (the rest).
 * See docs/decisions/0005-provider-addressing.md.
 */

/** The wire dialect (and vendor conventions) a provider instance speaks. */
export type ProviderKind = 'openrouter' | 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';

export interface DirectProviderConfig {
  /** Signalbox provider id (`openai`, `anthropic`, `google`, or a custom id). */
  id: string;
  kind: ProviderKind;
  /** null when the provider needs none (a local model server). */
  apiKey: string | null;
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** Canonical OpenRouter model id → the provider's native model name. */
  models: Readonly<Record<string, string>>;
  /**
   * Also serve every catalogue model of the same author (`openai/…`, `anthropic/…`, `google/…`)
   * under the native name derived from the canonical id.
   */
  serveCatalogue: boolean;
  /** Extra headers sent with every request (custom endpoints). */
  headers: Readonly<Record<string, string>>;
}

/** The provider ids Signalbox knows without configuration, with their env variables and defaults. */
export const builtInProviders = [
  {
    id: 'openai',
    kind: 'openai',
    keyVariable: 'OPENAI_API_KEY',
    urlVariable: 'OPENAI_BASE_URL',
    baseUrl: 'https://api.openai.com/v1',
  },
  {
    id: 'anthropic',
    kind: 'anthropic',
    keyVariable: 'ANTHROPIC_API_KEY',
    urlVariable: 'ANTHROPIC_BASE_URL',
    baseUrl: 'https://api.anthropic.com',
  },
  {
    id: 'google',
    kind: 'gemini',
    keyVariable: 'GEMINI_API_KEY',
    urlVariable: 'GEMINI_BASE_URL',
    baseUrl: 'https://generativelanguage.googleapis.com',
  },
] as const satisfies readonly {
  id: string;
  kind: ProviderKind;
  keyVariable: string;
  urlVariable: string;
  baseUrl: string;
}[];

/** The provider id reserved for OpenRouter itself. */
export const OPENROUTER_PROVIDER_ID = 'openrouter';
