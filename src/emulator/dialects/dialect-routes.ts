/**
 * Routes the vendor-dialect paths: `POST /v1/chat/completions` (OpenAI), `POST /v1/messages`
 * (Anthropic), `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`
 * (Gemini, also under `/v1/`; streams are always SSE, as `?alt=sse` asks).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicDialect } from './anthropic-dialect.ts';
import { handleDialectRequest } from './dialect-route.ts';
import type { DialectContext } from './dialect-types.ts';
import { geminiDialect } from './gemini-dialect.ts';
import { openAiDialect } from './openai-dialect.ts';

// @google/genai v3 calls `/v1/models/…` by default; the recordings and older clients `/v1beta/`.
const GEMINI_PATH = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/**
 * Handles the request when its method and path belong to a vendor dialect (resolving when it was
 * answered); null when they do not, so the caller routes it elsewhere.
 */
export function routeDialectRequest(
  context: DialectContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> | null {
  const raw = request.url ?? '/';
  // Cheap prefix test first: OpenRouter's own /api/v1 traffic must not pay for URL parsing.
  if (request.method !== 'POST' || !(raw.startsWith('/v1/') || raw.startsWith('/v1beta/')))
    return null;
  const url = new URL(raw, 'http://emulator.invalid');
  const path = url.pathname;
  const query = url.searchParams;
  if (path === '/v1/chat/completions')
    return handleDialectRequest(context, openAiDialect, request, response, { path, query });
  if (path === '/v1/messages')
    return handleDialectRequest(context, anthropicDialect, request, response, { path, query });
  const gemini = GEMINI_PATH.exec(path);
  if (gemini === null) return null;
  return handleDialectRequest(context, geminiDialect, request, response, {
    path,
    query,
    model: decodeURIComponent(gemini[1] ?? ''),
    stream: gemini[2] === 'streamGenerateContent',
  });
}
