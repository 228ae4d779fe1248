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
import { createTranslatedAdapter } from '../shared/translated-adapter.ts';
import { nativeModelInfo } from '../shared/native-model-info.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { anthropicModelListSchema } from './anthropic-api.ts';
import { parseAnthropicError } from './anthropic-error.ts';
import { createAnthropicStreamTranslator } from './anthropic-stream-translator.ts';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

/** Default base URL (the server's `ANTHROPIC_BASE_URL`). */
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
/** The API version header value this translation follows. */
export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicAdapterOptions {
  /** `sk-ant-…`; sent only in `x-api-key`, never logged or put in errors. */
  apiKey: string;
  /** Default `https://api.anthropic.com/v1`. */
  baseUrl?: string;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher;
}

/** Creates the `anthropic` adapter. Performs no I/O until a method is called. */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ProviderAdapter {
  const baseUrl = (options.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  const headers = Object.freeze({
    'x-api-key': options.apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
  });
  return createTranslatedAdapter({
    id: 'anthropic',
    timeouts: options.timeouts,
    dispatcher:
      options.dispatcher ??
      createUpstreamDispatcher({ connectTimeoutMs: options.timeouts.connectMs }),
    capabilities: { streaming: true, tools: true, reportsCost: false },
    headers: () => headers,
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
