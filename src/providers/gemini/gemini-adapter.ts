/**
 * The Google Gemini adapter (Signalbox id `google`): Chat Completions in, Gemini API v1beta
 * `generateContent` / `streamGenerateContent?alt=sse` out, and back. Auth header
 * `x-goog-api-key` (never the `?key=` query, which would put the key in URLs and logs).
 * The request's `model` is the native Gemini name (`gemini-2.5-flash`, or `models/…`).
 */
import type { Dispatcher } from 'undici';
import type { ChatCompletionRequest } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import type { UpstreamTimeouts } from '../../config/config.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';
import {
  credentialHeaders,
  credentialReader,
  normaliseBaseUrl,
  type CredentialSource,
} from '../provider-kind.ts';
import { nativeModelInfo } from '../shared/native-model-info.ts';
import { createTranslatedAdapter } from '../shared/translated-adapter.ts';
import { createUpstreamDispatcher } from '../shared/upstream-http.ts';
import { convertFromGeminiResponse } from './convert-from-gemini-response.ts';
import { convertToGeminiMessages } from './convert-to-gemini-messages.ts';
import { geminiModelListSchema } from './gemini-api.ts';
import { parseGeminiError } from './gemini-error.ts';
import { createGeminiStreamTranslator } from './gemini-stream-translator.ts';

/** Default base URL (the server's `GEMINI_BASE_URL`, Google's SDK convention: no version). */
export const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

export interface GeminiAdapterOptions {
  /** Signalbox provider instance id; default `google`. */
  id?: string | undefined;
  /** Google AI Studio key, or a function returning the current one; sent only in `x-goog-api-key`. */
  apiKey: CredentialSource;
  /**
   * Default `https://generativelanguage.googleapis.com`; `/v1beta` is appended unless the URL
   * already ends with an API version (`/v1`, `/v1beta`, `/v1alpha`).
   */
  baseUrl?: string | undefined;
  /** Extra headers. */
  headers?: Readonly<Record<string, string>> | undefined;
  timeouts: UpstreamTimeouts;
  /** Connection pool; default: a new keep-alive Agent with `timeouts.connectMs`. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Creates a Gemini adapter instance. Performs no I/O until a method is called.
 * @throws ConfigError for an empty key or a base URL that is not http(s).
 */
export function createGeminiAdapter(options: GeminiAdapterOptions): ProviderAdapter {
  const id = options.id ?? 'google';
  const baseUrl = normaliseBaseUrl(id, options.baseUrl ?? DEFAULT_GEMINI_BASE_URL, {
    append: '/v1beta',
    accepted: ['/v1', '/v1beta', '/v1alpha'],
  });
  const headers = credentialHeaders(credentialReader(id, options.apiKey, true), (key) => ({
    ...options.headers,
    'x-goog-api-key': key ?? '',
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
      url: stream
        ? `${baseUrl}/${modelPath(request)}:streamGenerateContent?alt=sse`
        : `${baseUrl}/${modelPath(request)}:generateContent`,
      body: convertToGeminiMessages(request),
    }),
    parseCompletion: convertFromGeminiResponse,
    createStreamTranslator: createGeminiStreamTranslator,
    parseError: parseGeminiError,
    models: { url: `${baseUrl}/models`, parse: parseGeminiModels },
  });
}

/** `models/<name>`, the model name URL-encoded segment by segment. */
function modelPath(request: ChatCompletionRequest): string {
  const model = request.model ?? '';
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  if (name === '' || name.includes('/')) {
    throw new SignalboxError('invalid_request', 'A Gemini model name is required.', {
      param: 'model',
    });
  }
  return `models/${encodeURIComponent(name)}`;
}

function parseGeminiModels(body: unknown): ModelInfo[] | null {
  const parsed = geminiModelListSchema.safeParse(body);
  if (!parsed.success) return null;
  return parsed.data.models.map((model) =>
    nativeModelInfo({
      id: model.name.replace(/^models\//, ''),
      name: model.displayName,
      contextLength: model.inputTokenLimit,
      maxCompletionTokens: model.outputTokenLimit,
    }),
  );
}
