/**
 * Any OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, Groq, Together, DeepSeek, …) from
 * configuration: the OpenAI dialect adapter with the operator's id, base URL, key and headers.
 * Requests are forwarded as sent (minus OpenRouter-only routing fields, plus
 * `stream_options.include_usage` on streams); `max_tokens` is kept, as many servers know no
 * other name. Answers pass through byte-identical, extra fields included.
 *
 * The base URL must have passed `checkOutboundUrl` (src/security/ssrf-guard.ts) when saved, and
 * the dispatcher should be an Agent whose `connect` is `createGuardedConnector(allowlist)`, so
 * the resolved address is checked at connect time.
 */
import type { Dispatcher } from 'undici';
import type { UpstreamTimeouts } from '../../config/config.ts';
import { createOpenAIDialectAdapter } from '../openai/openai-adapter.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import { credentialReader, normaliseBaseUrl, type CredentialSource } from '../provider-kind.ts';

export interface CustomProviderAdapterOptions {
  /** Signalbox provider id chosen by the operator (e.g. `groq`, `local-vllm`). */
  id: string;
  /** e.g. `http://10.0.0.5:8000/v1`; `/chat/completions` and `/models` are appended. */
  baseUrl: string;
  /** Bearer key (or a function returning it); empty or absent for servers without auth. */
  apiKey?: CredentialSource | undefined;
  /** Extra headers sent on every request. */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent (unguarded: pass a guarded one in the server). */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Creates a custom OpenAI-compatible adapter. Performs no I/O until a method is called.
 * @throws ConfigError for a base URL that is not http(s).
 */
export function createCustomProviderAdapter(
  options: CustomProviderAdapterOptions,
): ProviderAdapter {
  return createOpenAIDialectAdapter({
    id: options.id,
    baseUrl: normaliseBaseUrl(options.id, options.baseUrl),
    apiKey: credentialReader(options.id, options.apiKey, false),
    headers: options.headers,
    timeouts: options.timeouts,
    dispatcher: options.dispatcher,
    renameMaxTokens: false,
  });
}
