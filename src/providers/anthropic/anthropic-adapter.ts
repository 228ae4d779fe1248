/**
 * The Anthropic adapter: Chat Completions in, Messages API out, and back (the folder's
 * convert-* files). Headers: `x-api-key`, `anthropic-version: 2023-06-01` (docs "Versions").
 * Endpoint `POST {baseUrl}/messages`, models `GET {baseUrl}/models`, both on
 * `https://api.anthropic.com/v1` by default. The request's `model` is the native Anthropic name.
 */
import type { Dispatcher } from 'undici';
import type { ModelInfo } from '../../contracts/model-info.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import {
  credentialHeaders,
  credentialReader,
  normaliseBaseUrl,
  type CredentialSource,
} from '../provider-kind.ts';
import { createTranslatedAdapter } from '../shared/translated-adapter.ts';
import { nativeModelInfo } from '../shared/native-model-info.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { anthropicModelListSchema } from './anthropic-api.ts';
import { parseAnthropicError } from './anthropic-error.ts';
import { createAnthropicStreamTranslator } from './anthropic-stream-translator.ts';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

/** Default base URL (the server's `ANTHROPIC_BASE_URL`, Anthropic's SDK convention: no `/v1`). */
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** The API version header value this translation follows. */
export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicAdapterOptions {
  /** Signalbox provider instance id; default `anthropic`. */
  id?: string | undefined;
  /** `sk-ant-…`, or a function returning the current key; sent only in `x-api-key`. */
  apiKey: CredentialSource;
  /** Default `https://api.anthropic.com`; `/v1` is appended unless the URL ends with it. */
  baseUrl?: string | undefined;
  /** Extra headers (e.g. `anthropic-beta`). */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Creates an Anthropic adapter instance. Performs no I/O until a method is called.
 * @throws ConfigError for an empty key or a base URL that is not http(s).
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ProviderAdapter {
  const id = options.id ?? 'anthropic';
  const baseUrl = normaliseBaseUrl(id, options.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL, {
    append: '/v1',
    accepted: ['/v1'],
  });
  const headers = credentialHeaders(credentialReader(id, options.apiKey, true), (key) => ({
    ...options.headers,
    'x-api-key': key ?? '',
    'anthropic-version': ANTHROPIC_VERSION,
  }));
  return createTranslatedAdapter({
    id,
    timeouts: options.timeouts,
    dispatcher:
      options.dispatcher ??
      createUpstreamDispatcher({ connectTimeoutMs: options.timeouts.connectMs }),
    capabilities: { streaming: true, tools: true, reportsCost: false },
    headers,
    buildRequest: (request, stream) => ({
      url: `${baseUrl}/messages`,
      body: convertToAnthropicMessages(request, stream),
    }),
    parseCompletion: convertFromAnthropicResponse,
    createStreamTranslator: createAnthropicStreamTranslator,
    parseError: parseAnthropicError,
    models: { url: `${baseUrl}/models`, parse: parseAnthropicModels },
  });
}

/** `GET /v1/models` → ModelInfo with the fields Anthropic gives; prices are the catalogue's job. */
function parseAnthropicModels(body: unknown): ModelInfo[] | null {
  const parsed = anthropicModelListSchema.safeParse(body);
  if (!parsed.success) return null;
  return parsed.data.data.map((model) =>
    nativeModelInfo({
      id: model.id,
      name: model.display_name,
      created: model.created_at === undefined ? 0 : Math.floor(Date.parse(model.created_at) / 1000),
    }),
  );
}
